"""Chinese line breaking (W3C 中文排版需求 clreq §3.1), measured per character and per font.

The text is cut into *clusters* that never break inside:

- a number, a date or a document number stays whole: 「2026年10月12日」, 「〔2026〕001号」,
  「0635-8888888」, 「75.00」, a Latin word, 「——」, 「……」 and a blank to sign on 「＿＿＿＿」;
- closing punctuation (。，、；：？！）》」』〕 …) sticks to what precedes it, so no line starts
  with it; opening punctuation (（《「『〔 …) sticks to what follows it, so no line ends with it.

A line is filled with clusters at the grid's spacing. When the next cluster does not fit and
only its closing punctuation overflows, by no more than one em, it is squeezed into the line
(挤进); otherwise the cluster goes down to the next line whole (推出) and the line is spread.
A paragraph's or a cell's last line never holds a single character when the line above can
give one (no 孤字): the last cluster of the line above moves down.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CLOSING = "。，、；：？！）》」』〕］｝〉】”’％‰·.,;:?!)]}%"
OPENING = "（《「『〔［｛〈【“‘([{"
# Whole units. Dates and document numbers first, then numbers and Latin words (codes, phones,
# decimals), then the doubled marks that must not be parted.
_UNIT = re.compile(
    r"〔\d{4}〕\d+号"
    r"|(?:\d{4}年)?\d{1,2}月\d{1,2}日"
    r"|\d{4}年(?:度)?"
    r"|[0-9A-Za-z][0-9A-Za-z.\-/:@_+×]*[0-9A-Za-z%]?"
    r"|——|……|＿+"
)


# Runs of Latin white space count as one space, as in a paragraph; the ideographic space
# U+3000 is a character of the text (「联系人：王某　　咨询电话：…」) and is kept.
_SPACES = re.compile(r"[ \t\r\n]+")


def clusters(text: str) -> list[str]:
    """``text`` cut where a line may break; joined back they give ``text``."""
    units: list[str] = []
    pos = 0
    for m in _UNIT.finditer(text):
        units.extend(text[pos : m.start()])
        units.append(m.group())
        pos = m.end()
    units.extend(text[pos:])
    out: list[str] = []
    pending_open = ""
    for unit in units:
        if len(unit) == 1 and unit in OPENING:
            pending_open += unit
            continue
        if out and not pending_open and (unit[0] in CLOSING):
            out[-1] += unit
            continue
        out.append(pending_open + unit)
        pending_open = ""
    if pending_open:
        if out:
            out[-1] += pending_open
        else:
            out.append(pending_open)
    return out


def _closing_tail(cluster: str) -> int:
    """How many characters at the end of a cluster are closing punctuation."""
    n = 0
    while n < len(cluster) - 1 and cluster[len(cluster) - 1 - n] in CLOSING:
        n += 1
    return n


@dataclass(frozen=True)
class Broken:
    """One line: its text and whether it is a paragraph's last line (set flush, not spread)."""

    text: str
    last: bool


def break_lines(
    text: str,
    advance: Callable[[str], float],
    widths: Sequence[float],
    spacing: float,
    em: float,
    *,
    squeeze: bool = True,
) -> list[Broken]:
    """Break ``text`` into lines no wider than ``widths`` (the first line's, then the rest's).

    ``advance(ch)`` is a character's advance in points, ``spacing`` the space added after each
    character at the grid's pitch (negative when the grid is tighter than the font's em),
    ``em`` the font size. A cluster wider than a whole line is cut between characters.
    """
    parts: list[str] = []
    for cluster in clusters(_SPACES.sub(" ", text).strip(" ")):
        width = sum(advance(ch) + spacing for ch in cluster) - spacing
        if width > min(widths) and len(cluster) > 1:
            parts.extend(cluster)  # wider than a line: no choice but to cut it
        else:
            parts.append(cluster)

    def natural(chars: str) -> float:
        return sum(advance(ch) for ch in chars) + spacing * (len(chars) - 1) if chars else 0.0

    lines: list[list[str]] = []
    current: list[str] = []
    for part in parts:
        limit = widths[min(len(lines), len(widths) - 1)]
        if not current:
            current = [part.lstrip(" ")] if part.strip(" ") else []
            continue
        candidate = "".join(current) + part
        if natural(candidate) <= limit + 1e-6:
            current.append(part)
            continue
        tail = _closing_tail(part)
        if squeeze and tail:
            head = part[:-tail]
            fits_head = natural("".join(current) + head) <= limit + 1e-6
            over = natural(candidate) - limit
            if fits_head and over <= em + 1e-6:
                current.append(part)  # 挤进: only closing punctuation overflows
                continue
        lines.append(current)
        current = [part.lstrip(" ")] if part.strip(" ") else []
    if current:
        lines.append(current)
    # No 孤字: a last line of one character takes the last cluster of the line above.
    if len(lines) > 1 and len("".join(lines[-1]).strip(" ")) == 1 and len(lines[-2]) > 1:
        moved = lines[-2].pop()
        limit = widths[min(len(lines) - 1, len(widths) - 1)]
        if natural(moved + "".join(lines[-1])) <= limit + 1e-6:
            lines[-1].insert(0, moved)
        else:
            lines[-2].append(moved)
    out = ["".join(line).rstrip(" ") for line in lines]
    return [Broken(t, n == len(out) - 1) for n, t in enumerate(out)]
