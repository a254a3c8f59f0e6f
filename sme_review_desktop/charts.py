"""The 概览's charts as matplotlib Figures: one drawing for the screen, the PNG and the PDF.

Built on ``matplotlib.figure.Figure`` alone (never pyplot and its global figures), so the Qt
window, a worker thread writing the 统计报告 and the command line each hold their own figures.
No Qt here. Every chart reads a stats dataclass (stats.py) and nothing else, writes its
numbers on the bars, and tells categories apart by hatching and words as well as by colour,
so a black-and-white printout reads the same. A chart with nothing to show says 「暂无数据」.

``chart_table`` gives the same numbers as rows, for the table under each chart in the PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sme_review_desktop.overview.dossier_list import DECISION_LABELS
from sme_review_desktop.stats import (
    SUGGESTIONS,
    OverallStats,
    RegisterStats,
    RoundStats,
    Selection,
    county_selection,
    funnel_selection,
    shortfall_selection,
)
from sme_review_desktop.store.paths import resources_dir

EMPTY = "暂无数据"
WIDTH = 8.0  # inches; the PDF scales the picture to the text width
DOSSIER_ROWS = 60  # the per-dossier score chart shows the best ranked this many
STRIP_POINTS = 400  # beside each box, at most this many totals are drawn (evenly chosen)

INK = "#222222"
NEUTRAL = "#8da0b3"
COLOURS = {
    "met": "#7fb48f",
    "review": "#e0bf73",
    "unmet": "#d98880",
    "approved": "#7fb48f",
    "rejected": "#d98880",
    "pool": "#8fb0d9",
    "undecided": "#ffffff",
    "certified": "#5d86b8",
}
HATCHES = {
    "met": "",
    "review": "..",
    "unmet": "//",
    "approved": "",
    "rejected": "//",
    "pool": "xx",
    "undecided": "",
    "certified": "\\\\",
}

Stats = RoundStats | OverallStats


@dataclass
class Chart:
    """A figure and, for the bars one can click, the dossiers each stands for."""

    key: str
    title: str
    figure: Figure
    empty: bool = False
    targets: dict[Artist, Selection] = field(default_factory=dict)
    note: str = ""  # shown under the chart (and printed): what was left out, how to read it

    @property
    def clickable(self) -> bool:
        return bool(self.targets)

    def png(self, dpi: int = 200) -> bytes:
        out = io.BytesIO()
        self.figure.savefig(out, format="png", dpi=dpi, facecolor="white")
        return out.getvalue()

    def save_png(self, target: Path, dpi: int = 200) -> Path:
        from sme_review_desktop.store.atomic import atomic_path

        with atomic_path(target) as tmp:
            tmp.write_bytes(self.png(dpi))
        return target


@cache
def chart_font() -> str:
    """Register the bundled font with matplotlib once and make it the charts' font family."""
    path = resources_dir() / "fonts" / "LXGWWenKai-Regular.ttf"
    font_manager.fontManager.addfont(str(path))
    name = str(font_manager.FontProperties(fname=str(path)).get_name())
    # The app's only matplotlib use is these charts; DejaVu Sans draws anything the font lacks.
    matplotlib.rcParams["font.family"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["hatch.linewidth"] = 0.6
    matplotlib.rcParams["axes.titlesize"] = 12
    matplotlib.rcParams["font.size"] = 10
    return name


def _figure(height: float) -> Figure:
    chart_font()
    return Figure(figsize=(WIDTH, height), dpi=100, layout="constrained", facecolor="white")


def _empty(key: str, title: str, hint: str = "") -> Chart:
    fig = _figure(2.4)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, loc="left")
    ax.text(0.5, 0.55, EMPTY, ha="center", va="center", fontsize=20, color="#555555")
    if hint:
        ax.text(0.5, 0.25, hint, ha="center", va="center", fontsize=10, color="#777777")
    return Chart(key, title, fig, empty=True)


def _series_legend(ax: Axes, series: Sequence[tuple[Any, str, str, str]]) -> None:
    """The stacked bars' legend beside the plot: colour and hatch, so it reads in print too."""
    ax.legend(
        handles=[Patch(facecolor=c, hatch=h, edgecolor=INK, label=t) for _, t, c, h in series],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
    )


def _plain_axes(ax: Axes, *, x: bool = True) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not x:
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="x", bottom=False, labelbottom=False)


def _wrap(text: str, width: int = 20, lines: int = 3) -> str:
    parts = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], parts[lines - 1][: width - 1] + "…"]
    return "\n".join(parts)


def _bar_label(ax: Axes, x: float, y: float, text: str, **kw: object) -> None:
    ax.text(x, y, text, va="center", fontsize=9, color=INK, **kw)  # type: ignore[arg-type]


def _thin(values: Sequence[float], most: int) -> Sequence[float]:
    """At most ``most`` of the sorted values, evenly spaced: the strip keeps its shape."""
    if len(values) <= most:
        return values
    step = (len(values) - 1) / (most - 1)
    return [values[round(k * step)] for k in range(most)]


def _pct(n: int, of: int) -> str:
    return f"{n / of * 100:.0f}%" if of else "—"


# ---- one round -------------------------------------------------------------------------------


def funnel_chart(stats: RoundStats) -> Chart:
    title = "评审漏斗：从收到申报到认定"
    f = stats.funnel
    if f.received == 0:
        return _empty("funnel", title, "本批次还没有导入申报材料")
    decisions = [*stats.decisions, "undecided"]
    names = {**dict(SUGGESTIONS), **DECISION_LABELS, "undecided": "未决定"}
    rows: list[tuple[str, list[tuple[str, str | None, int]]]] = [
        ("收到申报", [("received", None, f.received)]),
        ("形式审查通过\n（材料齐全）", [("formal_complete", None, f.formal_complete)]),
        ("系统建议", [("suggestion", k, f.suggestion.get(k, 0)) for k, _ in SUGGESTIONS]),
        ("评审决定", [("decision", d, f.decision.get(d, 0)) for d in decisions]),
        ("已公示", [("publicised", None, f.publicised)]),
        ("已认定（发证）", [("certified", None, f.certified)]),
    ]
    fig = _figure(4.6)
    ax = fig.add_subplot()
    chart = Chart("funnel", title, fig)
    widest = f.received
    for row, (_, segments) in enumerate(rows):
        y = len(rows) - 1 - row
        total = sum(n for _, _, n in segments)
        left = (widest - total) / 2
        for stage, part, n in segments:
            if n <= 0:
                continue
            colour = COLOURS.get(part or "", NEUTRAL)
            bar = ax.barh(
                y,
                n,
                left=left,
                height=0.62,
                color=colour,
                hatch=HATCHES.get(part or "", ""),
                edgecolor=INK,
                linewidth=0.7,
            )
            rect = bar.patches[0]
            rect.set_picker(True)
            chart.targets[rect] = funnel_selection(stage, part)
            if n / widest >= 0.07:
                inside = f"{names[part]}\n{n}" if part and n / widest >= 0.14 else str(n)
                ax.text(
                    left + n / 2,
                    y,
                    inside,
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=INK,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
                )
            left += n
        if len(segments) == 1:
            side = f"{total} 份（{_pct(total, widest)}）"
        else:
            side = " · ".join(f"{names[p or '']} {n}" for _, p, n in segments)
        _bar_label(ax, widest * 1.03, y, side)
    ax.set_yticks(range(len(rows)), [r[0] for r in reversed(rows)])
    ax.set_xlim(0, widest * 1.75)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_title(title, loc="left")
    _plain_axes(ax, x=False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", left=False)
    return chart


def shortfalls_chart(stats: RoundStats) -> Chart:
    title = "申报不符合的条件（系统判定或评审人判定）"
    items = stats.shortfalls
    if not items:
        return _empty("shortfalls", title, "尚无系统或评审人判定不符合的条件")
    n = len(items)
    fig = _figure(max(2.8, 0.46 * n + 1.1))
    ax = fig.add_subplot()
    chart = Chart("shortfalls", title, fig)
    ys = list(range(n - 1, -1, -1))
    most = max(s.dossiers for s in items)
    for y, s in zip(ys, items, strict=True):
        bar = ax.barh(
            y,
            s.dossiers,
            height=0.62,
            color=COLOURS["unmet"],
            hatch=HATCHES["unmet"],
            edgecolor=INK,
            linewidth=0.7,
        )
        rect = bar.patches[0]
        rect.set_picker(True)
        chart.targets[rect] = shortfall_selection(s)
        _bar_label(
            ax,
            s.dossiers + most * 0.02,
            y,
            f"{s.dossiers} 家不符合（系统 {s.app} · 评审人 {s.reviewer}）",
        )
    ax.set_yticks(ys, [_wrap(s.label, 22) for s in items], fontsize=9)
    ax.set_xlim(0, most * 1.7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("申报材料（家）")
    ax.set_title(title, loc="left")
    _plain_axes(ax)
    return chart


def county_chart(stats: Stats) -> Chart:
    title = "分县（市、区）：申报、拟认定与认定"
    rows = stats.by_county
    if not rows:
        return _empty("by_county", title, "还没有申报材料")
    clickable = isinstance(stats, RoundStats)
    n = len(rows)
    fig = _figure(max(2.8, 0.62 * n + 1.2))
    ax = fig.add_subplot()
    chart = Chart("by_county", title, fig)
    series = (
        ("dossiers", "申报", NEUTRAL, ""),
        ("approved", "拟认定", COLOURS["approved"], "//"),
        ("certified", "已认定", COLOURS["certified"], HATCHES["certified"]),
    )
    most = max(r.dossiers for r in rows) or 1
    height = 0.26
    for i, row in enumerate(rows):
        y = n - 1 - i
        for k, (what, _, colour, hatch) in enumerate(series):
            value = getattr(row, what)
            yy = y + (1 - k) * height
            bar = ax.barh(
                yy,
                value,
                height=height,
                color=colour,
                hatch=hatch,
                edgecolor=INK,
                linewidth=0.6,
            )
            if clickable and value:
                rect = bar.patches[0]
                rect.set_picker(True)
                chart.targets[rect] = county_selection(row.county, what)
            ax.text(value + most * 0.01, yy, str(value), va="center", fontsize=8, color=INK)
    ax.set_yticks(range(n - 1, -1, -1), [r.county for r in rows])
    ax.set_xlim(0, most * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("申报材料（家）")
    ax.set_title(title, loc="left")
    _series_legend(ax, series)
    _plain_axes(ax)
    return chart


def expert_spread_chart(stats: RoundStats) -> Chart:
    title = "专家评分分布：各位专家的总分与评审组汇总分"
    sc = stats.scoring
    if sc.panel is None:
        return _empty("expert_spread", title, "本批次还没有专家评分")
    fig = _figure(4.4)
    ax = fig.add_subplot()
    boxes = [e for e in sc.experts if e.count]
    every = [*boxes, sc.panel]
    data: list[dict[str, Any]] = [
        {
            "label": e.name,
            "med": e.median,
            "q1": e.q1,
            "q3": e.q3,
            "whislo": e.minimum,
            "whishi": e.maximum,
            "mean": e.mean,
            "fliers": [],
        }
        for e in every
    ]
    positions = list(range(1, len(every) + 1))
    drawn = ax.bxp(
        data,
        positions=positions,
        widths=0.5,
        patch_artist=True,
        showmeans=True,
        meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": INK},
        medianprops={"color": INK, "linewidth": 2},
    )
    for k, box in enumerate(drawn["boxes"]):
        panel = k == len(every) - 1
        box.set_facecolor("#d9d9d9" if panel else "#dde6f0")
        box.set_hatch("//" if panel else "")
        box.set_edgecolor(INK)
    for pos, e in zip(positions, every, strict=True):
        points = _thin(e.totals, STRIP_POINTS)
        spread = [((k % 7) - 3) * 0.035 for k in range(len(points))]
        ax.plot(
            [pos + 0.38 + d for d in spread],
            points,
            linestyle="none",
            marker="o",
            markersize=3.5,
            markerfacecolor="none",
            markeredgecolor="#555555",
            markeredgewidth=0.7,
        )
        ax.text(pos - 0.28, e.median or 0, f"{e.median:.1f}", ha="right", va="center", fontsize=8)
    ax.set_xlim(0.2, len(every) + 0.8)
    assert sc.panel.median is not None
    ax.axhline(sc.panel.median, color="#555555", linestyle="--", linewidth=0.8)
    labels = []
    for e in every:
        if e is sc.panel:
            labels.append(f"评审组\n汇总分\n（{e.count}份）")
        else:
            dev = e.mean_deviation
            lean = "" if dev is None else f"\n偏差 {dev:+.1f}"
            labels.append(f"{e.name}{lean}\n（{e.count}份）")
    ax.set_xticks(positions, labels, fontsize=9)
    ax.set_ylabel("总分")
    ax.set_title(title, loc="left")
    ax.legend(
        handles=[
            Line2D([], [], color=INK, linewidth=2, label="中位数"),
            Line2D([], [], marker="D", color="none", markeredgecolor=INK, label="平均分"),
            Line2D(
                [],
                [],
                marker="o",
                color="none",
                markeredgecolor="#555555",
                label="各份总分",
                markersize=4,
            ),
            Line2D([], [], color="#555555", linestyle="--", label="评审组汇总分中位数"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
    )
    _plain_axes(ax)
    missing = [e.name for e in sc.experts if not e.count]
    note = "偏差：专家总分与该份汇总分之差的平均，负为偏严、正为偏宽。"
    if missing:
        note += f"尚未评分：{'、'.join(missing)}。"
    return Chart("expert_spread", title, fig, note=note)


def dossier_scores_chart(stats: RoundStats) -> Chart:
    title = "各申报的专家总分与汇总分（按名次）"
    rows = stats.scoring.dossiers
    if not rows:
        return _empty("dossier_scores", title, "本批次还没有专家评分")
    shown = rows[:DOSSIER_ROWS]
    n = len(shown)
    fig = _figure(max(2.8, 0.36 * n + 1.3))
    ax = fig.add_subplot()
    values = [v for r in shown for _, v in r.scores]
    low, high = min(values), max(values)
    for i, r in enumerate(shown):
        y = n - 1 - i
        normal = [v for name, v in r.scores if name not in r.outliers]
        ax.plot(
            normal,
            [y] * len(normal),
            linestyle="none",
            marker="o",
            markersize=5,
            markerfacecolor="none",
            markeredgecolor="#555555",
        )
        for name, v in r.scores:
            if name in r.outliers:
                ax.plot([v], [y], marker="X", markersize=8, color="#b3261e", linestyle="none")
                ax.text(v, y + 0.28, name, ha="center", fontsize=7, color="#b3261e")
        if r.aggregate is not None:
            ax.plot([r.aggregate], [y], marker="|", markersize=14, mew=2.5, color=INK)
            ax.text(
                high + (high - low) * 0.06 + 1, y, f"{r.aggregate:.2f}", va="center", fontsize=8
            )
    ax.set_yticks(
        range(n - 1, -1, -1),
        [f"{r.rank or '—'}. {r.platform_name[:16]}" for r in shown],
        fontsize=8,
    )
    ax.set_xlim(low - (high - low) * 0.05 - 2, high + (high - low) * 0.18 + 6)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel("总分（右侧数字为汇总分）")
    ax.set_title(title, loc="left")
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(
        handles=[
            Line2D([], [], marker="o", color="none", markeredgecolor="#555555", label="专家总分"),
            Line2D(
                [],
                [],
                marker="X",
                color="none",
                markerfacecolor="#b3261e",
                label="偏离其他专家均值超过15分",
            ),
            Line2D(
                [],
                [],
                marker="|",
                color=INK,
                markersize=12,
                mew=2.5,
                linestyle="none",
                label="汇总分",
            ),
        ],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
    )
    _plain_axes(ax)
    note = (
        f"只画出前{DOSSIER_ROWS}名，共{len(rows)}份；统计报告的表格列出全部。"
        if len(rows) > n
        else ""
    )
    return Chart("dossier_scores", title, fig, note=note)


# ---- the register ----------------------------------------------------------------------------


def _register_scope(reg: RegisterStats) -> str:
    return "本批次" if reg.scope == "round" else "全部批次"


def register_years_chart(stats: Stats) -> Chart:
    reg = stats.register
    title = f"历年认定的示范平台（{_register_scope(reg)}）"
    if not reg.certified_by_year:
        return _empty("register_years", title, "还没有认定的示范平台")
    fig = _figure(3.2)
    ax = fig.add_subplot()
    years = [str(y) for y, _ in reg.certified_by_year]
    counts = [n for _, n in reg.certified_by_year]
    revoked = dict(reg.revocations_by_year)
    xs = list(range(len(years)))
    bars = ax.bar(xs, counts, width=0.55, color=COLOURS["certified"], edgecolor=INK)
    ax.bar_label(bars, labels=[f"{n} 家" for n in counts], fontsize=9, padding=2)
    pad = (max(len(years), 5) - len(years)) / 2 + 0.6  # a year or two stay slim bars
    ax.set_xlim(-pad, len(years) - 1 + pad)
    ax.set_xticks(xs, [f"{y}年" for y in years])
    ax.set_ylim(0, max(counts) * 1.25)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("认定（家）")
    ax.set_title(title, loc="left")
    _plain_axes(ax)
    note = ""
    if revoked:
        note = "其中后来撤销的按撤销年份计：" + "，".join(
            f"{y}年{n}家" for y, n in sorted(revoked.items())
        )
    return Chart("register_years", title, fig, note=note)


def register_expiry_chart(stats: Stats) -> Chart:
    reg = stats.register
    title = f"有效期届满：今后36个月每月到期（{_register_scope(reg)}）"
    if reg.certificates == 0:
        return _empty("register_expiry", title, "还没有认定的示范平台")
    fig = _figure(3.4)
    ax = fig.add_subplot()
    months = [m for m, _ in reg.expiring_by_month]
    counts = [n for _, n in reg.expiring_by_month]
    xs = list(range(len(months)))
    bars = ax.bar(xs, counts, width=0.7, color=COLOURS["review"], hatch="..", edgecolor=INK)
    ax.bar_label(bars, labels=[str(n) if n else "" for n in counts], fontsize=8, padding=2)
    ticks = list(range(0, len(months), 3))
    ax.set_xticks(ticks, [months[i] for i in ticks], rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, max(1, max(counts)) * 1.3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("到期（家）")
    ax.set_title(title, loc="left")
    _plain_axes(ax)
    total = sum(counts)
    note = f"今后36个月共{total}家到期。" if total else "今后36个月内没有到期的示范平台。"
    return Chart("register_expiry", title, fig, note=note)


def register_status_chart(stats: Stats) -> Chart:
    reg = stats.register
    title = f"名录状况、报送与撤销（截至{reg.as_of.isoformat()}，{_register_scope(reg)}）"
    if reg.certificates == 0:
        return _empty("register_status", title, "还没有认定的示范平台")
    rows = [
        ("有效", reg.status["valid"], COLOURS["approved"], ""),
        ("即将到期（90天内）", reg.status["expiring"], COLOURS["review"], ".."),
        ("已到期", reg.status["expired"], "#bdbdbd", "xx"),
        ("已撤销", reg.status["revoked"], COLOURS["rejected"], "//"),
        ("逾期未报的报告（份）", reg.reports_overdue, "#ffffff", "\\\\"),
        ("有逾期未报的平台（家）", reg.platforms_with_overdue, "#ffffff", "--"),
    ]
    fig = _figure(3.4)
    ax = fig.add_subplot()
    ys = list(range(len(rows) - 1, -1, -1))
    most = max(max(n for _, n, _, _ in rows), 1)
    for y, (_, n, colour, hatch) in zip(ys, rows, strict=True):
        ax.barh(y, n, height=0.6, color=colour, hatch=hatch, edgecolor=INK, linewidth=0.7)
        _bar_label(ax, n + most * 0.02, y, str(n))
    ax.set_yticks(ys, [r[0] for r in rows])
    ax.axhline(1.5, color="#999999", linewidth=0.6, linestyle=":")
    ax.set_xlim(0, most * 1.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, loc="left")
    _plain_axes(ax)
    return Chart("register_status", title, fig)


# ---- across rounds ---------------------------------------------------------------------------


def rounds_chart(stats: OverallStats) -> Chart:
    title = "各批次：收到申报、拟认定与认定"
    rows = stats.rounds
    if not rows:
        return _empty("rounds", title, "还没有认定批次")
    n = len(rows)
    fig = _figure(max(2.8, 0.9 * n + 1.2))
    ax = fig.add_subplot()
    chart = Chart("rounds", title, fig)
    series = (
        ("received", "收到申报", NEUTRAL, ""),
        ("approved", "拟认定", COLOURS["approved"], "//"),
        ("certified", "已认定", COLOURS["certified"], HATCHES["certified"]),
    )
    most = max(max(r.received, r.approved, r.certified) for r in rows) or 1
    height = 0.26
    for i, row in enumerate(rows):
        y = n - 1 - i
        for k, (what, _, colour, hatch) in enumerate(series):
            value = getattr(row, what)
            yy = y + (1 - k) * height
            bar = ax.barh(yy, value, height=height, color=colour, hatch=hatch, edgecolor=INK)
            rect = bar.patches[0]
            rect.set_picker(True)
            chart.targets[rect] = Selection("round", (row.round.id,), row.round.name)
            ax.text(value + most * 0.01, yy, str(value), va="center", fontsize=8)
    ax.set_yticks(range(n - 1, -1, -1), [_wrap(r.round.name, 14, 2) for r in rows], fontsize=9)
    ax.set_xlim(0, most * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, loc="left")
    _series_legend(ax, series)
    _plain_axes(ax)
    return chart


# ---- which charts, and their numbers as tables -----------------------------------------------

Builder = Callable[[Stats], Chart]

ROUND_CHARTS: tuple[tuple[str, str], ...] = (
    ("funnel", "评审漏斗"),
    ("shortfalls", "不符合条件"),
    ("by_county", "分县（市、区）"),
    ("expert_spread", "专家评分分布"),
    ("dossier_scores", "各申报评分"),
    ("register_years", "历年认定"),
    ("register_expiry", "有效期届满"),
    ("register_status", "名录状况"),
)
OVERALL_CHARTS: tuple[tuple[str, str], ...] = (
    ("rounds", "各批次对比"),
    ("by_county", "分县（市、区）"),
    ("register_years", "历年认定"),
    ("register_expiry", "有效期届满"),
    ("register_status", "名录状况"),
)
_BUILDERS: dict[str, Callable[..., Chart]] = {
    "funnel": funnel_chart,
    "shortfalls": shortfalls_chart,
    "by_county": county_chart,
    "expert_spread": expert_spread_chart,
    "dossier_scores": dossier_scores_chart,
    "register_years": register_years_chart,
    "register_expiry": register_expiry_chart,
    "register_status": register_status_chart,
    "rounds": rounds_chart,
}


def chart_keys(stats: Stats) -> tuple[tuple[str, str], ...]:
    return ROUND_CHARTS if isinstance(stats, RoundStats) else OVERALL_CHARTS


def build_chart(key: str, stats: Stats) -> Chart:
    return _BUILDERS[key](stats)


def build_charts(stats: Stats) -> list[Chart]:
    return [build_chart(key, stats) for key, _ in chart_keys(stats)]


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def chart_table(key: str, stats: Stats) -> tuple[list[str], list[list[str]]]:
    """The numbers of one chart as a header and rows of text: the table under it in the PDF."""
    if key == "funnel":
        assert isinstance(stats, RoundStats)
        f = stats.funnel
        names = {**DECISION_LABELS, "undecided": "未决定"}
        rows = [
            ["收到申报", str(f.received), _pct(f.received, f.received)],
            [
                "形式审查通过（材料齐全）",
                str(f.formal_complete),
                _pct(f.formal_complete, f.received),
            ],
        ]
        rows += [
            [
                f"系统建议：{label}",
                str(f.suggestion.get(k, 0)),
                _pct(f.suggestion.get(k, 0), f.received),
            ]
            for k, label in SUGGESTIONS
        ]
        rows += [
            [f"评审决定：{names.get(d, d)}", str(n), _pct(n, f.received)]
            for d, n in f.decision.items()
        ]
        rows += [
            ["已公示", str(f.publicised), _pct(f.publicised, f.received)],
            ["已认定（发证）", str(f.certified), _pct(f.certified, f.received)],
        ]
        return ["环节", "申报材料（份）", "占收到申报"], rows
    if key == "shortfalls":
        assert isinstance(stats, RoundStats)
        return ["条款", "条件", "标准", "系统判定不符合", "评审人判定不符合", "不符合（家）"], [
            [
                s.clause,
                s.text,
                s.threshold or "评审人判断",
                str(s.app),
                str(s.reviewer),
                str(s.dossiers),
            ]
            for s in stats.shortfalls
        ]
    if key == "by_county":
        return ["县（市、区）", "申报", "拟认定", "已认定"], [
            [c.county, str(c.dossiers), str(c.approved), str(c.certified)] for c in stats.by_county
        ]
    if key == "expert_spread":
        assert isinstance(stats, RoundStats)
        sc = stats.scoring
        every = [*sc.experts, *([sc.panel] if sc.panel else [])]
        return [
            "专家",
            "评分份数",
            "最低",
            "下四分位",
            "中位数",
            "上四分位",
            "最高",
            "平均",
            "平均偏差",
            "被标记偏离",
        ], [
            [
                e.name,
                str(e.count),
                _num(e.minimum),
                _num(e.q1),
                _num(e.median),
                _num(e.q3),
                _num(e.maximum),
                _num(e.mean),
                "" if e.mean_deviation is None else f"{e.mean_deviation:+.2f}",
                "" if e is sc.panel else str(e.flagged),
            ]
            for e in every
        ]
    if key == "dossier_scores":
        assert isinstance(stats, RoundStats)
        experts = [e.name for e in stats.scoring.experts]
        rows = []
        for d in stats.scoring.dossiers:
            scores = dict(d.scores)
            rows.append(
                [
                    str(d.rank or ""),
                    d.platform_name,
                    *[
                        (
                            ""
                            if n not in scores
                            else f"{scores[n]:.2f}" + ("*" if n in d.outliers else "")
                        )
                        for n in experts
                    ],
                    _num(d.aggregate),
                ]
            )
        return ["名次", "平台名称", *experts, "汇总分"], rows
    reg = stats.register
    if key == "register_years":
        revoked = dict(reg.revocations_by_year)
        years = sorted({y for y, _ in reg.certified_by_year} | set(revoked))
        certified = dict(reg.certified_by_year)
        return ["年份", "认定（家）", "撤销（家）"], [
            [str(y), str(certified.get(y, 0)), str(revoked.get(y, 0))] for y in years
        ]
    if key == "register_expiry":
        return _expiry_table(reg)
    if key == "register_status":
        return ["项目", "数量"], [
            ["有效", str(reg.status["valid"])],
            ["即将到期（90天内）", str(reg.status["expiring"])],
            ["已到期", str(reg.status["expired"])],
            ["已撤销", str(reg.status["revoked"])],
            ["逾期未报的报告（份）", str(reg.reports_overdue)],
            ["有逾期未报的平台（家）", str(reg.platforms_with_overdue)],
        ]
    if key == "rounds":
        assert isinstance(stats, OverallStats)
        return ["认定批次", "办法", "收到申报", "拟认定", "已认定"], [
            [
                r.round.name,
                r.round.rulebook_title,
                str(r.received),
                str(r.approved),
                str(r.certified),
            ]
            for r in stats.rounds
        ]
    raise KeyError(key)


def _expiry_table(reg: RegisterStats) -> tuple[list[str], list[list[str]]]:
    """Twelve month columns a row per year: 36 months in a few lines."""
    by_year: dict[str, dict[int, int]] = {}
    for month, n in reg.expiring_by_month:
        year, mm = month.split("-")
        by_year.setdefault(year, {})[int(mm)] = n
    rows = [
        [
            f"{y}年",
            *[("" if m not in months else str(months[m])) for m in range(1, 13)],
            str(sum(months.values())),
        ]
        for y, months in by_year.items()
    ]
    return ["年份", *[f"{m}月" for m in range(1, 13)], "合计"], rows


def table_widths(key: str, columns: Sequence[str], total: float) -> list[float]:
    """Column widths (in the caller's unit) that give text columns room."""
    wide = {
        "funnel": {0: 3.0},
        "shortfalls": {1: 3.2, 2: 2.0, 0: 1.3},
        "by_county": {0: 2.0},
        "dossier_scores": {1: 3.0},
        "rounds": {0: 3.0, 1: 3.0},
        "register_status": {0: 3.0},
        "register_expiry": {0: 1.8, 13: 1.3},
    }.get(key, {})
    weights = [wide.get(i, 1.0) for i in range(len(columns))]
    return [total * w / sum(weights) for w in weights]
