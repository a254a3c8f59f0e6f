"""Fixtures for window tests: a main window on the demo store with a reviewer already named."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from sme_review_desktop.store.database import Store
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.main_window import MainWindow


@pytest.fixture
def main_window(qtbot: QtBot, demo_store: Store) -> MainWindow:
    window = MainWindow(demo_store, Settings(reviewer_name="张评审"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.list.model.rowCount() > 0, timeout=15_000)
    return window
