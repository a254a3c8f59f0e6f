"""Every window's first size, kept inside the screen it opens on.

A window asked for 1100×780 on a 1366×768 laptop (taskbar included) opened with its title bar
or its buttons off-screen. Each window names the size it would like; this gives it the most of
that the available geometry allows, centred, and remembers splitters the reviewer dragged.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

MARGIN = 16  # the window's own frame, which geometry() does not include


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to width×height, or to the available screen if that is smaller, and centre."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    area = screen.availableGeometry()
    w = min(width, area.width() - MARGIN)
    h = min(height, area.height() - MARGIN - 24)  # and the title bar
    window.resize(w, h)
    window.move(area.x() + (area.width() - w) // 2, area.y() + max(0, (area.height() - h) // 2))


def remember_splitter(splitter: QSplitter, key: str) -> None:
    """Restore the sizes this splitter had last time and store them whenever they change."""
    settings = QSettings()
    state = settings.value(f"splitters/{key}")
    if state is not None:
        splitter.restoreState(state)
    splitter.setObjectName(key)
    splitter.splitterMoved.connect(
        lambda *_: QSettings().setValue(f"splitters/{key}", splitter.saveState())
    )
