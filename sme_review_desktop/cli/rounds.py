"""CLI: the measures (rulebooks) and certification rounds (认定批次), with their settings."""

from __future__ import annotations

import argparse
from typing import Any

from sme_review_desktop.cli.common import actor, emit, iso_date, leaf, open_store
from sme_review_desktop.errors import UserError


def cmd_rulebooks(args: argparse.Namespace) -> int:
    from sme_review_desktop.rules.rulebook import all_rulebooks

    books = all_rulebooks()
    payload = {
        "rulebooks": [
            {
                "id": b.id,
                "title": b.title,
                "city": b.city,
                "conditions_articles": [a.article for a in b.conditions],
                "materials": len(b.materials),
            }
            for b in books.values()
        ]
    }
    emit(args, payload, "\n".join(f"{b.id}\t{b.title}" for b in books.values()))
    return 0


def cmd_round_create(args: argparse.Namespace) -> int:
    from sme_review_desktop.rounds import create_round

    store = open_store(args)
    rid = create_round(store, args.rulebook, args.name, args.reference_date, actor(args))
    emit(args, {"id": rid}, f"已创建认定批次 {rid}：{args.name}")
    return 0


def cmd_round_list(args: argparse.Namespace) -> int:
    from sme_review_desktop.rounds import list_rounds

    rounds = list_rounds(open_store(args))
    payload = {
        "rounds": [
            {
                "id": r.id,
                "name": r.name,
                "rulebook": r.rulebook_id,
                "reference_date": r.reference_date.isoformat(),
                "dossiers": r.dossier_count,
                "locked": r.locked,
            }
            for r in rounds
        ]
    }
    lines = [f"{r.id}\t{r.name}\t{r.rulebook_id}\t{r.dossier_count}份" for r in rounds]
    emit(args, payload, "\n".join(lines) or "（还没有认定批次）")
    return 0


def cmd_round_settings(args: argparse.Namespace) -> int:
    from sme_review_desktop.rounds import update_settings

    changes: dict[str, Any] = {}
    for pair in args.set or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UserError(f"设置应写成“名称=值”：{pair}")
        changes[key.strip()] = value
    settings = update_settings(open_store(args), args.round, changes, actor(args))
    emit(args, {"settings": settings}, "\n".join(f"{k} = {v}" for k, v in settings.items()))
    return 0


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    leaf(sub, cmd_rulebooks, "rulebooks", help="列出办法 list the rulebooks (measures)")

    rnd = sub.add_parser("round", help="认定批次 certification rounds")
    rsub = rnd.add_subparsers(title="round commands", metavar="ACTION", required=True)
    p = leaf(rsub, cmd_round_create, "create", help="创建认定批次 create a round")
    p.add_argument("--rulebook", required=True, help="办法编号 rulebook id, e.g. liaocheng-2021")
    p.add_argument("--name", required=True, help="批次名称 round name")
    p.add_argument(
        "--reference-date", required=True, type=iso_date, help="基准日 reference date YYYY-MM-DD"
    )
    leaf(rsub, cmd_round_list, "list", help="列出认定批次 list rounds")

    p = leaf(
        rsub,
        cmd_round_settings,
        "settings",
        help="查看或修改批次设置 show or change round settings",
        round_id=True,
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="e.g. objection_contact=联系人：… 电话：…",
    )
