"""The register's charts: certified by year, expiry per month, status."""

from __future__ import annotations

from matplotlib.ticker import MaxNLocator

from sme_review_desktop.overview.charts.base import (
    COLOURS,
    INK,
    Chart,
    Stats,
    bar_label,
    empty,
    figure,
    plain_axes,
)
from sme_review_desktop.overview.stats_model import (
    RegisterStats,
)


def _register_scope(reg: RegisterStats) -> str:
    return "本批次" if reg.scope == "round" else "全部批次"


def register_years_chart(stats: Stats) -> Chart:
    reg = stats.register
    title = f"历年认定的示范平台（{_register_scope(reg)}）"
    if not reg.certified_by_year:
        return empty("register_years", title, "还没有认定的示范平台")
    fig = figure(3.2)
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
    plain_axes(ax)
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
        return empty("register_expiry", title, "还没有认定的示范平台")
    fig = figure(3.4)
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
    plain_axes(ax)
    total = sum(counts)
    note = f"今后36个月共{total}家到期。" if total else "今后36个月内没有到期的示范平台。"
    return Chart("register_expiry", title, fig, note=note)


def register_status_chart(stats: Stats) -> Chart:
    reg = stats.register
    title = f"名录状况、报送与撤销（截至{reg.as_of.isoformat()}，{_register_scope(reg)}）"
    if reg.certificates == 0:
        return empty("register_status", title, "还没有认定的示范平台")
    rows = [
        ("有效", reg.status["valid"], COLOURS["approved"], ""),
        ("即将到期（90天内）", reg.status["expiring"], COLOURS["review"], ".."),
        ("已到期", reg.status["expired"], "#bdbdbd", "xx"),
        ("已撤销", reg.status["revoked"], COLOURS["rejected"], "//"),
        ("逾期未报的报告（份）", reg.reports_overdue, "#ffffff", "\\\\"),
        ("有逾期未报的平台（家）", reg.platforms_with_overdue, "#ffffff", "--"),
    ]
    fig = figure(3.4)
    ax = fig.add_subplot()
    ys = list(range(len(rows) - 1, -1, -1))
    most = max(max(n for _, n, _, _ in rows), 1)
    for y, (_, n, colour, hatch) in zip(ys, rows, strict=True):
        ax.barh(y, n, height=0.6, color=colour, hatch=hatch, edgecolor=INK, linewidth=0.7)
        bar_label(ax, n + most * 0.02, y, str(n))
    ax.set_yticks(ys, [r[0] for r in rows])
    ax.axhline(1.5, color="#999999", linewidth=0.6, linestyle=":")
    ax.set_xlim(0, most * 1.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, loc="left")
    plain_axes(ax)
    return Chart("register_status", title, fig)
