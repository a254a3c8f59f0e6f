"""CLI: experts and conflicts, scores, the summary, and the panel's decisions."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sme_review_desktop.cli.common import actor, emit, leaf, open_store
from sme_review_desktop.errors import UserError


def cmd_expert_add(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.experts import add_expert, declare_conflict

    store = open_store(args)
    eid = add_expert(store, args.round, args.name, actor(args), args.organisation or "")
    for code in args.conflict or []:
        declare_conflict(store, args.round, args.name, code, args.reason or "", actor(args))
    emit(args, {"id": eid}, f"专家“{args.name}”已加入批次 {args.round}")
    return 0


def cmd_scores_enter(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.entry import enter_scores

    points = parse_points(args.points)
    enter_scores(open_store(args), args.round, args.expert, args.uscc, points, actor(args))
    emit(args, {"ok": True}, "已录入评分。")
    return 0


def cmd_scores_template(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.sheets import write_score_sheet

    target = write_score_sheet(
        open_store(args), args.round, args.expert, Path(args.output), actor(args)
    )
    emit(args, {"path": str(target)}, f"已导出评分表：{target}")
    return 0


def cmd_scores_import(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.sheets import import_score_sheets

    results = import_score_sheets(
        open_store(args),
        args.round,
        [Path(p) for p in args.files],
        actor(args),
        replace_newer=args.replace_newer,
    )
    payload = {
        "results": [
            {
                "path": str(r.path),
                "status": r.status,
                "expert": r.expert,
                "count": r.count,
                "errors": r.errors,
                "sheet_id": r.sheet_id,
                "issued_at": r.issued_at,
                "imported_by": r.imported_by,
                "older": r.older,
            }
            for r in results
        ]
    }
    label = {"imported": "已导入", "empty": "未改动", "rejected": "退回"}
    lines = [f"[{label[r.status]}] {r.path}  {r.summary}" for r in results]
    if any(r.older for r in results):
        lines.append("确认以旧表替换较新的分数时，请加 --replace-newer 再导入。")
    emit(args, payload, "\n".join(lines))
    return 1 if any(r.status == "rejected" for r in results) else 0


def cmd_scores_summary(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.summary import score_summary

    store = open_store(args)
    rows = score_summary(store, args.round)
    if args.output:
        from sme_review_desktop.scoring.summary_xlsx import write_score_summary

        write_score_summary(store, args.round, Path(args.output))
    payload = {"dossiers": [r.as_json() for r in rows]}
    lines = [
        f"{r.rank or '-'}\t{r.uscc}\t{r.platform_name}\t{'' if r.aggregate is None else r.aggregate}"
        for r in sorted(rows, key=lambda r: (r.rank is None, r.rank or 0))
    ]
    emit(args, payload, "\n".join(lines))
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.approval import ApprovalRefused
    from sme_review_desktop.scoring.decisions import DECISION_LABELS, decide

    try:
        exception = decide(
            open_store(args),
            args.round,
            args.uscc,
            args.decision,
            args.reason,
            actor(args),
            override=args.override,
        )
    except ApprovalRefused as exc:  # the record's answer, not a usage error: status 1
        print(f"错误：{exc.message}", file=sys.stderr)
        return 1
    emit(
        args,
        {"ok": True, "override": exception},
        f"已记录决定：{DECISION_LABELS[args.decision]}" + ("（例外认定）" if exception else ""),
    )
    return 0


def parse_points(pairs: list[str]) -> dict[str, Decimal | None]:
    points: dict[str, Decimal | None] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UserError(f"分数应写成“指标=分数”，如 基本条件=18：{pair}")
        try:
            points[name.strip()] = Decimal(value) if value.strip() else None
        except InvalidOperation:
            raise UserError(f"“{name}”的分数不是数字：{value}") from None
    return points


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    p = sub.add_parser("expert", help="评审专家 experts of a round")
    esub = p.add_subparsers(title="expert commands", metavar="ACTION", required=True)
    p = leaf(
        esub,
        cmd_expert_add,
        "add",
        help="添加专家（及回避声明） add an expert (and conflicts)",
        round_id=True,
    )
    p.add_argument("--name", required=True, help="专家姓名 expert name")
    p.add_argument("--organisation", help="工作单位 organisation")
    p.add_argument(
        "--conflict",
        action="append",
        metavar="USCC",
        help="回避的单位 conflict with this applicant",
    )
    p.add_argument("--reason", help="回避原因 reason for the conflict")

    scores = sub.add_parser("scores", help="专家评分 expert scores")
    ssub = scores.add_subparsers(title="scores commands", metavar="ACTION", required=True)
    p = leaf(
        ssub,
        cmd_scores_template,
        "template",
        help="导出专家离线评分表 write an expert's score sheet",
        round_id=True,
    )
    p.add_argument("--expert", required=True, help="专家姓名 expert name")
    p.add_argument("-o", "--output", required=True, help="输出文件 output .xlsx")
    p = leaf(
        ssub,
        cmd_scores_import,
        "import",
        help="导入专家评分表 read score sheets back",
        round_id=True,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="评分表 score sheet .xlsx")
    p.add_argument(
        "--replace-newer",
        action="store_true",
        help="确认以较早发出的评分表替换已导入的较新评分 confirm an older sheet replaces a newer one",
    )
    p = leaf(
        ssub,
        cmd_scores_enter,
        "enter",
        help="录入评分 enter one expert's points for one dossier",
        round_id=True,
    )
    p.add_argument("--expert", required=True, help="专家姓名 expert name")
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument(
        "points", nargs="+", metavar="指标=分数", help="criterion=points, e.g. 基本条件=18"
    )
    p = leaf(
        ssub,
        cmd_scores_summary,
        "summary",
        help="评分汇总 aggregate, rank (and xlsx with -o)",
        round_id=True,
    )
    p.add_argument("-o", "--output", help="专家评分汇总表 .xlsx")

    p = leaf(
        sub, cmd_decide, "decide", help="记录认定决定 record the panel's decision", round_id=True
    )
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument(
        "--decision",
        required=True,
        choices=["approved", "rejected", "pool"],
        help="拟认定/不予认定/纳入培育库",
    )
    p.add_argument("--reason", default="", help="理由 reason")
    p.add_argument(
        "--override",
        metavar="理由",
        help="例外认定：记录不满足条件的拟认定，写明理由（不少于10字） approve as an exception",
    )
