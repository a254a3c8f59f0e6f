"""Data is text: one place that turns stored text into something safe to show or to file.

Names, file names and reasons come from counties, experts and zips; the app shows them in Qt
rich text (labels, tooltips, message boxes) and writes them to spreadsheets. Rich text would
obey a ``<span style=…>`` in a platform name, a spreadsheet would run ``=HYPERLINK(…)``, and a
right-to-left override (U+202E) makes ``报告\u202eexe.pdf`` read as ``报告fdp.exe``. Every such
place goes through here.
"""

from __future__ import annotations

import html
import unicodedata

# Explicit directional formatting (embeddings, overrides, isolates) and the invisible marks.
BIDI = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])


def _hidden(ch: str) -> bool:
    return ord(ch) in BIDI or unicodedata.category(ch) == "Cc"


def visible(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with every bidi control and control character shown as ⟨U+XXXX⟩."""
    s = "" if text is None else str(text)
    if not any(_hidden(ch) for ch in s):
        return s
    keep = "\n" if keep_newlines else ""
    return "".join(f"⟨U+{ord(ch):04X}⟩" if _hidden(ch) and ch not in keep else ch for ch in s)


def has_hidden(text: str) -> bool:
    """Whether ``text`` holds a bidi control or a control character."""
    return any(_hidden(ch) for ch in text)


def rich(text: object) -> str:
    """Data to put inside Qt rich text (HTML): escaped, with hidden characters made visible."""
    return html.escape(visible(text, keep_newlines=True), quote=True).replace("\n", "<br>")


def as_rich(text: object) -> str:
    """``text`` shown literally where Qt guesses the format (tooltips, QMessageBox, AutoText
    labels): Qt takes any known tag on the first line for HTML, so text holding data is given
    as escaped rich text, and a hidden character is made visible."""
    return "<qt>" + rich(text) + "</qt>"
