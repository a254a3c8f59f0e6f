"""The GB/T 9704-2012 grid (A4, type area, 22 lines of 28 characters), the title's words, and measuring text on it."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Literal

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth

from sme_review_desktop.exports import fonts

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
