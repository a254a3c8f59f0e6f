"""工具 → 选项: this PC's settings and the shared server, saved only when complete."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from sme_review_desktop.store import credentials
from sme_review_desktop.store.location import locate
from sme_review_desktop.store.server_check import server_fields
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui import reviewer_fields, settings_dialog, welcome
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.settings_dialog import SettingsDialog


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(settings_dialog, "show_error", lambda _p, text: said.append(text))
    monkeypatch.setattr(welcome, "show_error", lambda _p, text: said.append(text))
    monkeypatch.setattr(reviewer_fields, "show_error", lambda _p, text: said.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text) or 0)
    return said


class MemoryKeyring(KeyringBackend):
    """A system keyring, in memory: what Windows' Credential Manager is to the app."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def system_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def _dialog(qtbot: QtBot, settings: Settings, folder: Path) -> SettingsDialog:
    dialog = SettingsDialog(settings, folder, "本机数据库")
    qtbot.addWidget(dialog)
    return dialog


def test_local_settings_are_saved_and_shared_with_the_window(
    qtbot: QtBot, tmp_path: Path, told: list[str]
) -> None:
    settings = Settings(reviewer_name="张评审", bureau="聊城")
    dialog = _dialog(qtbot, settings, tmp_path)
    assert not dialog.server.isChecked()
    dialog.name.setText(" 李评审 ")
    dialog.bureau.setCurrentIndex(dialog.bureau.findData("西安"))
    dialog.keep_days.setValue(90)
    dialog.max_files.setValue(800)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = Settings.load(tmp_path)
    assert (saved.reviewer_name, saved.bureau, saved.backups_keep_days) == ("李评审", "西安", 90)
    assert saved.import_max_files == 800 and saved.database_url == ""
    assert settings.reviewer_name == "李评审"  # the window's object, updated in place
    assert told == []  # no restart needed for local settings


def test_the_reviewers_name_cannot_be_emptied(
    qtbot: QtBot, tmp_path: Path, told: list[str]
) -> None:
    settings = Settings(reviewer_name="张评审")
    dialog = _dialog(qtbot, settings, tmp_path)
    dialog.name.setText("  ")
    dialog.accept()
    assert told == ["请填写评审人姓名：它记入每一条审核记录。"]
    assert settings.reviewer_name == "张评审" and not (tmp_path / "settings.json").exists()


def test_a_server_needs_an_address_and_a_database(
    qtbot: QtBot, tmp_path: Path, told: list[str]
) -> None:
    settings = Settings(reviewer_name="张评审")
    dialog = _dialog(qtbot, settings, tmp_path)
    dialog.server.setChecked(True)
    dialog.database.setText("sme_review")
    dialog.accept()
    assert told == ["请填写服务器地址。"]
    assert not (tmp_path / "settings.json").exists() and settings.database_url == ""


def _fill_server(dialog: SettingsDialog) -> None:
    dialog.server.setChecked(True)
    dialog.host.setText("192.168.10.5")
    dialog.database.setText("sme_review")
    dialog.user.setText("wangyi")
    dialog.password.setText("口令@1")
    dialog.evidence.setText(r"\\fileserver\评审证明材料")


def test_a_server_setting_is_saved_as_one_address_for_the_next_start(
    qtbot: QtBot, tmp_path: Path, told: list[str], system_keyring: MemoryKeyring
) -> None:
    settings = Settings(reviewer_name="张评审")
    dialog = _dialog(qtbot, settings, tmp_path)
    assert "系统密钥库" in _note(dialog) and "不写入 settings.json" in _note(dialog)
    _fill_server(dialog)
    dialog.accept()
    saved = Settings.load(tmp_path)
    fields = server_fields(saved.database_url)
    assert (fields.host, fields.database, fields.user, fields.password) == (
        "192.168.10.5",
        "sme_review",
        "wangyi",
        "",
    )
    assert "口令@1" not in (tmp_path / "settings.json").read_text(encoding="utf-8")
    assert system_keyring.kept == {
        (credentials.SERVICE, "wangyi@192.168.10.5:5432/sme_review"): "口令@1"
    }
    where = locate(tmp_path)  # the next start: the address, with the keyring's password
    assert server_fields(where.database_url or "").password == "口令@1"
    assert not where.password_missing
    assert saved.evidence_dir == r"\\fileserver\评审证明材料"
    assert told == ["数据库设置已保存，重新启动本程序后生效。"]
    # Opened again, the dialog shows what was saved; unticking goes back to the local store.
    again = _dialog(qtbot, saved, tmp_path)
    assert again.server.isChecked() and again.password.text() == "口令@1"
    again.server.setChecked(False)
    again.accept()
    assert Settings.load(tmp_path).database_url == ""


def _note(dialog: SettingsDialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def test_without_a_keyring_the_password_is_not_kept_and_asked_at_each_start(
    qtbot: QtBot, tmp_path: Path, told: list[str], no_keyring: None
) -> None:
    dialog = _dialog(qtbot, Settings(reviewer_name="张评审"), tmp_path)
    assert "没有可用的系统密钥库" in _note(dialog) and "每次启动时询问" in _note(dialog)
    _fill_server(dialog)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert "口令@1" not in (tmp_path / "settings.json").read_text(encoding="utf-8")
    where = locate(tmp_path)
    assert where.password_missing
    asked = where.with_password("口令@1")
    assert server_fields(asked.database_url or "").password == "口令@1"


def test_an_old_settings_file_with_a_password_moves_it_to_the_keyring(
    qtbot: QtBot, tmp_path: Path, told: list[str], system_keyring: MemoryKeyring
) -> None:
    old = Settings(
        reviewer_name="张评审",
        database_url="postgresql+psycopg://wangyi:%E5%8F%A3%E4%BB%A4@10.0.0.5/sme_review",
    )
    old.save(tmp_path)
    dialog = _dialog(qtbot, old, tmp_path)
    assert dialog.password.text() == "口令"
    dialog.accept()
    assert server_fields(Settings.load(tmp_path).database_url).password == ""
    assert list(system_keyring.kept.values()) == ["口令"]


def test_the_connection_test_reports_in_the_dialog(
    qtbot: QtBot, tmp_path: Path, told: list[str]
) -> None:
    dialog = _dialog(qtbot, Settings(reviewer_name="张评审"), tmp_path)
    dialog.server.setChecked(True)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(1)  # nothing listens there
    dialog.database.setText("sme_review")
    dialog.evidence.setText(str(tmp_path))
    dialog.test_connection()
    assert not dialog.test_button.isEnabled()
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=15_000)
    text = dialog.findings.text()
    assert "无法连接数据库" in text and "证明材料文件夹可以读写" in text


def test_the_tools_menu_opens_it_and_a_new_name_shows_at_once(
    qtbot: QtBot, main_window: MainWindow, told: list[str]
) -> None:
    dialog = main_window.open_settings()
    assert isinstance(dialog, SettingsDialog)
    notes = [label.text() for label in dialog.findChildren(QLabel)]
    assert any(f"本次运行使用：本机数据库（{main_window.store.data_dir}）" in t for t in notes)
    dialog.name.setText("王评审")
    dialog.accept()
    assert main_window.reviewer_label.text() == "评审人：王评审"
