"""Small building blocks shared by the app's platypus PDFs: embedded-font styles and tables.

Every style and table names its font explicitly: reportlab otherwise falls back to an
unembedded Helvetica, which a printed or archived document must never carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus import paragraph as _paragraph

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports import fonts

# reportlab's CJK line breaking knows Japanese rules; add the Chinese full-width punctuation
# that must not start a line (GB/T 15834), so 「，」「：」「》」 never open a line.
_NO_LINE_START = "，；：？！》〉”’％"
_textsplit.ALL_CANNOT_START += _NO_LINE_START  # single-style paragraphs
_paragraph.ALL_CANNOT_START += _NO_LINE_START  # paragraphs with inline markup


def styles() -> dict[str, ParagraphStyle]:
    body = fonts.register()
    return {
        "title": ParagraphStyle(
            "title", fontName=body, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", fontName=body, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4
        ),
        "body": ParagraphStyle("body", fontName=body, fontSize=10.5, leading=16),
        "cell": ParagraphStyle("cell", fontName=body, fontSize=9, leading=12),
        "small": ParagraphStyle(
            "small", fontName=body, fontSize=8, leading=11, textColor=colors.grey
        ),
    }


def grid(
    rows: Sequence[Sequence[object]], widths: Sequence[float], *, header: bool = True
) -> Table:
    """A bordered table with wrapping cells; strings become Paragraphs in the cell style."""
    cell = styles()["cell"]
    data = [[Paragraph(c, cell) if isinstance(c, str) else c for c in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.register()),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)))
    table.setStyle(TableStyle(style))
    return table


def check_glyphs(
    texts: Sequence[tuple[str, str]], font: str | None = None, *, fallback: bool = False
) -> None:
    """Refuse before writing if any variable text has a character the font cannot draw.

    ``texts`` pairs each text with where it comes from, for the message; ``font`` defaults to
    the bundled one; with ``fallback``, the text is set with the bundled font standing in for
    characters the font lacks (``fonts.split_runs``), so only what neither has is refused.
    """
    font = font or fonts.register()
    for text, where in texts:
        missing = fonts.missing_glyphs(text, font, fallback=fallback)
        if missing:
            shown = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in missing)
            raise UserError(
                f"{where}中的字符{shown}在字体中没有字形，打印会缺字：请核对或改用常用字后再导出。"
            )


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that writes 「第 n 页，共 N 页」 at the foot of each page once it knows N."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(fonts.register(), 9)
            self.drawCentredString(A4[0] / 2, 10 * mm, f"第 {self._pageNumber} 页，共 {total} 页")
            Canvas.showPage(self)
        Canvas.save(self)


def build_a4(target: Path, title: str, story: list[Flowable], *, numbered: bool = False) -> None:
    """A portrait A4 document with 18 mm margins, every font embedded; ``numbered`` puts
    「第 n 页，共 N 页」 at the foot of every page."""
    doc = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        initialFontName=fonts.register(),
    )
    doc.build(story, canvasmaker=_NumberedCanvas if numbered else Canvas)
