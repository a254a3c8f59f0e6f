"""The bare forms' reference: openpyxl reading every data form of a folder, as the importer
reads one (read-only, values, the 申报数据 sheet's rows with their number formats), and nothing
else: no checks, no store.

    python benchmarks/ref_forms.py FOLDER
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from openpyxl import load_workbook

SHEET = "申报数据"


def main() -> None:
    cells = 0
    for form in sorted(Path(sys.argv[1]).glob("*/*.xlsx")):
        wb = load_workbook(io.BytesIO(form.read_bytes()), read_only=True, data_only=True)
        for row in wb[SHEET].iter_rows(min_row=2, max_col=3):
            cells += sum(1 for c in row if (c.value, getattr(c, "number_format", None)))
        wb.close()
    print(cells)


if __name__ == "__main__":
    main()
