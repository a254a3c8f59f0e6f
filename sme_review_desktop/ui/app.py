"""Starting the app: the QApplication, the store, and the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from ..errors import UserError
from ..paths import resources_dir
from ..store import Store, open_store

APP_TITLE = "示范平台认定评审系统"


def open_demo_store(data_dir: Path) -> Store:
    """The demo data set lives in its own store under ``demo/`` of the data folder."""
    from ..demo import load_demo
    from ..rounds import list_rounds

    store = open_store(data_dir / "demo")
    if not list_rounds(store):
        load_demo(store)
    return store


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_TITLE)
    app.setOrganizationName("sme-review-desktop")
    icon = resources_dir() / "icons" / "app.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    font = QFont()
    font.setFamilies(["Microsoft YaHei UI", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "LXGW WenKai"])
    font.setPointSize(10)
    app.setFont(font)
    return app


def run(data_dir: Path, database_url: str | None = None, *, demo: bool = False) -> int:
    app = make_application()
    from .main_window import MainWindow

    try:
        store = open_demo_store(data_dir) if demo else open_store(data_dir, database_url)
    except UserError as exc:
        QMessageBox.critical(None, APP_TITLE, exc.message)
        return 2
    window = MainWindow(store)
    window.show()
    if not window.settings.reviewer_name:
        window.ask_reviewer_name()
    return app.exec()
