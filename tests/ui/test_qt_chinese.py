"""Qt's own dialogs speak Chinese (issue 22): the file dialog's labels and standard buttons come
from qtbase_zh_CN, installed by ui/app.install_qt_translations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from sme_review_desktop.ui.app import install_qt_translations


@pytest.fixture
def chinese(qtbot: QtBot) -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = set(app.findChildren(QTranslator))
    install_qt_translations(app)
    yield
    for translator in set(app.findChildren(QTranslator)) - before:
        QCoreApplication.removeTranslator(translator)
        translator.deleteLater()


def file_dialog_texts(qtbot: QtBot) -> set[str]:
    dialog = QFileDialog(None, "选择文件")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = {w.text() for w in dialog.findChildren(QLabel)}
    texts |= {b.text() for b in dialog.findChildren(QPushButton)}
    return texts


def test_a_file_dialog_reads_in_chinese(qtbot: QtBot, chinese: None) -> None:
    texts = file_dialog_texts(qtbot)
    assert "文件名称(&N)：" in texts and {"保存(&S)", "取消"} <= texts, texts
    assert not texts & {"File &name:", "&Save", "Cancel"}, texts
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    assert {b.text() for b in box.buttons()} == {"确定", "取消"}


def test_without_the_catalogue_it_would_be_english(qtbot: QtBot) -> None:
    """The check above can fail: with no translator the same labels are English."""
    app = QApplication.instance()
    assert app is not None
    installed = app.findChildren(QTranslator)
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    try:
        assert "File &name:" in file_dialog_texts(qtbot)
    finally:
        for translator in installed:
            QCoreApplication.installTranslator(translator)
