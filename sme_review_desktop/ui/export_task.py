"""Running an export off the UI thread, with a progress dialog whose cancel loses nothing.

The export writes to a hidden file beside the target; only when it succeeds and the user has
not cancelled is that file renamed onto the target, so a cancelled or failed export leaves the
target as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from sme_review_desktop.ui.tasks import run_task

ExportFn = Callable[[Path], object]


def _scratch(target: Path) -> Path:
    # The suffix stays: exporters pick the format (.pdf / .xlsx) from it.
    return target.with_name(f".{target.stem}.exporting{target.suffix}")


class ExportTask(QObject):
    """One export: ``finished(path)`` on success, ``failed(exc)`` on error, nothing if cancelled."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QWidget, title: str, target: Path, export: ExportFn) -> None:
        super().__init__(parent)
        self.target = target
        self.cancelled = False
        self.progress = QProgressDialog(f"正在导出{title}…", "取消", 0, 0, parent)
        self.progress.setWindowTitle(title)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self._cancel)
        scratch = _scratch(target)
        run_task(lambda: export(scratch), self._done, self._error)

    def _cancel(self) -> None:
        self.cancelled = True

    def _done(self, _: object) -> None:
        scratch = _scratch(self.target)
        self.cancelled = self.cancelled or self.progress.wasCanceled()
        self.progress.reset()
        if self.cancelled:
            scratch.unlink(missing_ok=True)
            return
        os.replace(scratch, self.target)
        self.finished.emit(self.target)

    def _error(self, exc: BaseException) -> None:
        _scratch(self.target).unlink(missing_ok=True)
        self.cancelled = self.cancelled or self.progress.wasCanceled()
        self.progress.reset()
        if not self.cancelled:
            self.failed.emit(exc)
