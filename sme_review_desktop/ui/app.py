"""Starting the app: the QApplication, the store, the first-run welcome, and the main window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from sme_review_desktop.errors import UserError
from sme_review_desktop.store import backups
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.location import locate
from sme_review_desktop.store.lock import InstanceLock, acquire
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.branding import (
    APP_ID,
    APP_TITLE,
    UI_FONTS,
    app_icon,
    bundled_font_families,
)
from sme_review_desktop.ui.tasks import run_task

if TYPE_CHECKING:
    from sme_review_desktop.ui.main_window import MainWindow

# Set (to 1) by benchmarks/: the app quits as soon as the window shows its round's dossiers.
EXIT_WHEN_READY = "SME_REVIEW_EXIT_WHEN_READY"


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


def _open_demo(data_dir: Path) -> Store:
    from sme_review_desktop.demo import open_demo_store  # reportlab: only for the demo

    return open_demo_store(data_dir)


def first_run(data_dir: Path, settings: Settings, *, offer_demo: bool) -> Store | None:
    """The welcome while no reviewer is named; the demo store when the reviewer asked for it."""
    from sme_review_desktop.ui.welcome import WelcomeDialog

    welcome = WelcomeDialog(data_dir, settings, offer_demo=offer_demo)
    welcome.setWindowIcon(app_icon())
    welcome.exec()
    return welcome.demo_store


def run(data_dir: Path, database_url: str | None = None, *, demo: bool = False) -> int:
    app = make_application()
    from sme_review_desktop.ui.main_window import MainWindow

    settings = Settings.load(data_dir)
    store: Store | None = None
    if not settings.reviewer_name and not demo:
        # The welcome comes with a real store; --demo goes straight to the demo round (the
        # reviewer is asked for a name at the first change, as everywhere).
        store = first_run(data_dir, settings, offer_demo=False)
    lock: InstanceLock | None = None
    where = locate(data_dir, database_url)
    if where.password_missing:  # no keyring on this PC, or nothing kept in it yet
        from sme_review_desktop.ui.settings_dialog import ask_password

        password = ask_password(where.database_url or "")
        if password is None:
            return 2
        where = where.with_password(password)
    try:
        if where.database_url is None:
            lock = acquire(data_dir)  # a server takes many PCs; a local file only one
        if store is None:
            store = _open_demo(data_dir) if demo else where.open()
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
