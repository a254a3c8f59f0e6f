"""Fixtures for window tests: a main window on the demo store with a reviewer already named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from sme_review_desktop.store.database import Store
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def window_memory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Remembered splitter sizes (QSettings) go to a folder of the test's own, never to the
    tester's profile, and one test's dragged panes do not leak into the next."""
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder


@pytest.fixture
def main_window(qtbot: QtBot, demo_store: Store) -> MainWindow:
    window = MainWindow(demo_store, Settings(reviewer_name="张评审"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.list.model.rowCount() > 0, timeout=15_000)
    return window
