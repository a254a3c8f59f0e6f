"""CLI: the register of certified platforms (示范平台名录)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from sme_review_desktop.cli.common import actor, emit, iso_date, leaf, open_store


def cmd_register_list(args: argparse.Namespace) -> int:
    from sme_review_desktop.register.platforms import register_rows

    today = args.date or date.today()
    rows = register_rows(open_store(args), today)
    payload = {
        "date": today.isoformat(),
        "platforms": [
            {
                "certificate": r.number,
                "uscc": r.uscc,
                "platform_name": r.platform_name,
                "operator_name": r.operator_name,
                "rulebook": r.rulebook_id,
                "certified_on": r.certified_on.isoformat(),
                "valid_until": r.valid_until.isoformat(),
                "status": r.status,
                "reports_due": [{"period": p, "due": d.isoformat()} for p, d in r.reports_due],
                "reports_overdue": [
                    {"period": p, "due": d.isoformat()} for p, d in r.reports_overdue
                ],
                "complaints_last_year": r.complaints_last_year,
                "revoked_on": r.revoked_on.isoformat() if r.revoked_on else None,
                "revoke_ground": r.revoke_ground,
            }
            for r in rows
        ],
    }
    lines = [
        f"{r.number}\t{r.platform_name}\t{r.status}\t有效期至{r.valid_until.isoformat()}"
        + (f"\t逾期未报{len(r.reports_overdue)}期" if r.reports_overdue else "")
        for r in rows
    ]
    emit(args, payload, "\n".join(lines) or "名录中还没有示范平台。")
    return 0


def cmd_register_report(args: argparse.Namespace) -> int:
    from sme_review_desktop.register.platforms import mark_report

    mark_report(open_store(args), args.certificate, args.period, args.date, actor(args))
    emit(args, {"ok": True}, f"已登记{args.certificate} {args.period}期报告。")
    return 0


def cmd_register_complaint(args: argparse.Namespace) -> int:
    from sme_review_desktop.register.platforms import add_complaint

    warning = add_complaint(
        open_store(args), args.certificate, args.date, args.content, actor(args)
    )
    emit(args, {"ok": True, "warning": warning}, warning or "已登记投诉。")
    return 0


def cmd_register_revoke(args: argparse.Namespace) -> int:
    from sme_review_desktop.register.platforms import revoke

    revoke(
        open_store(args), args.certificate, args.date, args.reason, actor(args), ground=args.ground
    )
    emit(args, {"ok": True}, f"已撤销{args.certificate}。")
    return 0


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    reg = sub.add_parser("register", help="示范平台名录 the register of certified platforms")
    gsub = reg.add_subparsers(title="register commands", metavar="ACTION", required=True)
    p = leaf(
        gsub, cmd_register_list, "list", help="名录与到期、报送情况 list with status and duties"
    )
    p.add_argument("--date", type=iso_date, help="统计日期 as of YYYY-MM-DD (default today)")
    p = leaf(gsub, cmd_register_report, "report", help="登记收到的报告 record a report received")
    p.add_argument("--certificate", required=True, help="证书编号 certificate number")
    p.add_argument("--period", required=True, help="报告期，如 2027Q1 或 2027 period")
    p.add_argument("--date", required=True, type=iso_date, help="收到日期 YYYY-MM-DD")
    p = leaf(gsub, cmd_register_complaint, "complaint", help="登记投诉 log a complaint")
    p.add_argument("--certificate", required=True, help="证书编号 certificate number")
    p.add_argument("--date", required=True, type=iso_date, help="收到日期 YYYY-MM-DD")
    p.add_argument("--content", required=True, help="投诉内容 content")
    p = leaf(gsub, cmd_register_revoke, "revoke", help="撤销 revoke a certification")
    p.add_argument("--certificate", required=True, help="证书编号 certificate number")
    p.add_argument("--date", required=True, type=iso_date, help="撤销日期 YYYY-MM-DD")
    p.add_argument("--reason", required=True, help="撤销理由 reason")
    p.add_argument(
        "--ground",
        type=int,
        metavar="ARTICLE",
        help="撤销依据的条款号（聊城 21 检查不合格 或 22 违法违规；西安 19） the article",
    )
