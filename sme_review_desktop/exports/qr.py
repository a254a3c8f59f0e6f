"""QR codes drawn into a PDF page as vector paths: sharp at any print size, no image, no font.

The encoder is segno (pure Python). reportlab's own encoder recomputes the Reed–Solomon
generator polynomial for every block and took ~10 ms a certificate's code; segno takes ~4 ms.
"""

from __future__ import annotations

import segno
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

# Any of the eight mask patterns reads the same to a scanner; choosing the "best" means
# building and scoring all eight, which costs several times the encoding itself. One is fixed.
MASK = 0
QUIET = 2  # modules of white around the code; the page around it is white as well


def qr_path(text: str) -> tuple[int, str]:
    """The code's width in modules, quiet zone included, and its dark modules as PDF path
    operators: one integer rectangle per horizontal run, a module a unit, origin at the quiet
    zone's lower left.

    Error level M, byte mode in UTF-8, which phone scanners read as Chinese.
    """
    code = segno.make_qr(
        text, error="m", mode="byte", encoding="utf-8", mask=MASK, boost_error=False
    )
    matrix = code.matrix
    top = len(matrix) + QUIET - 1
    flat: list[int] = []  # x, y, width of each run; formatted in one go, which is the fast way
    for r, line in enumerate(matrix):
        row = bytes(line)  # 1 dark, 0 light
        y = top - r
        start = row.find(1)
        while start >= 0:
            end = row.find(0, start)
            if end < 0:
                end = len(row)
            flat += (start + QUIET, y, end - start)
            start = row.find(1, end)
    return len(matrix) + 2 * QUIET, ("%d %d %d 1 re\n" * (len(flat) // 3)) % tuple(flat) + "f"


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR code for ``text`` as a ``size`` square with its lower left at (x, y).

    One filled path: no reportlab Drawing (its renderer brings an unembedded Helvetica), and
    no rect call per run (formatting their floats cost more than the rest of the page).
    """
    modules, path = qr_path(text)
    unit = size / modules
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.transform(unit, 0, 0, unit, x, y)
    canvas.addLiteral(path)
    canvas.restoreState()
