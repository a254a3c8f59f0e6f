"""Text cells stay text in every workbook the app writes.

openpyxl stores a string that starts with ``=`` as a formula, and a spreadsheet program may
evaluate a cell that starts with ``+``, ``-`` or ``@`` once someone edits it: a platform named
``=HYPERLINK("http://…","点击查看")`` would become a live link in the bureau's 公示名单. Every
string cell is therefore stored as a string, and one that starts like a formula also carries
Excel's quote prefix (the hidden apostrophe Excel itself sets when you type '=…), so it stays
text when edited. The stored value is unchanged: the record keeps what the county wrote.
Characters XML cannot hold (control characters) are shown as ⟨U+XXXX⟩ instead of crashing the
export.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@")


def looks_like_formula(text: str) -> bool:
    return text.lstrip(" \t\r\n").startswith(FORMULA_START)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", value)
    return value


def _as_text(cell: Cell | MergedCell) -> None:
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True


def put(cell: Cell | MergedCell, value: object) -> Cell | MergedCell:
    """Set ``cell`` to ``value``; a string is stored as text, never as a formula."""
    cell.value = _clean(value)
    _as_text(cell)
    return cell


def append(ws: Worksheet, values: Iterable[object]) -> None:
    """``ws.append`` with every string stored as text."""
    ws.append([_clean(v) for v in values])
    row: int = ws._current_row  # type: ignore[attr-defined]  # the row append just wrote
    for cell in ws[row]:
        _as_text(cell)


def formulas(ws: Worksheet) -> list[str]:
    """References of the cells of ``ws`` that hold a formula (for tests and checks)."""
    return [c.coordinate for r in ws.iter_rows() for c in r if c.data_type == "f"]
