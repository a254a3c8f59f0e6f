"""One round's charts: funnel, shortfalls per clause, counties, expert spread, scores."""

from __future__ import annotations

from typing import Any

from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from sme_review_desktop.overview.charts.base import (
    COLOURS,
    DOSSIER_ROWS,
    HATCHES,
    INK,
    NEUTRAL,
    STRIP_POINTS,
    Chart,
    Stats,
    bar_label,
    empty,
    figure,
    pct,
    plain_axes,
    series_legend,
    thin,
    wrap,
)
from sme_review_desktop.overview.selection import (
    county_selection,
    funnel_selection,
    shortfall_selection,
)
from sme_review_desktop.overview.stats_model import (
    SUGGESTIONS,
    RoundStats,
)
from sme_review_desktop.scoring.decisions import DECISION_LABELS


def funnel_chart(stats: RoundStats) -> Chart:
    title = "评审漏斗：从收到申报到认定"
    f = stats.funnel
    if f.received == 0:
        return empty("funnel", title, "本批次还没有导入申报材料")
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
    fig = figure(4.6)
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
            side = f"{total} 份（{pct(total, widest)}）"
        else:
            side = " · ".join(f"{names[p or '']} {n}" for _, p, n in segments)
        bar_label(ax, widest * 1.03, y, side)
    ax.set_yticks(range(len(rows)), [r[0] for r in reversed(rows)])
    ax.set_xlim(0, widest * 1.75)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_title(title, loc="left")
    plain_axes(ax, x=False)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", left=False)
    return chart


def shortfalls_chart(stats: RoundStats) -> Chart:
    title = "申报不符合的条件（系统判定或评审人判定）"
    items = stats.shortfalls
    if not items:
        return empty("shortfalls", title, "尚无系统或评审人判定不符合的条件")
    n = len(items)
    fig = figure(max(2.8, 0.46 * n + 1.1))
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
        bar_label(
            ax,
            s.dossiers + most * 0.02,
            y,
            f"{s.dossiers} 家不符合（系统 {s.app} · 评审人 {s.reviewer}）",
        )
    ax.set_yticks(ys, [wrap(s.label, 22) for s in items], fontsize=9)
    ax.set_xlim(0, most * 1.7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("申报材料（家）")
    ax.set_title(title, loc="left")
    plain_axes(ax)
    return chart


def county_chart(stats: Stats) -> Chart:
    title = "分县（市、区）：申报、拟认定与认定"
    rows = stats.by_county
    if not rows:
        return empty("by_county", title, "还没有申报材料")
    clickable = isinstance(stats, RoundStats)
    n = len(rows)
    fig = figure(max(2.8, 0.62 * n + 1.2))
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
    series_legend(ax, series)
    plain_axes(ax)
    return chart


def expert_spread_chart(stats: RoundStats) -> Chart:
    title = "专家评分分布：各位专家的总分与评审组汇总分"
    sc = stats.scoring
    if sc.panel is None:
        return empty("expert_spread", title, "本批次还没有专家评分")
    fig = figure(4.4)
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
        points = thin(e.totals, STRIP_POINTS)
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
    plain_axes(ax)
    missing = [e.name for e in sc.experts if not e.count]
    note = "偏差：专家总分与该份汇总分之差的平均，负为偏严、正为偏宽。"
    if missing:
        note += f"尚未评分：{'、'.join(missing)}。"
    return Chart("expert_spread", title, fig, note=note)


def dossier_scores_chart(stats: RoundStats) -> Chart:
    title = "各申报的专家总分与汇总分（按名次）"
    rows = stats.scoring.dossiers
    if not rows:
        return empty("dossier_scores", title, "本批次还没有专家评分")
    shown = rows[:DOSSIER_ROWS]
    n = len(shown)
    fig = figure(max(2.8, 0.36 * n + 1.3))
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
    plain_axes(ax)
    note = (
        f"只画出前{DOSSIER_ROWS}名，共{len(rows)}份；统计报告的表格列出全部。"
        if len(rows) > n
        else ""
    )
    return Chart("dossier_scores", title, fig, note=note)
