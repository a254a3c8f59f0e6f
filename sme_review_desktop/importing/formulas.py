"""Formulas without a saved result in a data form's value column (dossier-format: values).

A workbook written by a script and never opened in Excel or WPS holds formulas but no results;
read for values, such a cell is as empty as one the county left blank, and a figure would pass
silently as "not declared". The form reader rejects it instead, naming the cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, Any
from xml.etree.ElementTree import iterparse

VALUE_COLUMN = 3  # C: 填报值

# A formula element, namespaced or not: most sheets have none and are not parsed a second time.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CHUNK = 1 << 20
_OVERLAP = 64  # longer than any real prefixed tag, so none is missed across two chunks


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _has_formula(part: IO[bytes]) -> bool:
    """Whether the part has a formula element, read in chunks (a sheet may be large)."""
    tail = b""
    while chunk := part.read(_CHUNK):
        if _FORMULA_TAG.search(tail + chunk):
            return True
        tail = chunk[-_OVERLAP:]
    return False


def unsaved_formula_rows(open_part: Callable[[], IO[bytes]]) -> set[int]:
    """Rows whose value cell (column C) holds a formula without a saved result.

    openpyxl's data_only reading gives such a cell as None, the same as an empty one, so the
    sheet's XML is looked at for a ``<c>`` with an ``<f>`` and no saved result in its ``<v>``
    (Excel, WPS and LibreOffice write one on saving). ``open_part`` opens the sheet's part; it
    is streamed, never held whole.
    """
    with open_part() as part:
        if not _has_formula(part):
            return set()
    found: set[int] = set()
    row_no = 0
    with open_part() as part:
        for _event, el in iterparse(part):
            if _local(el.tag) != "row":
                continue
            row_no = int(el.get("r") or row_no + 1)
            column = 0
            for cell in el:
                if _local(cell.tag) != "c":
                    continue
                ref = cell.get("r")
                column = _column(ref) if ref else column + 1
                if column == VALUE_COLUMN and _formula_without_result(cell):
                    found.add(row_no)
            el.clear()
    return found


def _formula_without_result(cell: Any) -> bool:
    children = {_local(child.tag): child for child in cell}
    if "f" not in children:
        return False
    saved = children.get("v")
    # openpyxl writes an empty <v/> after a formula it did not compute; an empty saved result
    # is only ever text (t="str", a formula giving ""), which Excel and WPS write so.
    return saved is None or (not saved.text and cell.get("t") != "str")


def _column(ref: str) -> int:
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - ord("A") + 1
    return n
