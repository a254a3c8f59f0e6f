"""A long job in a worker thread with a progress bar and a cancel button that the job obeys."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from sme_review_desktop.ui.tasks import run_task

JobFn = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class ProgressTask(QObject):
    """``job(progress, cancelled)`` off the UI thread; ``finished(result)`` or ``failed(exc)``."""

    finished = Signal(object)
    failed = Signal(object)
    _tick = Signal(int)  # per mille: byte counts overflow a Qt int past 2 GB

    def __init__(self, parent: QWidget, title: str, label: str, job: JobFn) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self.dialog = QProgressDialog(label, "取消", 0, 1000, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(200)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self._stop.set)
        self._tick.connect(self._show)  # emitted from the worker: queued onto the UI thread
        run_task(lambda: job(self._report, self._stop.is_set), self._done, self._error)

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def _report(self, done: int, total: int) -> None:  # worker thread
        self._tick.emit(min(1000, int(1000 * done / max(total, 1))))

    def _show(self, permille: int) -> None:
        if not self.dialog.wasCanceled():
            self.dialog.setValue(permille)

    def _done(self, result: object) -> None:
        self.dialog.reset()
        self.finished.emit(result)

    def _error(self, exc: BaseException) -> None:
        self.dialog.reset()
        self.failed.emit(exc)
