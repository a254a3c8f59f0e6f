"""工具 → 选项: this PC's settings (reviewer, bureau, import limits, backups) and the shared
server (docs/server-mode.md), with a connection test that runs off the UI thread."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.store import credentials
from sme_review_desktop.store.server_check import Finding, ServerFields, check_server, server_fields
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.branding import muted
from sme_review_desktop.ui.messages import show_error
from sme_review_desktop.ui.reviewer_fields import BUREAUS, reviewer_name
from sme_review_desktop.ui.tasks import run_task


def _spin(value: int, low: int, high: int, suffix: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(min(max(value, low), high))
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    return box


class SettingsDialog(QDialog):
    """Edits ``settings`` in place and saves it to ``data_dir`` on 保存.

    ``current_database`` names the database this run uses (password hidden), so a reviewer
    sees when a setting only takes effect after a restart.
    """

    def __init__(
        self,
        settings: Settings,
        data_dir: Path,
        current_database: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings, self.data_dir = settings, data_dir
        self.setWindowTitle("选项")
        self.setMinimumWidth(560)

        self.name = QLineEdit(settings.reviewer_name)
        self.name.setMaxLength(40)
        self.bureau = QComboBox()
        for label, value, _ in BUREAUS:
            self.bureau.addItem(label, value)
        self.bureau.setCurrentIndex(max(0, self.bureau.findData(settings.bureau)))
        general = QGroupBox("评审人与单位")
        form = QFormLayout(general)
        form.addRow("评审人姓名：", self.name)
        form.addRow("所在单位：", self.bureau)

        self.max_total = _spin(settings.import_max_total_mb, 1, 1_048_576, " MB")
        self.max_files = _spin(settings.import_max_files, 1, 1_000_000, " 个")
        self.max_file = _spin(settings.import_max_file_mb, 1, 1_048_576, " MB")
        self.keep_days = _spin(settings.backups_keep_days, 1, 3650, " 天")
        limits = QGroupBox("导入与备份")
        form = QFormLayout(limits)
        form.addRow("每份申报材料最大总量：", self.max_total)
        form.addRow("每份申报材料最多文件数：", self.max_files)
        form.addRow("单个文件最大：", self.max_file)
        form.addRow("自动备份保留：", self.keep_days)

        fields = server_fields(settings.database_url)
        # The password lives in the system keyring (store/credentials), never in settings.json;
        # an old settings.json that still holds one is cleaned at the next 保存.
        kept = fields.password or credentials.load(settings.database_url) or ""
        self.server = QGroupBox("使用共享服务器（PostgreSQL，多台电脑同时评审）")
        self.server.setCheckable(True)
        self.server.setChecked(bool(settings.database_url))
        self.host = QLineEdit(fields.host)
        self.host.setPlaceholderText("如：192.168.10.5")
        self.port = _spin(fields.port, 1, 65535, "")
        self.port.setGroupSeparatorShown(False)
        self.database = QLineEdit(fields.database)
        self.database.setPlaceholderText("如：sme_review")
        self.user = QLineEdit(fields.user)
        self.user.setPlaceholderText("本人的登录名，如：wangyi")
        self.password = QLineEdit(kept)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.evidence = QLineEdit(settings.evidence_dir)
        self.evidence.setPlaceholderText(r"如：\\fileserver\评审证明材料")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        evidence_row = QHBoxLayout()
        evidence_row.addWidget(self.evidence, 1)
        evidence_row.addWidget(browse)
        self.test_button = QPushButton("测试连接")
        self.test_button.clicked.connect(self.test_connection)
        self.findings = QLabel()
        # One finding a line, unwrapped: a wrapped label's height is not known to the form
        # until after it is laid out, and the second line was cut off.
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self.server)
        form.addRow("服务器地址：", self.host)
        form.addRow("端口：", self.port)
        form.addRow("数据库名：", self.database)
        form.addRow("登录名：", self.user)
        form.addRow("口令：", self.password)
        form.addRow("共享证明材料文件夹：", evidence_row)
        form.addRow("", self.test_button)
        form.addRow(self.findings)  # the whole width: a finding can be long

        self.keyring = credentials.available()
        note = QLabel(
            f"本次运行使用：{current_database}。数据库设置保存后，重新启动本程序生效。"
            + (
                "口令保存在本机的系统密钥库（Windows 凭据管理器）中，不写入 settings.json。"
                if self.keyring
                else "本机没有可用的系统密钥库：口令不保存，每次启动时询问。"
            )
        )
        note.setWordWrap(True)
        muted(note)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        # Two tabs: stacked, the three groups were taller than a 1024×768 screen allows.
        local = QWidget()
        column = QVBoxLayout(local)
        column.addWidget(general)
        column.addWidget(limits)
        column.addStretch(1)
        shared = QWidget()
        column = QVBoxLayout(shared)
        column.addWidget(self.server)
        column.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.addTab(local, "常规")
        self.tabs.addTab(shared, "共享服务器")
        layout = QVBoxLayout(self)
        for widget in (self.tabs, note, buttons):
            layout.addWidget(widget)

    def server_fields(self) -> ServerFields:
        return ServerFields(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            password=self.password.text(),
        )

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "选择共享证明材料文件夹", self.evidence.text()
        )
        if folder:
            self.evidence.setText(folder)

    def _server_problem(self) -> str | None:
        fields = self.server_fields()
        if not fields.host:
            return "请填写服务器地址。"
        if not fields.database:
            return "请填写数据库名。"
        return None

    def test_connection(self) -> None:
        problem = self._server_problem()
        if problem:
            self._show([Finding(False, problem)])
            return
        url, evidence = self.server_fields().url(), self.evidence.text().strip()
        self.test_button.setEnabled(False)
        self.findings.setText("正在连接…")
        run_task(lambda: check_server(url, evidence), self._show, self._test_failed)

    def _show(self, findings: list[Finding]) -> None:
        self.test_button.setEnabled(True)
        self.findings.setText(
            "<br>".join(
                f"<span style='color:{'#1b7f3b' if f.ok else '#b3261e'}'>"
                f"{'✔' if f.ok else '✘'}</span> {_html(f.message)}"
                for f in findings
            )
        )
        self.adjustSize()  # room for the findings' lines

    def _test_failed(self, exc: BaseException) -> None:
        self._show([Finding(False, f"测试未能完成：{exc}")])

    def accept(self) -> None:
        name = reviewer_name(self.name)
        if not name:
            return
        if self.server.isChecked() and (problem := self._server_problem()):
            show_error(self, problem)
            return
        old = self.settings
        new = replace(
            old,
            reviewer_name=name,
            bureau=str(self.bureau.currentData()),
            import_max_total_mb=self.max_total.value(),
            import_max_files=self.max_files.value(),
            import_max_file_mb=self.max_file.value(),
            backups_keep_days=self.keep_days.value(),
            database_url=credentials.without_password(self.server_fields().url())
            if self.server.isChecked()
            else "",
            evidence_dir=self.evidence.text().strip(),
        )
        password = self.password.text()
        keep = self.server.isChecked() and password and self.keyring
        if keep and not credentials.save(new.database_url, password):
            show_error(self, "无法把口令保存到系统密钥库，设置未保存。")
            return
        try:
            new.save(self.data_dir)
        except OSError as exc:
            show_error(self, f"无法保存设置到数据目录：{self.data_dir}\n{exc}")
            return
        restart = (new.database_url, new.evidence_dir) != (old.database_url, old.evidence_dir)
        for f in fields(Settings):  # the window shares this object: update it only once saved
            setattr(old, f.name, getattr(new, f.name))
        if restart:
            QMessageBox.information(self, "选项", "数据库设置已保存，重新启动本程序后生效。")
        super().accept()


def ask_password(url: str, parent: QWidget | None = None) -> str | None:
    """At start, the login's password when the keyring has none (None: the reviewer cancelled)."""
    from PySide6.QtWidgets import QInputDialog

    login = credentials.account(url) or url
    why = (
        "系统密钥库中没有该登录的口令"
        if credentials.available()
        else "本机没有可用的系统密钥库，口令不保存"
    )
    text, ok = QInputDialog.getText(
        parent, "登录共享服务器", f"{why}。\n请输入 {login} 的口令：", QLineEdit.EchoMode.Password
    )
    return text if ok else None


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
