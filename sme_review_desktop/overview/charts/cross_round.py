"""The chart across rounds: each round's funnel side by side."""

from __future__ import annotations

from matplotlib.ticker import MaxNLocator

from sme_review_desktop.overview.charts.base import (
    COLOURS,
    HATCHES,
    INK,
    NEUTRAL,
    Chart,
    empty,
    figure,
    plain_axes,
    series_legend,
    wrap,
)
from sme_review_desktop.overview.stats_model import (
    OverallStats,
    Selection,
)


def rounds_chart(stats: OverallStats) -> Chart:
    title = "各批次：收到申报、拟认定与认定"
    rows = stats.rounds
    if not rows:
        return empty("rounds", title, "还没有认定批次")
    n = len(rows)
    fig = figure(max(2.8, 0.9 * n + 1.2))
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
    ax.set_yticks(range(n - 1, -1, -1), [wrap(r.round.name, 14, 2) for r in rows], fontsize=9)
    ax.set_xlim(0, most * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, loc="left")
    series_legend(ax, series)
    plain_axes(ax)
    return chart
