"""The GB/T 9704-2012 page, set on a character grid: 公示名单, 认定名单 and 会议纪要.

A4; the type area is 156 × 225 mm, 37 mm from the top and 28 mm from the left; 22 lines of 28
characters in 3号 (16 pt). Measured on the text itself: a full line's first character starts
at the left edge of the type area and its last ends at the right edge; the first line's
characters top at 37 mm and a full page's 22nd line bottoms at 262 mm, so the baseline pitch is
(225 mm − 16 pt) / 21. Body lines are justified to both edges by spreading the space between
characters; a paragraph's last line is set flush left on the grid. Lines break by the Chinese
rules (``cjk_break``).

The title is 2号 (22 pt) 小标宋, centred, broken only between words (``title_words``) into
lines as even as the words allow. 附件说明 follows the text after a blank line, indented two
characters; 发文机关署名 and 成文日期 follow (sealed-document layout, GB/T 9704 7.3.5.2: the
date 右空四字, the issuer centred over it), after two blank lines that leave room for the seal;
the 附件 starts a new page with 「附件」 in 黑体 at the top left and its title centred on the
third line. Page numbers 「— 1 —」 in 4号 sit 7 mm under the type area, odd pages right and
even pages left, one character in.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from sme_review_desktop.exports import fonts
from sme_review_desktop.exports.cjk_break import break_lines, clusters
from sme_review_desktop.exports.pdf_kit import check_glyphs

PAGE_W, PAGE_H = A4
TOP, LEFT = 37 * mm, 28 * mm
TYPE_WIDTH, TYPE_HEIGHT = 156 * mm, 225 * mm
CHARS, LINES = 28, 22
SIZE_TITLE, SIZE_BODY, SIZE_PAGE = 22, 16, 14
PITCH = TYPE_WIDTH / CHARS  # one character's cell on the grid (15.79 pt)
SPACING = (TYPE_WIDTH - CHARS * SIZE_BODY) / (CHARS - 1)  # after each 3号 character (−0.21 pt)
LINE: float = (TYPE_HEIGHT - SIZE_BODY) / (LINES - 1)  # baseline to baseline (29.61 pt)
TYPE_TOP_Y = PAGE_H - TOP  # PDF coordinates (from the bottom)
TYPE_BOTTOM_Y = TYPE_TOP_Y - TYPE_HEIGHT

Align = Literal["justify", "left", "center", "right"]

# Words a title may not be broken inside (the title line-break table, decided once): every
# title the app prints is built from these and from names (a city, a measure), which are kept
# whole. Longest match first.
TITLE_WORDS = (
    "关于公布",
    "关于",
    "中小企业",
    "公共服务",
    "示范平台",
    "拟认定名单的公示",
    "认定名单的通知",
    "拟认定名单",
    "认定名单",
    "认定评审",
    "会议纪要",
    "评审会议纪要",
)


def cn_date(day: date) -> str:
    """Arabic-numeral dates without leading zeros, as GB/T 9704 writes them: 2026年9月21日."""
    return f"{day.year}年{day.month}月{day.day}日"


def title_words(title: str) -> list[str]:
    """A title cut into the pieces a line may break between: the table's words, numbers with
    their 年度, and whatever lies between them kept whole (names)."""
    words: list[str] = []
    rest = ""
    i = 0
    table = sorted(TITLE_WORDS, key=len, reverse=True)
    while i < len(title):
        match = next((w for w in table if title.startswith(w, i)), None)
        if match is None and title[i].isdigit():
            j = i
            while j < len(title) and title[j].isdigit():
                j += 1
            match = title[i:j] + ("年度" if title.startswith("年度", j) else "")
        if match is None and title[i] in "（(":
            j = title.find("）" if title[i] == "（" else ")", i)
            match = title[i : j + 1] if j > 0 else None
        if match is None:
            rest += title[i]
            i += 1
            continue
        if rest:
            words.append(rest)
            rest = ""
        words.append(match)
        i += len(match)
    if rest:
        words.append(rest)
    return words


# ---------------------------------------------------------------- measuring


@cache
def _advance(font: str, ch: str, size: float) -> float:
    """A character's advance in its own font, or in the bundled font that will draw it."""
    face = pdfmetrics.getFont(font).face
    if ord(ch) not in face.charToGlyph and not ch.isspace():
        font = fonts.register()
    return float(stringWidth(ch, font, size))


def width(text: str, font: str, size: float, spacing: float = 0.0) -> float:
    return sum(_advance(font, ch, size) for ch in text) + spacing * max(len(text) - 1, 0)


@cache
def _descent(font: str) -> float:
    """The font's descent (negative) per point of size, as written in the PDF's descriptor."""
    return float(pdfmetrics.getFont(font).face.descent) / 1000


# ---------------------------------------------------------------- the document's parts


@dataclass(frozen=True)
class Para:
    """A paragraph on the grid: ``indent`` characters in on its first line."""

    text: str
    indent: float = 2
    align: Align = "justify"
    role: str = fonts.BODY
    size: float = SIZE_BODY
    hang: float = 0  # characters in on the following lines (附件说明's names align)


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Blank:
    lines: int = 1


@dataclass(frozen=True)
class Signature:
    """署名 and 成文日期, kept together, after ``space`` blank lines for the seal: fewer when
    the page has no more room (GB/T 9704 7.3.5.3 adjusts spacing rather than leave the date
    alone on a page); on a new page only when not even the two lines fit."""

    issuer: str
    day: date
    space: int = 2


@dataclass(frozen=True)
class NewPage:
    pass


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    aligns: list[Align]
    # The largest size at which every header fits on one line and no cell needs more than
    # ``max_lines`` lines; the smallest when none does.
    sizes: tuple[float, ...] = (14, 12, 10.5)
    min_ems: float = 6  # a wrapping column at least this many characters wide
    max_lines: int = 2


Part = Para | Title | Blank | Signature | NewPage | Table


@dataclass
class _Text:
    x: float
    baseline: float
    text: str
    font: str
    size: float
    spacing: float
    heavy: bool = False  # 小标宋's weight where only a regular 宋 is at hand


@dataclass
class _Page:
    texts: list[_Text] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)


class _Layout:
    """Places the parts page by page: text lines on grid slots, tables in points."""

    def __init__(self) -> None:
        self.pages: list[_Page] = [_Page()]
        self.pos = 0.0  # from the type area's top, in points

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(_Page())
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
        self.page.texts.append(_Text(x, baseline, text, font, size, spacing, heavy))
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
                    self.page.texts.append(_Text(tx, baseline, text, font, size, 0.0))
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


# ---------------------------------------------------------------- drawing


def _page_number(canvas: Canvas, n: int) -> None:
    """「— n —」 in 4号, its dashes 7 mm under the type area; odd right, even left, 一字 in."""
    font = fonts.body_font()
    text = f"— {n} —"
    baseline = TYPE_BOTTOM_Y - 7 * mm - 0.3 * SIZE_PAGE
    w = width(text, font, SIZE_PAGE)
    x = LEFT + TYPE_WIDTH - SIZE_PAGE - w if n % 2 else LEFT + SIZE_PAGE
    _draw_text(canvas, _Text(x, baseline, text, font, SIZE_PAGE, 0.0))


def _draw_text(canvas: Canvas, t: _Text) -> None:
    """One line, each character in its face or in the bundled one when the face lacks it."""
    tx = canvas.beginText()
    tx.setTextOrigin(t.x, t.baseline)
    tx.setCharSpace(t.spacing)
    if t.heavy:
        tx.setTextRenderMode(2)  # fill and stroke: the weight of a 小标宋
    for font, run in fonts.split_runs(t.text, t.font):
        tx.setFont(font, t.size)
        tx.textOut(run)
    if t.heavy:
        canvas.saveState()
        canvas.setLineWidth(t.size * 0.028)
        canvas.drawText(tx)
        canvas.restoreState()
    else:
        canvas.drawText(tx)


def layout(parts: Sequence[Part]) -> list[_Page]:
    lay = _Layout()
    for part in parts:
        match part:
            case Para():
                lay.para(part)
            case Title():
                lay.title(part)
            case Blank(lines=n):
                # Blank lines at the top of a page are dropped, as a word processor does.
                if lay.pos > 0:
                    lay.pos = (lay.slot() + n) * LINE
            case Signature():
                lay.signature(part)
            case NewPage():
                lay.new_page()
            case Table():
                lay.table(part)
    return lay.pages


def texts_of(parts: Sequence[Part]) -> list[tuple[str, str]]:
    """The parts' text with where it comes from, for the glyph check."""
    out: list[tuple[str, str]] = []
    for part in parts:
        match part:
            case Para(text=text) | Title(text=text):
                out.append((text, "正文"))
            case Signature(issuer=issuer):
                out.append((issuer, "发文机关"))
            case Table(rows=rows):
                out += [("".join(r), f"表格第{n}行") for n, r in enumerate(rows, start=1)]
    return out


def build(
    target: Path, title: str, parts: Sequence[Part], *, author: str = "", subject: str = ""
) -> None:
    """Write the document; refused before anything is written if a character has no glyph."""
    for role in (fonts.BODY, fonts.TITLE, fonts.HEADING):
        check_glyphs(texts_of(parts), fonts.face(role).name, fallback=True)
    pages = layout(parts)
    canvas = Canvas(str(target), pagesize=A4, initialFontName=fonts.body_font())
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setSubject(subject or title)
    canvas.setKeywords(fonts.described(fonts.TITLE, fonts.BODY, fonts.HEADING))
    canvas.setCreator("示范平台认定评审系统")
    for n, page in enumerate(pages, start=1):
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.75)
        for x0, y0, x1, y1 in page.rules:
            canvas.line(x0, y0, x1, y1)
        canvas.setFillColor(colors.black)
        for t in page.texts:
            _draw_text(canvas, t)
        _page_number(canvas, n)
        canvas.showPage()
    canvas.save()


__all__ = [
    "Blank",
    "NewPage",
    "Para",
    "Signature",
    "Table",
    "Title",
    "build",
    "cn_date",
]
