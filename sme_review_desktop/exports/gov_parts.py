"""The parts a GB/T 9704 document is made of: paragraphs, title, blank lines, signature, page breaks, tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sme_review_desktop.exports import fonts
from sme_review_desktop.exports.gov_grid import SIZE_BODY, Align


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
