"""Fixtures for window tests: a demo store and a main window with a reviewer already named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sme_review_desktop.demo import load_demo
from sme_review_desktop.settings import Settings
from sme_review_desktop.store import Store, open_store
from sme_review_desktop.ui.main_window import MainWindow


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store is built once and copied per test: importing 24 packages takes seconds."""
    folder = tmp_path_factory.mktemp("demo")
    store = open_store(folder)
    load_demo(store)
    store.close()
    return folder


@pytest.fixture
def demo_store(demo_template: Path, tmp_path: Path) -> Iterator[Store]:
    import shutil

    target = tmp_path / "data"
    shutil.copytree(demo_template, target)
    store = open_store(target)
    yield store
    store.close()


@pytest.fixture
def main_window(qtbot: QtBot, demo_store: Store) -> MainWindow:
    window = MainWindow(demo_store, Settings(reviewer_name="张评审"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=15_000)
    return window
