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
even pages left, one character in."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from sme_review_desktop.exports import fonts
from sme_review_desktop.exports.gov_grid import (
    LEFT,
    LINE,
    SIZE_PAGE,
    TYPE_BOTTOM_Y,
    TYPE_WIDTH,
    cn_date,
    width,
)
from sme_review_desktop.exports.gov_layout import Layout, Page, PlacedText
from sme_review_desktop.exports.gov_parts import Blank, NewPage, Para, Part, Signature, Table, Title
from sme_review_desktop.exports.pdf_kit import check_glyphs


def _page_number(canvas: Canvas, n: int) -> None:
    """「— n —」 in 4号, its dashes 7 mm under the type area; odd right, even left, 一字 in."""
    font = fonts.body_font()
    text = f"— {n} —"
    baseline = TYPE_BOTTOM_Y - 7 * mm - 0.3 * SIZE_PAGE
    w = width(text, font, SIZE_PAGE)
    x = LEFT + TYPE_WIDTH - SIZE_PAGE - w if n % 2 else LEFT + SIZE_PAGE
    _draw_text(canvas, PlacedText(x, baseline, text, font, SIZE_PAGE, 0.0))


def _draw_text(canvas: Canvas, t: PlacedText) -> None:
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


def layout(parts: Sequence[Part]) -> list[Page]:
    lay = Layout()
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
