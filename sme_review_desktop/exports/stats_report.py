"""统计报告: a round's 概览 on A4 — each chart as a picture with a table of its numbers under it.

The charts are the very figures the app shows (charts.py), rendered at print resolution; the
tables come from the same stats object, so the picture and the table cannot disagree, and
``sme-review stats --json`` gives the same numbers again. Every font is embedded (pdf_kit).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer

from sme_review_desktop.exports.pdf_kit import build_a4, check_glyphs, grid, styles
from sme_review_desktop.overview.charts.base import Chart
from sme_review_desktop.overview.charts.catalogue import build_chart
from sme_review_desktop.overview.charts.tables import chart_table, table_widths
from sme_review_desktop.overview.round_stats import round_stats
from sme_review_desktop.overview.stats_model import RoundStats
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbering import chinese_numeral

TEXT_WIDTH = 174 * mm  # A4 less the 18 mm margins
DPI = 200

HEADINGS = {
    "funnel": "评审漏斗",
    "shortfalls": "申报不符合的条件",
    "by_county": "分县（市、区）情况",
    "expert_spread": "专家评分分布",
    "dossier_scores": "各申报的专家总分与汇总分",
    "register_years": "历年认定的示范平台",
    "register_expiry": "有效期届满",
    "register_status": "名录状况、报送与撤销",
}
NOTES = {
    "shortfalls": "“系统判定”为本系统按办法和申报数据给出的结论，“评审人判定”为评审人逐条审核的结论；"
    "一份申报两者都判定不符合的只计一次。",
    "dossier_scores": "带 * 的分数偏离其他专家均值超过15分。",
    "expert_spread": "平均偏差：专家总分与该份申报汇总分之差的平均，负数偏严、正数偏宽。",
    "register_status": "逾期未报：应报日期在统计日期之前、统计日期时尚未收到的报告。",
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def summary(stats: RoundStats) -> str:
    """The round in one paragraph, for the top of the report."""
    f = stats.funnel
    s = f.suggestion
    d = f.decision
    decided = "、".join(
        f"{label}{d.get(key, 0)}家"
        for key, label in (("approved", "拟认定"), ("rejected", "不予认定"), ("pool", "纳入培育库"))
        if key in d
    )
    text = (
        f"本批次共收到申报材料{f.received}份，其中材料齐全{f.formal_complete}份；"
        f"系统建议符合{s.get('met', 0)}份、待核{s.get('review', 0)}份、不符合{s.get('unmet', 0)}份。"
        f"评审决定{decided}"
        + (f"（其中例外认定{f.exceptions}家）" if f.exceptions else "")
        + f"，尚未决定{d.get('undecided', 0)}份；"
        f"公示{f.publicised}家，认定{f.certified}家。"
    )
    if stats.scoring.panel is not None:
        text += f"专家评分{len(stats.scoring.dossiers)}份，汇总分中位数{stats.scoring.panel.median:.2f}分。"
    return text


def _picture(chart: Chart) -> Image:
    width, height = chart.figure.get_size_inches()
    return Image(
        io.BytesIO(chart.png(DPI)), width=TEXT_WIDTH, height=TEXT_WIDTH * float(height / width)
    )


def report_story(stats: RoundStats, generated: datetime | None = None) -> list[Flowable]:
    st = styles()
    generated = generated or datetime.now()
    ref = stats.round
    story: list[Flowable] = [
        Paragraph(_escape(f"{ref.name}统计报告"), st["title"]),
        Paragraph(
            _escape(
                f"依据：《{ref.rulebook_title}》　基准日：{ref.reference_date.isoformat()}　"
                f"名录统计日期：{stats.as_of.isoformat()}　生成时间：{generated:%Y-%m-%d %H:%M}"
            ),
            st["small"],
        ),
        Spacer(1, 4 * mm),
        Paragraph("概况", st["h2"]),
        Paragraph(_escape(summary(stats)), st["body"]),
    ]
    for n, key in enumerate(HEADINGS, start=1):
        chart = build_chart(key, stats)
        heading = Paragraph(f"{chinese_numeral(n)}、{HEADINGS[key]}", st["h2"])
        if chart.empty:
            story.append(heading)
            story.append(Paragraph("暂无数据。", st["body"]))
            continue
        story.append(KeepTogether([heading, _picture(chart)]))
        chart.figure.clear()
        if chart.note:
            story.append(Paragraph(_escape(chart.note), st["small"]))
        columns, rows = chart_table(key, stats)
        story.append(Spacer(1, 2 * mm))
        story.append(grid([columns, *rows], table_widths(key, columns, TEXT_WIDTH)))
        if key in NOTES:
            story.append(Paragraph(_escape(NOTES[key]), st["small"]))
        story.append(Spacer(1, 4 * mm))
    return story


def _texts(stats: RoundStats) -> list[tuple[str, str]]:
    """The variable text of the report, for the glyph check before anything is written."""
    texts = [(stats.round.name, "批次名称")]
    texts += [(c.county, "县（市、区）") for c in stats.by_county]
    texts += [(e.name, "专家姓名") for e in stats.scoring.experts]
    texts += [(d.platform_name, "平台名称") for d in stats.scoring.dossiers]
    return texts


def write_stats_report(
    store: Store, round_id: int, target: Path, *, as_of: date | None = None
) -> Path:
    """The 统计报告 PDF of a round; the register's figures as of ``as_of`` (default today)."""
    stats = round_stats(store, round_id, as_of)
    check_glyphs(_texts(stats))
    story = report_story(stats)
    with atomic_path(target) as tmp:
        build_a4(tmp, f"{stats.round.name}统计报告", story)
    return target
