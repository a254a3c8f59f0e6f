"""Importing packages from the app: a worker thread, progress per package and overall, cancel,
and a report that can be saved as xlsx."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.exports.import_report import STATUS_LABELS, write_import_report
from sme_review_desktop.importing.limits import ImportLimits
from sme_review_desktop.importing.package import discover
from sme_review_desktop.importing.service import ImportResult, import_package
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.safe_text import as_rich, visible
from sme_review_desktop.ui.messages import show_error


class ImportWorker(QObject):
    """Runs a batch off the UI thread; one package at a time, each its own transaction."""

    discovered = Signal(int)  # number of packages
    package_started = Signal(int, str)  # index, name
    package_progress = Signal(int)  # per mille of the current package
    result = Signal(object)  # ImportResult
    finished = Signal()

    def __init__(
        self,
        store: Store,
        round_id: int,
        paths: list[Path],
        actor: str,
        limits: ImportLimits | None = None,
    ) -> None:
        super().__init__()
        self.store, self.round_id, self.paths, self.actor = store, round_id, paths, actor
        self.limits = limits
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            packages = list(discover(self.paths, self.limits))
            self.discovered.emit(len(packages))
            for index, package in enumerate(packages):
                if self._cancel.is_set():
                    break
                self.package_started.emit(index, package.name)
                res = import_package(
                    self.store,
                    self.round_id,
                    package,
                    self.actor,
                    progress=lambda done, total: self.package_progress.emit(done * 1000 // total),
                    cancelled=self._cancel.is_set,
                )
                self.result.emit(res)
        finally:
            self.finished.emit()


class ImportDialog(QDialog):
    """Shows a running import, then its report; emits ``imported`` when anything changed."""

    imported = Signal()

    def __init__(
        self,
        store: Store,
        round_id: int,
        paths: list[Path],
        actor: str,
        parent: QWidget | None = None,
        limits: ImportLimits | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("导入申报材料")
        self.resize(900, 520)
        self.results: list[ImportResult] = []
        self.total = 0
        self.current = QLabel("正在查找申报材料…")
        self.current.setTextFormat(Qt.TextFormat.PlainText)  # shows names: never read as HTML
        self.package_bar = QProgressBar()
        self.package_bar.setRange(0, 1000)
        self.package_bar.setFormat("当前材料 %p%")
        self.overall_bar = QProgressBar()
        self.overall_bar.setFormat("总进度 %v / %m")
        self.summary = QLabel()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["申报材料", "结果", "平台名称", "原因或提示"])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.cancel_button = QPushButton("取消")
        self.save_button = QPushButton("保存报告为Excel…")
        self.save_button.setEnabled(False)
        buttons = QDialogButtonBox()
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        for w in (self.current, self.package_bar, self.overall_bar, self.summary, self.table):
            layout.addWidget(w)
        layout.addWidget(buttons)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.save_button.clicked.connect(self._save_report)

        self._thread = QThread(self)
        self.worker = ImportWorker(store, round_id, paths, actor, limits)
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.run)
        self.worker.discovered.connect(self._on_discovered)
        self.worker.package_started.connect(self._on_package_started)
        self.worker.package_progress.connect(self.package_bar.setValue)
        self.worker.result.connect(self._on_result)
        self.worker.finished.connect(self._on_finished)
        self.running = True
        self._thread.start()

    def _on_discovered(self, n: int) -> None:
        self.total = n
        self.overall_bar.setRange(0, max(n, 1))
        self.overall_bar.setValue(0)

    def _on_package_started(self, index: int, name: str) -> None:
        self.current.setText(f"正在导入（{index + 1}/{self.total}）：{visible(name)}")
        self.package_bar.setValue(0)

    def _on_result(self, res: ImportResult) -> None:
        self.results.append(res)
        self.overall_bar.setValue(len(self.results))
        row = self.table.rowCount()
        self.table.insertRow(row)
        notes = "；".join(res.errors + res.warnings)
        for col, text in enumerate(
            (
                Path(res.path).name,
                STATUS_LABELS.get(res.status, res.status),
                res.platform_name or "",
                notes,
            )
        ):
            item = QTableWidgetItem(visible(text))
            item.setToolTip(as_rich(text))
            if res.status == "rejected":
                item.setForeground(Qt.GlobalColor.darkRed)
            self.table.setItem(row, col, item)
        if res.status in ("imported", "new_version"):
            self.imported.emit()

    def _on_finished(self) -> None:
        self.running = False
        self._thread.quit()  # the worker is done; its event loop can end now
        self._thread.wait()
        counts = {s: sum(r.status == s for r in self.results) for s in STATUS_LABELS}
        cancelled = self.worker.is_cancelled()
        head = "已取消。" if cancelled else "导入完成。"
        self.current.setText(head)
        self.summary.setText(
            f"已导入 {counts['imported']} 份，新版本 {counts['new_version']} 份，"
            + (f"未变 {counts['unchanged']} 份，" if counts["unchanged"] else "")
            + f"退回 {counts['rejected']} 份"
            + (f"，取消 {counts['cancelled']} 份" if counts["cancelled"] else "")
        )
        self.package_bar.setValue(1000 if not cancelled else self.package_bar.value())
        self.cancel_button.setText("关闭")
        self.save_button.setEnabled(bool(self.results))
        self.table.resizeRowsToContents()

    def _cancel_or_close(self) -> None:
        if self.running:
            self.cancel_button.setEnabled(False)
            self.current.setText("正在取消：当前材料将不导入，已完成的保留…")
            self.worker.cancel()
        else:
            self.accept()

    def reject(self) -> None:  # Esc / window close while running cancels first
        if self.running:
            self._cancel_or_close()
            return
        super().reject()

    def _save_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "保存导入报告", "导入报告.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if not path:
            return
        try:
            write_import_report(Path(path), self.results)
        except OSError as exc:
            show_error(self, f"无法保存导入报告：{exc.strerror}")
