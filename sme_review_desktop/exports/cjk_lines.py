"""Chinese text set in measured lines on a reportlab canvas, without platypus.

The lines break where a CJK ``Paragraph`` would break them (same rules, same result), but
building, wrapping and drawing three Paragraphs a page cost more than the rest of a certificate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from sme_review_desktop.exports import (
    fonts,
    pdf_kit,  # noqa: F401  (adds the Chinese marks that must not open a line)
)

_FUZZ = 1e-6


@cache
def _em(font: str, ch: str) -> float:
    """A character's advance at 1 pt (measured once: the same few hundred characters recur),
    in the bundled font when the font lacks it (that is the font that will draw it)."""
    if not ch.isspace() and ord(ch) not in pdfmetrics.getFont(font).face.charToGlyph:
        font = fonts.register()
    return float(stringWidth(ch, font, 1000)) / 1000


def string_width(text: str, font: str, size: float) -> float:
    return sum(_em(font, ch) for ch in text) * size


def draw_string(
    canvas: Canvas, font: str, size: float, x: float, y: float, text: str, anchor: str = "left"
) -> None:
    """One line at (x, y), left, centred or right of x, each character in a face that has it."""
    if anchor != "left":
        w = string_width(text, font, size)
        x -= w / 2 if anchor == "centre" else w
    draw_lines(canvas, font, size, [Line(x, y, text, 0.0)])


def wrap_lines(
    text: str, font: str, size: float, widths: Sequence[float]
) -> list[tuple[str, float]]:
    """Break ``text`` into lines no wider than ``widths`` (the first line's, then the rest's),
    each with the width it leaves over (negative for a hanging punctuation mark).

    Chinese breaks between any two characters, as reportlab's CJK wrapping does: a mark that
    must not open a line (，。：》…) hangs in the margin instead, and a Latin word or number
    that would be cut moves down whole when a space or a Chinese character in the line's second
    half allows it. Runs of whitespace count as one space, as in a Paragraph.
    """
    text = " ".join(text.split())
    cannot_start = textsplit.ALL_CANNOT_START
    advance = [_em(font, ch) * size for ch in text]
    lines: list[tuple[str, float]] = []
    start = i = 0
    used = 0.0
    limit = widths[0]

    def close(end: int) -> None:
        first, last = start, end
        while first < last and text[first].isspace():
            first += 1
        while last > first and text[last - 1].isspace():
            last -= 1
        lines.append((text[first:last], limit - sum(advance[first:last])))

    while i < len(text):
        used += advance[i]
        i += 1
        if used <= limit + _FUZZ:
            continue
        cut = i - 1  # the character that overflows
        if ord(text[cut]) < 0x3000:
            for j in range(cut - 1, (start + i) >> 1, -1):
                if text[j].isspace() or ord(text[j]) >= 0x3000:
                    cut = j + 1
                    break
        end = cut + 1 if text[cut] in cannot_start or cut == start else cut
        close(end)
        limit = widths[min(len(lines), len(widths) - 1)]
        start = i = end
        used = 0.0
    if start < len(text):
        close(len(text))
    return lines


@dataclass(frozen=True)
class Line:
    """One measured line, placed: drawn with ``char_space`` between its characters."""

    x: float
    y: float  # baseline
    text: str
    char_space: float


def draw_lines(canvas: Canvas, font: str, size: float, lines: Sequence[Line]) -> None:
    """Draw measured lines in one text object; a character the font lacks in the bundled one."""
    tx = canvas.beginText()
    tx.setFont(font, size)
    current = font
    char_space = 0.0
    for line in lines:
        tx.setTextOrigin(line.x, line.y)
        if line.char_space != char_space:
            char_space = line.char_space
            tx.setCharSpace(char_space)
        for run_font, run in fonts.split_runs(line.text, font):
            if run_font != current:
                tx.setFont(run_font, size)
                current = run_font
            tx.textOut(run)
    canvas.drawText(tx)
