"""工具 → 备份与恢复: one-file archives to a chosen folder, restore after a completeness check."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.store import archive_report, audit, backups
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.text.safe_text import as_rich
from sme_review_desktop.ui.messages import show_exception
from sme_review_desktop.ui.trust.progress_task import ProgressTask


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


class BackupDialog(QDialog):
    """``restored`` is emitted after a restore: the caller must reopen the store."""

    restored = Signal()

    def __init__(
        self, store: Store, settings: Settings, actor: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.store, self.settings, self.actor = store, settings, actor
        self.task: ProgressTask | None = None
        self.setWindowTitle("备份与恢复")
        self.resize(640, 480)

        make = QGroupBox("备份")
        make_layout = QVBoxLayout(make)
        make_layout.addWidget(
            QLabel(
                "把数据库和全部证明材料备份成一个文件（可存到U盘或共享文件夹），换电脑或出故障时用它恢复。"
            )
        )
        self.backup_button = QPushButton("备份到文件…")
        self.backup_button.clicked.connect(self.choose_backup)
        make_layout.addWidget(self.backup_button)

        restore = QGroupBox("恢复")
        restore_layout = QVBoxLayout(restore)
        restore_layout.addWidget(
            QLabel("先检查备份文件是否完整，完整才会替换当前数据；当前数据会先自动备份。")
        )
        self.restore_button = QPushButton("从备份文件恢复…")
        self.restore_button.clicked.connect(self.choose_restore)
        restore_layout.addWidget(self.restore_button)

        auto = QGroupBox("自动备份（每天首次启动时、每次导入前、认定锁定前、升级前）")
        auto_layout = QVBoxLayout(auto)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["时间", "类型", "大小"])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 170)
        auto_layout.addWidget(self.list)
        row = QHBoxLayout()
        row.addWidget(QLabel("保留天数："))
        self.keep = QSpinBox()
        self.keep.setRange(1, 3650)
        self.keep.setValue(settings.backups_keep_days)
        self.keep.valueChanged.connect(self._keep_changed)
        row.addWidget(self.keep)
        row.addStretch(1)
        folder = QPushButton("打开备份文件夹")
        folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.store.backups_dir)))
        )
        row.addWidget(folder)
        auto_layout.addLayout(row)

        layout = QVBoxLayout(self)
        layout.addWidget(make)
        layout.addWidget(restore)
        layout.addWidget(auto, 1)
        if not store.is_sqlite:
            for w in (self.backup_button, self.restore_button, self.keep):
                w.setEnabled(False)
            layout.insertWidget(0, QLabel("共享服务器模式：数据库请由管理员用 pg_dump 备份。"))
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for b in backups.list_backups(self.store):
            QTreeWidgetItem(self.list, [f"{b.at:%Y-%m-%d %H:%M:%S}", b.kind, _size(b.size)])

    def _keep_changed(self, days: int) -> None:
        self.settings.backups_keep_days = days
        self.settings.save(self.store.data_dir)

    # backup ----------------------------------------------------------------------------------
    def choose_backup(self) -> None:
        name = f"示范平台评审备份-{datetime.now():%Y%m%d-%H%M}.zip"
        target, _ = QFileDialog.getSaveFileName(self, "备份到", name, "备份文件 (*.zip)")
        if target:
            self.backup_to(Path(target))

    def backup_to(self, target: Path) -> ProgressTask:
        self.task = ProgressTask(
            self,
            "备份",
            "正在备份数据和证明材料…",
            lambda progress, cancelled: backups.write_archive(
                self.store, target, progress, cancelled
            ),
        )
        self.task.finished.connect(self._written)
        self.task.failed.connect(self._failed)
        return self.task

    def _written(self, result: archive_report.BackupResult) -> None:
        text = as_rich("\n".join(result.lines()))
        if result.complete:
            QMessageBox.information(self, "备份", text)
        else:
            QMessageBox.warning(self, "备份（部分证明材料未能备份）", text)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, backups.BackupCancelled):
            show_exception(self, exc)

    # restore ---------------------------------------------------------------------------------
    def choose_restore(self) -> None:
        source, _ = QFileDialog.getOpenFileName(self, "选择备份文件", "", "备份文件 (*.zip)")
        if source:
            self.check_then_restore(Path(source))

    def check_then_restore(self, source: Path) -> ProgressTask:
        self.task = ProgressTask(
            self,
            "检查备份",
            "正在检查备份文件是否完整…",
            lambda progress, cancelled: backups.verify_archive(
                source, progress, cancelled, key_folder=self.store.key_folder
            ),
        )
        self.task.finished.connect(lambda report: self._checked(source, report))
        self.task.failed.connect(self._failed)
        return self.task

    def _checked(self, source: Path, report: archive_report.ArchiveReport) -> None:
        text = "\n".join(report.lines())
        if not report.ok:
            QMessageBox.warning(self, "备份不完整", as_rich(text))
            return
        answer = QMessageBox.question(
            self,
            "恢复",
            as_rich(
                f"{text}\n\n恢复将用备份替换当前全部数据（当前数据会先自动备份）。确定恢复吗？"
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(source)

    def restore(self, source: Path) -> ProgressTask:
        data_dir = self.store.data_dir
        self.store.close()  # no connection may stay open on the file being replaced

        def job(progress: object, cancelled: object) -> archive_report.ArchiveReport:
            report = backups.restore_archive(source, data_dir, progress, cancelled)  # type: ignore[arg-type]
            if report.ok:
                store = open_store(data_dir)
                with store.write() as session:
                    audit.record(
                        session,
                        self.actor,
                        "backup.restore",
                        after={"archive": source.name, **report.manifest.get("counts", {})},
                    )
                store.close()
            return report

        self.task = ProgressTask(self, "恢复", "正在恢复…", job)
        self.task.finished.connect(self._restored)
        self.task.failed.connect(self._failed)
        return self.task

    def _restored(self, report: archive_report.ArchiveReport) -> None:
        if not report.ok:
            QMessageBox.warning(self, "恢复", as_rich("\n".join(report.lines())))
            return
        QMessageBox.information(self, "恢复", "已从备份恢复。")
        self.restored.emit()
        self.accept()
