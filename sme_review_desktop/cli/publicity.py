"""CLI: working days and holidays, publicity, objections, and finalisation (认定)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sme_review_desktop.cli.common import actor, emit, iso_date, leaf, open_store


def cmd_calendar_workdays(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.service import compute_period
    from sme_review_desktop.publicity.workdays import format_period

    period = compute_period(
        open_store(args), args.start, args.days, assume_weekends=args.assume_weekends
    )
    payload = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat() if period.end else None,
        "warnings": period.warnings,
    }
    if period.end is None:
        # A script must not take a period without an end for one: the JSON still says why,
        # and the status and stderr say it failed.
        if getattr(args, "json", False):
            emit(args, payload, "")
        for warning in period.warnings or [f"无法计算自{period.start.isoformat()}起的截止日期。"]:
            print(f"错误：{warning}", file=sys.stderr)
        return 1
    human = (
        f"{period.start.isoformat()} 至 {period.end.isoformat()}"
        f"（{format_period(period.start, period.end)}）"
    )
    emit(args, payload, "\n".join([human, *period.warnings]))
    return 0


def cmd_calendar_import(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.holidays import import_holidays

    done = import_holidays(open_store(args), Path(args.file), actor(args))
    emit(
        args,
        {"years": done.years, "warnings": done.warnings},
        f"已导入{'、'.join(map(str, done.years))}年的节假日安排。",
    )
    for warning in done.warnings:  # beside the JSON too: a script's log shows stderr
        print(f"警告：{warning}", file=sys.stderr)
    return 0


def show_flagged_approvals(args: argparse.Namespace) -> list[dict[str, object]]:
    """Before the 公示 or 认定: every exception and stale approval, on stderr (stdout is JSON)."""
    from sme_review_desktop.publicity.service import approvals_to_review

    flagged = approvals_to_review(open_store(args), args.round)
    if flagged:
        print("请注意以下拟认定：", file=sys.stderr)
        for f in flagged:
            print(f"  {f.text}", file=sys.stderr)
    return [f.as_json() for f in flagged]


def cmd_publicity_start(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.service import start_publicity
    from sme_review_desktop.publicity.workdays import format_period

    flagged = show_flagged_approvals(args)
    info = start_publicity(
        open_store(args),
        args.round,
        args.start,
        actor(args),
        days=args.days,
        assume_weekends=args.assume_weekends,
    )
    payload = {
        "start": info.start.isoformat(),
        "end": info.end.isoformat(),
        "working_days": info.working_days,
        "dossiers": info.dossiers,
        "warnings": info.warnings,
        "flagged_approvals": flagged,
    }
    emit(
        args,
        payload,
        f"公示期{format_period(info.start, info.end)}（{info.working_days}个工作日），共{info.dossiers}家。",
    )
    return 0


def cmd_objection_add(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.service import add_objection

    upheld = {"yes": True, "no": False}.get(args.upheld or "")
    oid = add_objection(
        open_store(args),
        args.round,
        args.uscc,
        args.date,
        args.content,
        actor(args),
        outcome=args.outcome or "",
        upheld=upheld,
    )
    emit(args, {"id": oid}, f"已登记异议 {oid}")
    return 0


def cmd_finalize(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.service import finalize

    flagged = show_flagged_approvals(args)
    result = finalize(open_store(args), args.round, args.date, actor(args))
    payload = {
        "certified": [{"uscc": u, "certificate": n} for u, n in result.certified],
        "excluded": [{"uscc": u, "reason": r} for u, r in result.excluded],
        "flagged_approvals": flagged,
    }
    emit(args, payload, "\n".join(f"{u}\t{n}" for u, n in result.certified) or "没有认定的平台。")
    return 0


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    cal = sub.add_parser("calendar", help="工作日与节假日 working days and holidays")
    csub = cal.add_subparsers(title="calendar commands", metavar="ACTION", required=True)
    p = leaf(
        csub,
        cmd_calendar_workdays,
        "workdays",
        help="计算N个工作日的期间 compute a period of N working days",
    )
    p.add_argument("--start", required=True, type=iso_date, help="起始日 YYYY-MM-DD")
    p.add_argument("--days", required=True, type=int, help="工作日数 working days")
    p.add_argument(
        "--assume-weekends", action="store_true", help="缺少节假日数据的年份按周末计算 (warned)"
    )
    p = leaf(
        csub,
        cmd_calendar_import,
        "import",
        help="导入节假日安排表 import a holiday table (csv/xlsx)",
    )
    p.add_argument("file", help="节假日表 holiday table")

    pub = sub.add_parser("publicity", help="公示 publicity")
    psub = pub.add_subparsers(title="publicity commands", metavar="ACTION", required=True)
    p = leaf(
        psub, cmd_publicity_start, "start", help="开始公示拟认定名单 start publicity", round_id=True
    )
    p.add_argument("--start", required=True, type=iso_date, help="公示开始日 YYYY-MM-DD")
    p.add_argument("--days", type=int, help="工作日数 working days (default: the measure's)")
    p.add_argument("--assume-weekends", action="store_true", help="缺少节假日数据的年份按周末计算")

    p = sub.add_parser("objection", help="异议 objections during publicity")
    osub = p.add_subparsers(title="objection commands", metavar="ACTION", required=True)
    p = leaf(osub, cmd_objection_add, "add", help="登记异议 log an objection", round_id=True)
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument("--date", required=True, type=iso_date, help="收到日期 YYYY-MM-DD")
    p.add_argument("--content", required=True, help="异议内容 content")
    p.add_argument("--outcome", help="处理结果 outcome")
    p.add_argument("--upheld", choices=["yes", "no"], help="异议是否成立 upheld?")

    p = leaf(
        sub,
        cmd_finalize,
        "finalize",
        help="认定并锁定批次 certify and lock the round",
        round_id=True,
    )
    p.add_argument("--date", required=True, type=iso_date, help="认定日期 YYYY-MM-DD")
