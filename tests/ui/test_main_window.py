"""The main window on the demo data set."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from sme_review_desktop.demo import load_demo
from sme_review_desktop.store import Store
from sme_review_desktop.ui.main_window import MainWindow


def test_main_window_lists_and_filters_the_demo_round(qtbot: QtBot, store: Store) -> None:
    load_demo(store)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    assert window.rounds.count() == 2
    assert window.proxy.rowCount() == 12
    # QTest can only type ASCII; Chinese arrives through the input method as whole text.
    window.search.setText("临清")
    assert window.proxy.rowCount() == 1
    assert "临清" in window.proxy.index(0, 0).data()
    window.search.clear()
    qtbot.keyClicks(window.search, "MA3C0004")
    assert window.proxy.rowCount() == 1
    assert "茌平" in window.proxy.index(0, 0).data()
