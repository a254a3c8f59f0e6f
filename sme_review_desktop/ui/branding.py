"""The app's name, icon and fonts: what every window shows of the product itself."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFontDatabase, QIcon, QPalette
from PySide6.QtWidgets import QLabel

from sme_review_desktop.store.paths import resources_dir

APP_TITLE = "示范平台认定评审系统"
APP_ID = "sme-review-desktop"
BUNDLED_FONT = "LXGWWenKai-Regular.ttf"
# Office PCs have YaHei, Linux desktops Noto or WenQuanYi; the bundled font is the last resort,
# so Chinese shows on any machine without anything downloaded.
UI_FONTS = ["Microsoft YaHei UI", "Noto Sans CJK SC", "WenQuanYi Zen Hei"]


def app_icon() -> QIcon:
    """The seal icon at every size drawn for it (``installer/make_icons.py``)."""
    icon = QIcon()
    folder = resources_dir() / "icons"
    for name in ("app-32.png", "app-64.png", "app-256.png"):
        if (folder / name).exists():
            icon.addFile(str(folder / name))
    return icon


@cache
def bundled_font_families() -> tuple[str, ...]:
    """Register the bundled font with Qt (once per process); its family names."""
    font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / BUNDLED_FONT))
    return tuple(QFontDatabase.applicationFontFamilies(font_id)) if font_id >= 0 else ()


def muted(label: QLabel) -> None:
    """Secondary text in the platform's placeholder colour (a palette, not a style sheet, so the
    label keeps following the dialog's font)."""
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)
