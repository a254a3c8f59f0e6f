"""Setting a GB/T 9704 document's parts on the grid: lines, pages, balanced titles, table columns."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from sme_review_desktop.exports import fonts
from sme_review_desktop.exports.cjk_break import break_lines, clusters
from sme_review_desktop.exports.gov_grid import (
    LEFT,
    LINE,
    LINES,
    PITCH,
    SIZE_BODY,
    SIZE_TITLE,
    SPACING,
    TYPE_HEIGHT,
    TYPE_TOP_Y,
    TYPE_WIDTH,
    Align,
    _advance,
    _descent,
    cn_date,
    title_words,
    width,
)
from sme_review_desktop.exports.gov_parts import Para, Signature, Table, Title


@dataclass
class PlacedText:
    x: float
    baseline: float
    text: str
    font: str
    size: float
    spacing: float
    heavy: bool = False  # 小标宋's weight where only a regular 宋 is at hand


@dataclass
class Page:
    texts: list[PlacedText] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


class Layout:
    """Places the parts page by page: text lines on grid slots, tables in points."""

    def __init__(self) -> None:
        self.pages: list[Page] = [Page()]
        self.pos = 0.0  # from the type area's top, in points

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(Page())
        self.pos = 0.0

    def slot(self) -> int:
        """The next free grid line, on a new page when this one is full."""
        n = math.ceil(self.pos / LINE - 1e-6)
        if n >= LINES:
            self.new_page()
            n = 0
        return n

    def line(
        self,
        text: str,
        font: str,
        size: float,
        x: float,
        spacing: float,
        *,
        heavy: bool = False,
    ) -> None:
        n = self.slot()
        top = TYPE_TOP_Y - n * LINE
        baseline = top - size * (1 + _descent(font))
        self.page.texts.append(PlacedText(x, baseline, text, font, size, spacing, heavy))
        self.pos = (n + 1) * LINE

    # ---- parts

    def para(self, p: Para) -> None:
        font = fonts.face(p.role).name
        spacing = SPACING if p.size == SIZE_BODY else 0.0
        pitch = p.size + spacing
        first = TYPE_WIDTH - p.indent * pitch
        rest = TYPE_WIDTH - p.hang * pitch
        lines = break_lines(
            p.text, lambda ch: _advance(font, ch, p.size), (first, rest), spacing, p.size
        )
        for n, broken in enumerate(lines):
            inset = (p.indent if n == 0 else p.hang) * pitch
            avail = TYPE_WIDTH - inset
            natural = width(broken.text, font, p.size, spacing)
            cs = spacing
            x = LEFT + inset
            if p.align == "justify" and not broken.last and len(broken.text) > 1:
                cs = (avail - width(broken.text, font, p.size)) / (len(broken.text) - 1)
            elif p.align == "center":
                x = LEFT + (TYPE_WIDTH - natural) / 2
            elif p.align == "right":
                x = LEFT + TYPE_WIDTH - natural
            self.line(broken.text, font, p.size, x, cs)

    def title(self, t: Title) -> None:
        font = fonts.title_font()
        heavy = fonts.face(fonts.TITLE).style != "小标宋"
        for text in balanced_title(t.text, font):
            x = LEFT + (TYPE_WIDTH - width(text, font, SIZE_TITLE)) / 2
            self.line(text, font, SIZE_TITLE, x, 0.0, heavy=heavy)

    def signature(self, s: Signature) -> None:
        """成文日期右空四字; 发文机关署名 centred over it (GB/T 9704 7.3.5.2)."""
        font = fonts.body_font()
        free = LINES - self.slot()
        if free < 2:
            self.new_page()
        else:
            self.pos = (self.slot() + min(s.space, free - 2)) * LINE
        day = cn_date(s.day)
        date_w = width(day, font, SIZE_BODY, SPACING)
        right = LEFT + TYPE_WIDTH - 4 * PITCH
        centre = right - date_w / 2
        issuer_w = width(s.issuer, font, SIZE_BODY, SPACING)
        # A long issuer moves left to stay in the type area rather than past its edge.
        issuer_x = min(centre - issuer_w / 2, LEFT + TYPE_WIDTH - issuer_w)
        self.line(s.issuer, font, SIZE_BODY, max(LEFT, issuer_x), SPACING)
        self.line(day, font, SIZE_BODY, right - date_w, SPACING)

    def table(self, t: Table) -> None:
        font = fonts.body_font()
        size, widths = column_widths(t, font)
        pad_x, pad_y = 0.35 * size, 0.3 * size
        leading = size * 1.4

        header = [cell_lines(c, font, size, w) for c, w in zip(t.columns, widths, strict=True)]
        body = [
            [cell_lines(c, font, size, w) for c, w in zip(row, widths, strict=True)]
            for row in t.rows
        ]

        def height(cells: list[list[str]]) -> float:
            return max(len(c) for c in cells) * leading + 2 * pad_y

        def draw_row(cells: list[list[str]], aligns: Sequence[Align]) -> None:
            h = height(cells)
            top = TYPE_TOP_Y - self.pos
            x = LEFT
            for lines, w, align in zip(cells, widths, aligns, strict=True):
                block = len(lines) * leading
                y = top - (h - block) / 2  # vertically centred
                for n, text in enumerate(lines):
                    tw = width(text, font, size)
                    tx = x + pad_x if align in ("left", "justify") else x + (w - tw) / 2
                    baseline = y - n * leading - (leading - size) / 2 - size * (1 + _descent(font))
                    self.page.texts.append(PlacedText(tx, baseline, text, font, size, 0.0))
                x += w
            # Rules: top and bottom of the row and each column's sides.
            bottom = top - h
            self.page.rules.append((LEFT, top, LEFT + TYPE_WIDTH, top))
            self.page.rules.append((LEFT, bottom, LEFT + TYPE_WIDTH, bottom))
            x = LEFT
            for w in [0.0, *widths]:
                x += w
                self.page.rules.append((x, top, x, bottom))
            self.pos += h

        self.pos = self.slot() * LINE
        draw_row(header, ["center"] * len(widths))
        for cells in body:
            if self.pos + height(cells) > TYPE_HEIGHT + 1e-6:
                self.new_page()
                draw_row(header, ["center"] * len(widths))  # the header again on every page
            draw_row(cells, t.aligns)


def balanced_title(title: str, font: str) -> list[str]:
    """The title in the fewest lines that fit, broken between words, as even as possible
    (the longest line as short as it can be; on a tie, the upper line the shorter)."""
    words = title_words(title)
    widths = [width(w, font, SIZE_TITLE) for w in words]
    for count in range(1, len(words) + 1):
        best: tuple[float, float, list[str]] | None = None
        for cuts in itertools.combinations(range(1, len(words)), count - 1):
            bounds = [0, *cuts, len(words)]
            spans = [sum(widths[a:b]) for a, b in itertools.pairwise(bounds)]
            if max(spans) > TYPE_WIDTH + 1e-6:
                continue
            key = (max(spans), spans[0])
            if best is None or key < best[:2]:
                lines = ["".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
                best = (key[0], key[1], lines)
        if best is not None:
            return best[2]
    # A single word wider than the type area: break it by characters.
    return [
        b.text
        for b in break_lines(
            title, lambda ch: _advance(font, ch, SIZE_TITLE), (TYPE_WIDTH,), 0.0, SIZE_TITLE
        )
    ]


def _widths_at(t: Table, font: str, size: float) -> tuple[bool, list[float]]:
    """Widths filling the type area at one size, and whether every header and every unit
    (a number, a date) fits: each column as wide as its longest cell where that fits, the long
    columns capped at one width otherwise."""
    ncol = len(t.columns)
    pad = 2 * 0.35 * size + 0.5
    cells = [[row[j] for row in t.rows] for j in range(ncol)]
    header = [width(c, font, size) + pad for c in t.columns]
    longest_unit = [
        max((width(u, font, size) for c in col for u in clusters(c)), default=0) + pad
        for col in cells
    ]
    desired = [
        max(header[j], max((width(c, font, size) for c in cells[j]), default=0) + pad)
        for j in range(ncol)
    ]
    minimum = [
        max(header[j], longest_unit[j], min(desired[j], t.min_ems * size + pad))
        for j in range(ncol)
    ]
    if sum(desired) <= TYPE_WIDTH:
        extra = TYPE_WIDTH - sum(desired)
        return True, [d + extra * d / sum(desired) for d in desired]
    lo, hi = 0.0, max(desired)
    for _ in range(60):  # bisection for the cap
        cap = (lo + hi) / 2
        total = sum(max(m, min(d, cap)) for m, d in zip(minimum, desired, strict=True))
        lo, hi = (cap, hi) if total < TYPE_WIDTH else (lo, cap)
    widths = [max(m, min(d, lo)) for m, d in zip(minimum, desired, strict=True)]
    scale = TYPE_WIDTH / sum(widths)
    return sum(minimum) <= TYPE_WIDTH + 1e-6, [w * scale for w in widths]


def cell_lines(text: str, font: str, size: float, column: float) -> list[str]:
    """A cell's text broken to its column, less the padding."""
    inner = column - 2 * 0.35 * size
    lines = break_lines(text, lambda ch: _advance(font, ch, size), (inner,), 0.0, size)
    return [b.text for b in lines] or [""]


def column_widths(t: Table, font: str) -> tuple[float, list[float]]:
    """The table's size and column widths: the largest size in ``t.sizes`` at which every
    header is one line and no cell takes more than ``t.max_lines`` lines."""
    chosen: tuple[float, list[float]] | None = None
    for size in t.sizes:
        fits, widths = _widths_at(t, font, size)
        if not fits:
            continue
        chosen = chosen or (size, widths)
        most = max(
            (
                len(cell_lines(c, font, size, w))
                for row in [t.columns, *t.rows]
                for c, w in zip(row, widths, strict=True)
            ),
            default=1,
        )
        if most <= t.max_lines:
            return size, widths
    size = t.sizes[-1]
    return chosen or (size, _widths_at(t, font, size)[1])
