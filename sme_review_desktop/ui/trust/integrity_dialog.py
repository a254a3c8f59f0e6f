"""工具 → 完整性检查: the database, every evidence file's SHA-256 and the audit chain."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.integrity import IntegrityReport, check_store
from sme_review_desktop.text.safe_text import visible
from sme_review_desktop.ui.messages import show_exception
from sme_review_desktop.ui.trust.progress_task import ProgressTask


class IntegrityDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.store = store
        self.report: IntegrityReport | None = None
        self.setWindowTitle("完整性检查")
        self.resize(620, 420)
        self.verdict = QLabel("正在检查…")
        font = QFont(self.verdict.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.verdict.setFont(font)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.save_button = QPushButton("保存报告…")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.choose_save)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def start(self) -> ProgressTask:
        # check_store has no cancel: a cancelled check just stops showing its progress.
        self.task = ProgressTask(
            self,
            "完整性检查",
            "正在核对数据库、证明材料和审计记录…",
            lambda progress, _cancelled: check_store(self.store, progress),
        )
        self.task.finished.connect(self.show_report)
        self.task.failed.connect(lambda exc: show_exception(self, exc))
        return self.task

    def show_report(self, report: IntegrityReport) -> None:
        self.report = report
        self.verdict.setText(
            "✔ 检查通过：数据完整" if report.ok else "✘ 发现问题：请按下列说明处理，并从备份恢复"
        )
        self.verdict.setStyleSheet("color: #1b5e20" if report.ok else "color: #b3261e")
        stamp = f"检查时间：{datetime.now():%Y-%m-%d %H:%M:%S}　数据目录：{self.store.data_dir}"
        self.text.setPlainText(visible("\n".join([stamp, *report.lines()]), keep_newlines=True))
        self.save_button.setEnabled(True)

    def choose_save(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, "保存报告", f"完整性检查-{datetime.now():%Y%m%d}.txt", "文本文件 (*.txt)"
        )
        if target:
            self.save(Path(target))

    def save(self, target: Path) -> None:
        with atomic_path(target) as tmp:
            tmp.write_text(self.text.toPlainText() + "\n", encoding="utf-8-sig")
