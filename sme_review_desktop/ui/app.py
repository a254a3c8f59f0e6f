"""Starting the app: the QApplication, the store, the first-run welcome, and the main window."""

from __future__ import annotations

import logging
import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import backups
from ..errors import UserError
from ..instance_lock import InstanceLock, acquire
from ..location import locate
from ..paths import resources_dir
from ..settings import Settings
from ..store import Store, open_store
from .tasks import run_task

if TYPE_CHECKING:
    from .main_window import MainWindow

APP_TITLE = "示范平台认定评审系统"
APP_ID = "sme-review-desktop"
BUNDLED_FONT = "LXGWWenKai-Regular.ttf"
# Office PCs have YaHei, Linux desktops Noto or WenQuanYi; the bundled font is the last resort,
# so Chinese shows on any machine without anything downloaded.
UI_FONTS = ["Microsoft YaHei UI", "Noto Sans CJK SC", "WenQuanYi Zen Hei"]
# Set (to 1) by benchmarks/: the app quits as soon as the window shows its round's dossiers.
EXIT_WHEN_READY = "SME_REVIEW_EXIT_WHEN_READY"


def open_demo_store(data_dir: Path) -> Store:
    """The demo data set lives in its own store under ``demo/`` of the data folder."""
    from ..demo import load_demo
    from ..rounds import list_rounds

    store = open_store(data_dir / "demo")
    if not list_rounds(store):
        load_demo(store)
    return store


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


def install_qt_translations(app: QApplication) -> None:
    """Qt's own texts (standard buttons, file dialogs) in Chinese, from the bundled catalogues."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if translator.load(
        QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder
    ):
        app.installTranslator(translator)


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_TITLE)
    app.setApplicationDisplayName(APP_TITLE)
    app.setOrganizationName(APP_ID)
    app.setDesktopFileName(APP_ID)
    if sys.platform == "win32":
        # Group the windows under the app's own taskbar button and icon, not python.exe's.
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(APP_ID)
    app.setWindowIcon(app_icon())
    if not app.findChildren(QTranslator):
        install_qt_translations(app)
    font = QFont()
    font.setFamilies([*UI_FONTS, *bundled_font_families()])
    font.setPointSize(10)
    app.setFont(font)
    return app


def first_run(data_dir: Path, settings: Settings, *, offer_demo: bool) -> Store | None:
    """The welcome while no reviewer is named; the demo store when the reviewer asked for it."""
    from .welcome import WelcomeDialog

    welcome = WelcomeDialog(data_dir, settings, offer_demo=offer_demo)
    welcome.setWindowIcon(app_icon())
    welcome.exec()
    return welcome.demo_store


def run(data_dir: Path, database_url: str | None = None, *, demo: bool = False) -> int:
    app = make_application()
    from .main_window import MainWindow

    settings = Settings.load(data_dir)
    store: Store | None = None
    if not settings.reviewer_name and not demo:  # --demo opens the demo round straight away
        store = first_run(data_dir, settings, offer_demo=False)
    lock: InstanceLock | None = None
    where = locate(data_dir, database_url)
    try:
        if where.database_url is None:
            lock = acquire(data_dir)  # a server takes many PCs; a local file only one
        if store is None:
            store = open_demo_store(data_dir) if demo else where.open()
    except UserError as exc:
        if lock is not None:
            lock.release()
        QMessageBox.critical(None, APP_TITLE, exc.message)
        return 2
    window = MainWindow(store, settings)
    window.show()
    if os.environ.get(EXIT_WHEN_READY):
        _quit_when_ready(app, window, lock, rows=os.environ[EXIT_WHEN_READY] != "shown")
    run_task(lambda: daily_backups(store, settings), lambda _: None, _backup_failed)
    try:
        return app.exec()
    finally:
        if lock is not None:
            lock.release()


def _quit_when_ready(
    app: QApplication, window: MainWindow, lock: InstanceLock | None, *, rows: bool
) -> None:
    """For start-up timing (benchmarks/): quit once the window has painted its round's rows,
    or (``rows`` false) exit at once when it is first painted, its rows still loading (a
    normal quit would wait for the loading worker)."""

    def check() -> None:
        if not rows or window.loading.isHidden():
            timer.stop()
            window.repaint()
            if rows:
                app.quit()
                return
            if lock is not None:
                lock.release()
            os._exit(0)

    timer = QTimer(window)
    timer.timeout.connect(check)
    timer.start(1)


def daily_backups(store: Store, settings: Settings) -> None:
    """The day's first start backs the store up and drops backups past the kept days."""
    backups.daily_backup(store)
    backups.prune(store, settings.backups_keep_days)


def _backup_failed(exc: BaseException) -> None:
    logging.getLogger(__name__).warning("daily backup failed: %s", exc)
