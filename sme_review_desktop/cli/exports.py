"""CLI: documents: minutes, notice, certificates, statistics, register, review report, scores."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sme_review_desktop.cli.common import emit, iso_date, leaf, open_store
from sme_review_desktop.errors import UserError


def _docx(args: argparse.Namespace) -> bool:
    """A .docx target: the Word version (exports/docx_export), same content, GB/T 9704 page."""
    return Path(args.output).suffix.lower() == ".docx"


def cmd_export_minutes(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.docx_export import write_minutes_docx
    from sme_review_desktop.exports.minutes import write_minutes

    write = write_minutes_docx if _docx(args) else write_minutes
    target = write(open_store(args), args.round, Path(args.output), meeting_date=args.date)
    emit(args, {"path": str(target)}, f"已导出会议纪要：{target}")
    return 0


def cmd_export_report(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.docx_export import write_report_docx
    from sme_review_desktop.exports.review_report import write_review_report

    write = write_report_docx if _docx(args) else write_review_report
    target = write(open_store(args), args.round, args.uscc, Path(args.output))
    emit(args, {"path": str(target)}, f"已导出评审意见表：{target}")
    return 0


def cmd_export_scores(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.summary_xlsx import write_score_summary

    target = write_score_summary(open_store(args), args.round, Path(args.output))
    emit(args, {"path": str(target)}, f"已导出专家评分汇总表：{target}")
    return 0


def cmd_export_notice(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.docx_export import write_notice_docx
    from sme_review_desktop.exports.notice import write_notice

    write = write_notice_docx if _docx(args) else write_notice
    target = write(open_store(args), args.round, Path(args.output), final=args.final)
    what = "认定名单" if args.final else "公示名单"
    emit(args, {"path": str(target)}, f"已导出{what}：{target}")
    return 0


def cmd_export_certificates(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.certificates import (
        OverlayLayout,
        calibration_page,
        write_certificates,
    )

    layout: OverlayLayout | None = None
    if args.overlay is not None or args.calibration:
        text = Path(args.overlay).read_text(encoding="utf-8") if args.overlay else ""
        layout = OverlayLayout.from_json(text) if text else OverlayLayout()
        if args.offset_x is not None or args.offset_y is not None:
            layout = replace(
                layout,
                offset_x=args.offset_x if args.offset_x is not None else layout.offset_x,
                offset_y=args.offset_y if args.offset_y is not None else layout.offset_y,
            )
    if args.calibration:
        assert layout is not None
        target = calibration_page(Path(args.output), layout)
        emit(args, {"path": str(target), "count": 0}, f"已导出套打校准页：{target}")
        return 0
    if args.round is None:
        raise UserError("请用 --round 指定批次。")
    target, count = write_certificates(
        open_store(args), args.round, Path(args.output), overlay=layout
    )
    emit(args, {"path": str(target), "count": count}, f"已导出{count}张证书：{target}")
    return 0


def cmd_export_stats(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.stats_report import write_stats_report

    store = open_store(args)
    target = write_stats_report(store, args.round, Path(args.output), as_of=args.date)
    payload: dict[str, Any] = {"path": str(target)}
    if args.png_dir:
        from sme_review_desktop.overview.charts.catalogue import build_charts
        from sme_review_desktop.overview.round_stats import round_stats

        folder = Path(args.png_dir)
        payload["png"] = [
            str(c.save_png(folder / f"{c.key}.png"))
            for c in build_charts(round_stats(store, args.round, args.date))
        ]
    emit(args, payload, f"已导出统计报告：{target}")
    return 0


def cmd_export_register(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.register_xlsx import write_register

    target, count = write_register(open_store(args), Path(args.output), args.date or date.today())
    emit(args, {"path": str(target), "count": count}, f"已导出名录（{count}个平台）：{target}")
    return 0


def add_exports(xsub: Any) -> None:
    """Add the documents to ``sme-review export``."""
    p = leaf(
        xsub,
        cmd_export_minutes,
        "minutes",
        help="会议纪要 meeting minutes (.pdf, .docx or .xlsx)",
        round_id=True,
    )
    p.add_argument("--date", type=iso_date, help="会议日期 YYYY-MM-DD (default today)")
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf/.docx/.xlsx")
    p = leaf(
        xsub,
        cmd_export_notice,
        "notice",
        help="公示名单（或 --final 认定名单） notice list (.pdf/.docx/.xlsx)",
        round_id=True,
    )
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf/.docx/.xlsx")
    p.add_argument("--final", action="store_true", help="认定名单 the final list after 认定")
    p = leaf(
        xsub,
        cmd_export_certificates,
        "certificates",
        help="证书 certificates of a finalised round (.pdf)",
    )
    p.add_argument("--round", type=int, help="批次编号 round id")
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf")
    p.add_argument(
        "--overlay",
        nargs="?",
        const="",
        metavar="LAYOUT.json",
        help="套打：只打印可变内容（可给版式文件） print only the variable text onto blanks",
    )
    p.add_argument("--offset-x", type=float, help="打印偏移（毫米，向右为正） printer offset x mm")
    p.add_argument("--offset-y", type=float, help="打印偏移（毫米，向上为正） printer offset y mm")
    p.add_argument("--calibration", action="store_true", help="套打校准页 calibration page")
    p = leaf(
        xsub,
        cmd_export_stats,
        "stats",
        help="统计报告 the round's charts with their numbers (.pdf)",
        round_id=True,
    )
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf")
    p.add_argument(
        "--date", type=iso_date, help="名录统计日期 register as of YYYY-MM-DD (default today)"
    )
    p.add_argument(
        "--png-dir", metavar="DIR", help="另存每张图表为PNG also write each chart as PNG"
    )
    p = leaf(xsub, cmd_export_register, "register", help="示范平台名录 the register (.xlsx)")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")
    p.add_argument("--date", type=iso_date, help="统计日期 as of YYYY-MM-DD (default today)")
    p = leaf(
        xsub,
        cmd_export_report,
        "report",
        help="评审意见表 one dossier's review report (.pdf/.docx)",
        round_id=True,
    )
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf/.docx")
    p = leaf(
        xsub,
        cmd_export_scores,
        "scores",
        help="专家评分汇总表 score summary (.xlsx)",
        round_id=True,
    )
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")
