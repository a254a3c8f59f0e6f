"""QR codes drawn into a PDF page as vector paths: sharp at any print size, no image, no font.

The encoder is zxing-cpp (compiled): ~1 ms a certificate's code, against ~4.5 ms for segno
(pure Python) and ~10 ms for reportlab's own encoder, which recomputes the Reed–Solomon
generator polynomial for every block; in a 500-certificate export the code was most of the time.
"""

from __future__ import annotations

import zxingcpp
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

QUIET = 2  # modules of white around the code; the page around it is white as well


def qr_path(text: str) -> tuple[int, str]:
    """The code's width in modules, quiet zone included, and its dark modules as PDF path
    operators: one integer rectangle per horizontal run, a module a unit, origin at the quiet
    zone's lower left.

    Error level M, byte mode in UTF-8 (no ECI header), which phone scanners read as Chinese.
    """
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    # A byte a module; the stubs do not say that Image has the buffer protocol, but it does.
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))  # type: ignore[arg-type]
    size = image.shape[0] if image.shape else 0
    pixels = image.tobytes()  # 0 dark, 255 light, row by row from the top
    top = size + QUIET - 1
    flat: list[int] = []  # x, y, width of each run; formatted in one go, which is the fast way
    for r in range(size):
        row = pixels[r * size : (r + 1) * size]
        y = top - r
        start = row.find(0)
        while start >= 0:
            end = row.find(255, start)
            if end < 0:
                end = size
            flat += (start + QUIET, y, end - start)
            start = row.find(0, end)
    return size + 2 * QUIET, ("%d %d %d 1 re\n" * (len(flat) // 3)) % tuple(flat) + "f"


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
