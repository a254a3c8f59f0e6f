"""Running service calls off the UI thread and delivering their result back to it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # delivered to the UI thread, shown there
            self._deliver(self.relay.failed, exc)
        else:
            self._deliver(self.relay.done, result)

    def _deliver(self, signal: Any, value: object) -> None:
        # RuntimeError: the app quit while this ran; its relay is gone and no one is waiting.
        with suppress(RuntimeError):
            signal.emit(value)


_live: set[_Relay] = set()


def run_task(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """Call ``fn`` in the thread pool; ``on_done``/``on_error`` run on the UI thread."""
    relay = _Relay()
    _live.add(relay)  # keep the relay alive until it has spoken

    def finish(_: object) -> None:
        _live.discard(relay)

    relay.done.connect(on_done)
    relay.failed.connect(on_error)
    relay.done.connect(finish)
    relay.failed.connect(finish)
    QThreadPool.globalInstance().start(_Task(fn, relay))


def wait_for_tasks(msecs: int = 30_000) -> bool:
    """For tests and shutdown: wait until the pool is idle."""
    return QThreadPool.globalInstance().waitForDone(msecs)
