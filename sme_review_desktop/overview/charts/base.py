"""What every chart shares: the Chart object, the font, colours and hatches, small helpers.

Built on ``matplotlib.figure.Figure`` alone (never pyplot and its global figures), so the Qt
window, a worker thread writing the 统计报告 and the command line each hold their own figures.
Categories are told apart by hatching and words as well as by colour, so a black-and-white
printout reads the same; a chart with nothing to show says 「暂无数据」."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sme_review_desktop.overview.stats_model import (
    OverallStats,
    RoundStats,
    Selection,
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


def figure(height: float) -> Figure:
    chart_font()
    return Figure(figsize=(WIDTH, height), dpi=100, layout="constrained", facecolor="white")


def empty(key: str, title: str, hint: str = "") -> Chart:
    fig = figure(2.4)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_title(title, loc="left")
    ax.text(0.5, 0.55, EMPTY, ha="center", va="center", fontsize=20, color="#555555")
    if hint:
        ax.text(0.5, 0.25, hint, ha="center", va="center", fontsize=10, color="#777777")
    return Chart(key, title, fig, empty=True)


def series_legend(ax: Axes, series: Sequence[tuple[Any, str, str, str]]) -> None:
    """The stacked bars' legend beside the plot: colour and hatch, so it reads in print too."""
    ax.legend(
        handles=[Patch(facecolor=c, hatch=h, edgecolor=INK, label=t) for _, t, c, h in series],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
    )


def plain_axes(ax: Axes, *, x: bool = True) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not x:
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="x", bottom=False, labelbottom=False)


def wrap(text: str, width: int = 20, lines: int = 3) -> str:
    parts = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], parts[lines - 1][: width - 1] + "…"]
    return "\n".join(parts)


def bar_label(ax: Axes, x: float, y: float, text: str, **kw: object) -> None:
    ax.text(x, y, text, va="center", fontsize=9, color=INK, **kw)  # type: ignore[arg-type]


def thin(values: Sequence[float], most: int) -> Sequence[float]:
    """At most ``most`` of the sorted values, evenly spaced: the strip keeps its shape."""
    if len(values) <= most:
        return values
    step = (len(values) - 1) / (most - 1)
    return [values[round(k * step)] for k in range(most)]


def pct(n: int, of: int) -> str:
    return f"{n / of * 100:.0f}%" if of else "—"
