"""The designed certificate page (A4 landscape): a 回纹 border drawn as vectors, 「证书」 set
large, the platform's name as the main line, the holder, number, validity, the bureau's name
and date where the seal is stamped on paper, and the signed QR code.

What is the same on every page of one export (border, title, the certification sentence, the
QR caption) is one form XObject drawn once; a page adds only its variable text and its code.
No seal placeholder is printed: the seal is stamped on the paper over the bureau's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from sme_review_desktop.exports.cjk_lines import draw_string, string_width, wrap_lines
from sme_review_desktop.exports.gov_grid import cn_date
from sme_review_desktop.exports.qr import draw_qr

PAGE = landscape(A4)  # 297 × 210 mm
BLANK = "certificate-blank"  # the form XObject's name
RED = colors.Color(0.70, 0.09, 0.09)
GOLD = colors.Color(0.66, 0.50, 0.16)
INK = colors.Color(0.12, 0.12, 0.12)

# The border: an outer rule, a band of 回纹 cells, an inner rule; text stays inside INNER.
OUTER = 9 * mm
BAND = 12 * mm  # the fret band runs from here ...
CELL = 7 * mm  # ... for one cell's depth
INNER = BAND + CELL + 2.5 * mm  # 21.5 mm

CENTRE_X = PAGE[0] / 2
TITLE_Y = 150 * mm  # 「证　书」's baseline
TITLE_SIZE = 60
HOLDER_Y = 135 * mm
MAIN_TOP = 124 * mm  # the platform's name: first baseline of at most three lines
MAIN_BOTTOM = 100 * mm  # ... last baseline no lower than this
MAIN_WIDTH = 225 * mm
MAIN_SIZES = (32, 30, 28, 26, 24, 22, 20, 18)
SENTENCE_Y = 88 * mm
VALIDITY_Y = 74 * mm
ISSUER_X, ISSUER_Y, DATE_Y = 218 * mm, 48 * mm, 37 * mm
QR_X, QR_Y, QR_SIZE = 30 * mm, 30 * mm, 36 * mm
NUMBER_RIGHT, NUMBER_Y = PAGE[0] - INNER - 6 * mm, PAGE[1] - INNER - 9 * mm


@dataclass(frozen=True)
class PageText:
    """What one certificate page prints."""

    number: str
    holder: str
    platform: str
    issuer: str
    certified_on: date
    valid_until: date
    code: str  # the QR's content

    @property
    def validity(self) -> str:
        return f"{cn_date(self.certified_on)}至{cn_date(self.valid_until)}"


def _fret_cell(x: float, s: float) -> list[tuple[float, float]]:
    """One 回 spiral in a cell ``s`` wide starting at x, in band coordinates (y up from the
    band's outer edge): out along the bottom, up, back, and inwards twice."""
    pts = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0.25), (0.75, 0.25), (0.75, 0.75), (0.25, 0.75)]
    pts += [(0.25, 0.5), (0.5, 0.5)]
    return [(x + px * s * 0.86, py * s) for px, py in pts]


def _cells(length: float) -> Iterator[float]:
    """Where the cells start along a side of ``length``, spread evenly, corners left free."""
    inner = length - 2 * CELL
    count = int(inner // CELL)
    pitch = inner / count
    for n in range(count):
        yield CELL + n * pitch + (pitch - CELL * 0.86) / 2


def _band(canvas: Canvas, length: float) -> None:
    """A side's fret band in the current frame (x along the side, y inwards)."""
    path = canvas.beginPath()
    for x in _cells(length):
        pts = _fret_cell(x, CELL)
        path.moveTo(*pts[0])
        for p in pts[1:]:
            path.lineTo(*p)
    canvas.drawPath(path, stroke=1, fill=0)
    # the corner: a square with a diamond in it
    for cx in (0.0, length - CELL):
        canvas.rect(cx + 0.6 * mm, 0.6 * mm, CELL - 1.2 * mm, CELL - 1.2 * mm)
        d = canvas.beginPath()
        h = CELL / 2
        d.moveTo(cx + h, 1.6 * mm)
        d.lineTo(cx + CELL - 1.6 * mm, h)
        d.lineTo(cx + h, CELL - 1.6 * mm)
        d.lineTo(cx + 1.6 * mm, h)
        d.close()
        canvas.drawPath(d, stroke=0, fill=1)


def _border(canvas: Canvas) -> None:
    width, height = PAGE
    canvas.setStrokeColor(GOLD)
    canvas.setFillColor(GOLD)
    canvas.setLineWidth(2.4)
    canvas.rect(OUTER, OUTER, width - 2 * OUTER, height - 2 * OUTER)
    canvas.setLineWidth(0.6)
    canvas.rect(
        OUTER + 1.6 * mm,
        OUTER + 1.6 * mm,
        width - 2 * OUTER - 3.2 * mm,
        height - 2 * OUTER - 3.2 * mm,
    )
    canvas.setLineWidth(0.9)
    canvas.setLineJoin(0)
    # Each side in its own frame: origin at the band's outer corner, x along the side, y inwards.
    sides = (
        (BAND, BAND, 0, width - 2 * BAND),  # bottom, left to right
        (width - BAND, BAND, 90, height - 2 * BAND),  # right, upwards
        (width - BAND, height - BAND, 180, width - 2 * BAND),  # top, right to left
        (BAND, height - BAND, 270, height - 2 * BAND),  # left, downwards
    )
    for x, y, angle, length in sides:
        canvas.saveState()
        canvas.translate(x, y)
        canvas.rotate(angle)
        _band(canvas, length)
        canvas.restoreState()
    canvas.setLineWidth(1.4)
    canvas.rect(INNER, INNER, width - 2 * INNER, height - 2 * INNER)
    canvas.setLineWidth(0.5)
    gap = 1.5 * mm
    canvas.rect(INNER + gap, INNER + gap, width - 2 * (INNER + gap), height - 2 * (INNER + gap))


def draw_blank(canvas: Canvas, body: str, title: str, sentence: str) -> None:
    """Define the form every page uses: border, 「证　书」, the certification sentence and the
    QR caption."""
    canvas.beginForm(BLANK)
    _border(canvas)
    canvas.setFillColor(RED)
    draw_string(canvas, title, TITLE_SIZE, CENTRE_X, TITLE_Y, "证　书", "centre")
    canvas.setFillColor(INK)
    draw_string(canvas, body, 20, CENTRE_X, SENTENCE_Y, sentence, "centre")
    draw_string(canvas, body, 8, QR_X + QR_SIZE / 2, QR_Y - 4.5 * mm, "扫码核验证书真伪", "centre")
    canvas.endForm()


def main_lines(platform: str, font: str) -> tuple[float, list[str]]:
    """The platform's name: the largest size at which it takes one line, else two, else the
    smallest size in as many lines as it needs (a name of 100 characters still fits)."""
    for most in (1, 2):
        for whole in MAIN_SIZES:
            size = float(whole)
            lines = [t for t, _ in wrap_lines(platform, font, size, (MAIN_WIDTH,))]
            if len(lines) <= most:
                return size, lines
    size = float(MAIN_SIZES[-1])
    while True:  # smaller still until the lines fit between MAIN_TOP and MAIN_BOTTOM
        lines = [t for t, _ in wrap_lines(platform, font, size, (MAIN_WIDTH,))]
        if (len(lines) - 1) * size * 1.2 <= MAIN_TOP - MAIN_BOTTOM or size <= 6:
            return size, lines
        size -= 1


def fitted(text: str, font: str, size: float, width: float, smallest: float = 10) -> float:
    """The largest size up to ``size`` at which ``text`` takes one line ``width`` wide."""
    while size > smallest and string_width(text, font, size) > width:
        size -= 0.5
    return size


def draw_page(canvas: Canvas, t: PageText, body: str, title: str) -> None:
    canvas.doForm(BLANK)
    canvas.setFillColor(INK)
    draw_string(canvas, body, 12, NUMBER_RIGHT, NUMBER_Y, f"证书编号：{t.number}", "right")
    holder = f"运营单位：{t.holder}"
    draw_string(
        canvas, body, fitted(holder, body, 18, MAIN_WIDTH), CENTRE_X, HOLDER_Y, holder, "centre"
    )
    size, lines = main_lines(t.platform, title)
    step = min(size * 1.35, (MAIN_TOP - MAIN_BOTTOM) / max(len(lines) - 1, 1))
    block = step * (len(lines) - 1)
    top = (MAIN_TOP + MAIN_BOTTOM) / 2 + block / 2 - size * 0.35
    for n, line in enumerate(lines):
        draw_string(canvas, title, size, CENTRE_X, top - n * step, line, "centre")
    draw_string(canvas, body, 16, CENTRE_X, VALIDITY_Y, f"有效期：{t.validity}", "centre")
    issuer_size = fitted(t.issuer, body, 18, 110 * mm)
    draw_string(canvas, body, issuer_size, ISSUER_X, ISSUER_Y, t.issuer, "centre")
    draw_string(canvas, body, 16, ISSUER_X, DATE_Y, cn_date(t.certified_on), "centre")
    draw_qr(canvas, t.code, QR_X, QR_Y, QR_SIZE)
