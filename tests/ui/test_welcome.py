"""The first-run welcome (name, bureau, demo, data folder) and the 关于 dialog."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QRawFont
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from sme_review_desktop import __version__
from sme_review_desktop.rounds import list_rounds
from sme_review_desktop.rules.rulebook import all_rulebooks
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.paths import resources_dir
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui import reviewer_fields, welcome
from sme_review_desktop.ui.about import AboutDialog, LicenceDialog
from sme_review_desktop.ui.branding import BUNDLED_FONT, app_icon, bundled_font_families
from sme_review_desktop.ui.reviewer_fields import default_rulebook
from sme_review_desktop.ui.welcome import WelcomeDialog


def fill(dialog: WelcomeDialog, name: str, bureau: str, demo: bool) -> None:
    dialog.name.setText(name)  # QTest types ASCII only; Chinese arrives as whole text
    dialog.bureau.setCurrentIndex(dialog.bureau.findData(bureau))
    dialog.demo.setChecked(demo)


def test_welcome_saves_the_reviewer_and_the_bureau(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    dialog = WelcomeDialog(data)
    qtbot.addWidget(dialog)
    assert str(data) in dialog.data_label.text()
    fill(dialog, "  李评审 ", "西安", demo=False)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = Settings.load(data)
    assert (saved.reviewer_name, saved.bureau) == ("李评审", "西安")
    assert dialog.demo_store is None
    assert not (data / "demo").exists()


def test_welcome_refuses_an_empty_name(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(welcome, "show_error", lambda _parent, message: shown.append(message))
    monkeypatch.setattr(reviewer_fields, "show_error", lambda _p, message: shown.append(message))
    dialog = WelcomeDialog(tmp_path / "data")
    qtbot.addWidget(dialog)
    fill(dialog, "   ", "聊城", demo=False)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert shown and "姓名" in shown[0]
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not (tmp_path / "data" / "settings.json").exists()


def test_welcome_opens_the_demo_off_the_ui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "data"
    dialog = WelcomeDialog(data, offer_demo=True)
    qtbot.addWidget(dialog)
    assert dialog.demo.isChecked()
    fill(dialog, "王评审", "聊城", demo=True)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    # The click returns at once: the demo is written in the thread pool while a bar turns.
    assert dialog.progress.isVisibleTo(dialog) and not dialog.start_button.isEnabled()
    dialog.reject()  # closing mid-way would leave the demo half written: ignored
    qtbot.waitUntil(lambda: dialog.demo_store is not None, timeout=60_000)
    store = dialog.demo_store
    assert store is not None
    try:
        assert dialog.result() == QDialog.DialogCode.Accepted
        # This year's two rounds, and the story's certified 聊城 round of 2023 (demo/story).
        rounds = list_rounds(store)
        assert [r.rulebook_id for r in rounds] == ["liaocheng-2021", "xian-2018", "liaocheng-2021"]
        assert [r.dossier_count for r in rounds] == [12, 12, 3] and rounds[2].locked
        assert store.data_dir == data / "demo"  # apart from the reviewer's real work
        assert not (data / "store.sqlite3").exists()
        assert Settings.load(data).reviewer_name == "王评审"
    finally:
        store.close()


def test_bureau_sets_the_default_measure() -> None:
    assert default_rulebook("聊城") == "liaocheng-2021"
    assert default_rulebook("西安") == "xian-2018"
    assert default_rulebook("其他") == default_rulebook("") == ""
    assert {default_rulebook(b) for b in ("聊城", "西安")} <= set(all_rulebooks())


def shows_all_its_text(dialog: QWidget) -> list[str]:
    """Labels whose text does not fit the space they were given (clipped), by their text."""
    clipped = []
    for label in dialog.findChildren(QLabel):
        if not label.isVisibleTo(dialog) or not label.text():
            continue
        if label.wordWrap():
            fits = label.height() >= label.heightForWidth(label.width())
        else:
            fits = label.width() >= label.sizeHint().width()
        if not fits:
            clipped.append(label.text())
    return clipped


def bundled_font_draws(texts: list[str]) -> list[str]:
    """Characters of ``texts`` the bundled font has no glyph for."""
    assert bundled_font_families(), "the bundled font did not load"
    raw = QRawFont(str(resources_dir() / "fonts" / BUNDLED_FONT), 12)
    assert raw.isValid()
    return sorted(
        {ch for t in texts for ch in t if not ch.isspace() and not raw.supportsCharacter(ord(ch))}
    )


def screenshot(dialog: QWidget, path: Path) -> None:
    font = QFont()
    font.setFamilies(list(bundled_font_families()))  # as on a PC with no Chinese font at all
    font.setPointSize(10)
    dialog.setFont(font)
    dialog.show()
    dialog.adjustSize()
    assert dialog.grab().save(str(path))
    keep = os.environ.get("SME_REVIEW_SCREENSHOTS")  # a folder to look at them by eye
    if keep:
        dialog.grab().save(str(Path(keep) / path.name))


def test_welcome_shows_its_chinese_unclipped(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = WelcomeDialog(tmp_path / "用户数据")
    qtbot.addWidget(dialog)
    screenshot(dialog, tmp_path / "welcome.png")
    assert (tmp_path / "welcome.png").stat().st_size > 5_000
    assert shows_all_its_text(dialog) == []
    texts = [lbl.text() for lbl in dialog.findChildren(QLabel)] + [dialog.demo.text()]
    assert bundled_font_draws([t for t in texts if "<" not in t]) == []


def test_about_shows_version_data_folder_measures_and_font_licence(
    qtbot: QtBot, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = AboutDialog(store)
    qtbot.addWidget(dialog)
    assert __version__ in dialog.version_label.text()
    assert str(store.data_dir) in dialog.data_label.text()
    for book in all_rulebooks().values():
        assert book.title in dialog.measures_label.text()
    assert "SIL Open Font License 1.1" in dialog.font_label.text()
    assert "不连接网络" in dialog.offline_label.text()

    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened and opened[0].isLocalFile()
    assert Path(opened[0].toLocalFile()) == store.data_dir

    licence = LicenceDialog(dialog)
    qtbot.addWidget(licence)
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence.text.toPlainText()

    screenshot(dialog, tmp_path / "about.png")
    assert shows_all_its_text(dialog) == []


def test_the_app_icon_has_every_size() -> None:
    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert {(32, 32), (64, 64), (256, 256)} <= sizes
