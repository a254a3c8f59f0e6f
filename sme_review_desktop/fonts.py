"""Fonts for every PDF the app writes: registered once, embedded, and checked glyph by glyph.

reportlab draws a character its font lacks as nothing, silently; ``missing_glyphs`` lets every
export refuse such text instead of printing a blank.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from sme_review_desktop.exports import tounicode  # noqa: F401  (UTF-16 ToUnicode for 𠮷)
from sme_review_desktop.store.paths import resources_dir

# Every PDF the app writes has plain Flate streams, without reportlab's ASCII85 layer: that
# layer is encoded in pure Python (7 % of a 500-certificate export) and only makes files larger;
# every reader (Qt's preview, poppler, printers) takes binary streams. Every export passes here.
rl_config.useA85 = 0

BUNDLED = "LXGWWenKai"
# GB/T 9704 documents expect 仿宋/楷体/黑体; office PCs have them, and they are TrueType.
WINDOWS_FONTS = {"FangSong": "simfang.ttf", "KaiTi": "simkai.ttf", "SimHei": "simhei.ttf"}


def _windows_font_dir() -> Path | None:
    windir = os.environ.get("WINDIR")
    return Path(windir) / "Fonts" if windir else None


@cache
def register(name: str = BUNDLED) -> str:
    """Register a font with reportlab once per process and return its name."""
    if name == BUNDLED:
        path = resources_dir() / "fonts" / "LXGWWenKai-Regular.ttf"
    else:
        folder = _windows_font_dir()
        if folder is None or not (folder / WINDOWS_FONTS[name]).exists():
            return register(BUNDLED)
        path = folder / WINDOWS_FONTS[name]
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def body_font() -> str:
    """仿宋 where Windows has it, else the bundled font."""
    return register("FangSong")


def title_font() -> str:
    return register("SimHei")


def missing_glyphs(text: str, font_name: str) -> list[str]:
    """Characters of ``text`` the registered font cannot draw (whitespace aside)."""
    font = pdfmetrics.getFont(register(font_name) if font_name == BUNDLED else font_name)
    cmap = font.face.charToGlyph
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})
