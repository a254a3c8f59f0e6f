"""The GB/T 9704-2012 page: A4, its margins, 2号 title, 3号 body, page numbers 「— 1 —」.

Sizes in points: 2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt. The standard's type area is 156 × 225 mm
with the top margin 37 mm and the left 28 mm; page numbers sit 7 mm below the type area, odd pages
on the right and even pages on the left, each one character in from the edge of the type area.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from sme_review_desktop.exports import (
    fonts,
    pdf_kit,  # noqa: F401  (Chinese line-breaking rules)
)

TOP, LEFT = 37 * mm, 28 * mm
TYPE_WIDTH, TYPE_HEIGHT = 156 * mm, 225 * mm
SIZE_TITLE, SIZE_BODY, SIZE_PAGE = 22, 16, 14


def cn_date(day: date) -> str:
    """Arabic-numeral dates without leading zeros, as GB/T 9704 writes them: 2026年9月21日."""
    return f"{day.year}年{day.month}月{day.day}日"


def doc_styles() -> dict[str, ParagraphStyle]:
    title, body = fonts.title_font(), fonts.body_font()
    return {
        "title": ParagraphStyle(
            "gov-title",
            fontName=title,
            fontSize=SIZE_TITLE,
            leading=SIZE_TITLE * 1.45,
            alignment=TA_CENTER,
            spaceAfter=SIZE_BODY,
        ),
        "number": ParagraphStyle(
            "gov-number", fontName=body, fontSize=SIZE_BODY, leading=28, alignment=TA_CENTER
        ),
        # 28 characters a line, 22 lines a page: 156 mm / 28 ≈ 15.6 pt set at 16 pt, 28.95 pt lead.
        "body": ParagraphStyle(
            "gov-body",
            fontName=body,
            fontSize=SIZE_BODY,
            leading=28.95,
            firstLineIndent=2 * SIZE_BODY,
            alignment=TA_JUSTIFY,
            wordWrap="CJK",
        ),
        "signature": ParagraphStyle(
            "gov-signature",
            fontName=body,
            fontSize=SIZE_BODY,
            leading=28.95,
            alignment=TA_RIGHT,
            rightIndent=4 * SIZE_BODY,
        ),
        "attachment": ParagraphStyle(
            "gov-attachment", fontName=fonts.title_font(), fontSize=SIZE_BODY, leading=28.95
        ),
        "note": ParagraphStyle(
            "gov-note",
            fontName=body,
            fontSize=SIZE_BODY,
            leading=28.95,
            leftIndent=2 * SIZE_BODY,
            spaceBefore=28.95,
        ),
        "cell": ParagraphStyle(
            "gov-cell", fontName=body, fontSize=12, leading=17, wordWrap="CJK", alignment=TA_CENTER
        ),
        "cell-left": ParagraphStyle(
            "gov-cell-left", fontName=body, fontSize=12, leading=17, wordWrap="CJK"
        ),
    }


def _page_number(canvas: Canvas, doc: Any) -> None:
    n = canvas.getPageNumber()
    text = f"— {n} —"
    canvas.saveState()
    canvas.setFont(fonts.body_font(), SIZE_PAGE)
    y = A4[1] - TOP - TYPE_HEIGHT - 7 * mm - SIZE_PAGE
    if n % 2:  # odd pages: right, one character in
        canvas.drawRightString(LEFT + TYPE_WIDTH - SIZE_PAGE, y, text)
    else:
        canvas.drawString(LEFT + SIZE_PAGE, y, text)
    canvas.restoreState()


def build(target: Path, title: str, story: list[Flowable]) -> None:
    doc = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=A4[0] - LEFT - TYPE_WIDTH,
        topMargin=TOP,
        bottomMargin=A4[1] - TOP - TYPE_HEIGHT,
        title=title,
        initialFontName=fonts.body_font(),
    )
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
