"""In-process measurements, each run in a fresh process: ``python -m benchmarks.probes NAME …``.

Each probe drives the real code (the main window, the dossier window, the services) on a store
built by ``benchmarks.synth``, times many repetitions with ``time.perf_counter`` and prints one
JSON object with the samples in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _qt_app() -> Any:
    from sme_review_desktop.ui.app import make_application

    return make_application([])


def _main_window(store_dir: Path) -> Any:
    from PySide6.QtWidgets import QApplication

    from sme_review_desktop.store.database import open_store
    from sme_review_desktop.store.settings import Settings
    from sme_review_desktop.ui.main_window import MainWindow
    from sme_review_desktop.ui.tasks import wait_for_tasks

    app = _qt_app()
    window = MainWindow(open_store(store_dir), Settings(reviewer_name="基准测试"))
    window.resize(1366, 768)
    window.show()
    while window.list.model.rowCount() == 0:  # the rows load in a worker; wait for them to show
        wait_for_tasks(100)
        QApplication.processEvents()
    app.processEvents()
    return window


class Samples:
    """Wall milliseconds from input to repaint, and this thread's CPU milliseconds for the same:
    the second says what the work costs when the (shared) machine is busy with others."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def time(self, action: Callable[[], None], paint: Callable[[], None]) -> None:
        from PySide6.QtWidgets import QApplication

        started, cpu = time.perf_counter(), time.thread_time()
        action()
        QApplication.processEvents()  # what the event posted (layouts, updates) runs now
        paint()
        self.wall.append((time.perf_counter() - started) * 1000)
        self.cpu.append((time.thread_time() - cpu) * 1000)

    def as_json(self, n: int | None = None) -> dict[str, list[float]]:
        return {"samples_ms": self.wall[:n], "cpu_ms": self.cpu[:n]}


def probe_filter(store_dir: Path, reps: int) -> dict[str, Any]:
    """Typing into the dossier list's search box, and switching its two filters, as a
    reviewer does: pinyin initials key by key, Chinese as the input method commits it,
    a code fragment, backspaces, then clearing; each keystroke timed to the repainted table."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window = _main_window(store_dir)
    search, table = window.list.search, window.list.table
    counties = [
        window.list.county_filter.itemData(i) for i in range(window.list.county_filter.count())
    ]
    rng = random.Random(9)
    samples = Samples()
    shown: list[int] = []

    def paint() -> None:
        table.viewport().repaint()
        shown.append(window.list.proxy.rowCount())

    def key(k: Qt.Key | str) -> Callable[[], None]:
        if isinstance(k, str):
            return lambda: QTest.keyClicks(search, k)
        return lambda: QTest.keyClick(search, k)

    words = ["物流", "轴承", "东昌", "阿胶", "数字", "临清", "服务平台"]
    initials = ["lq", "wl", "dc", "zc", "sz", "kc"]
    search.setFocus()

    def commit(word: str) -> Callable[[], None]:
        return lambda: search.insert(word)  # what an input method sends: a whole word

    def county(code: str) -> Callable[[], None]:
        combo = window.list.county_filter
        return lambda: combo.setCurrentIndex(combo.findData(code))

    def suggestion(index: int) -> Callable[[], None]:
        return lambda: window.list.suggestion_filter.setCurrentIndex(index)

    while len(samples.wall) < reps:
        typed = [key(ch) for ch in rng.choice(initials)]
        typed += [key(Qt.Key.Key_Backspace)] * 2
        typed.append(commit(rng.choice(words)))
        typed += [key(ch) for ch in str(rng.randrange(10, 99))]
        typed += [key(Qt.Key.Key_Backspace)] * 2
        typed += [county(rng.choice(counties)), suggestion(rng.randrange(4))]
        typed += [search.clear, county(""), suggestion(0)]
        for action in typed:
            samples.time(action, paint)
    # The floor under every keystroke: repainting the same list with nothing changed.
    floor = Samples()
    search.clear()
    for _ in range(max(20, reps // 3)):
        floor.time(_nothing, paint)
    return {
        **samples.as_json(reps),
        "floor_ms": floor.wall,
        "floor_cpu_ms": floor.cpu,
        "rows": window.list.model.rowCount(),
        "shown_min": min(shown),
        "shown_max": max(shown),
    }


def _nothing() -> None:
    """The window repaints what changed on the update requests ``processEvents`` ran."""


def probe_next_item(store_dir: Path, reps: int) -> dict[str, Any]:
    """J (next item) and K (previous) in the walk-through, each timed to the end of the repaint
    it causes, over dossiers with and without ticks."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from sqlalchemy import func, select

    from sme_review_desktop.models import ConditionCheck, Dossier
    from sme_review_desktop.store.database import open_store
    from sme_review_desktop.ui.workspace.dossier_window import DossierWindow

    app = _qt_app()
    store = open_store(store_dir)
    with store.read() as session:
        ticked = session.scalars(
            select(ConditionCheck.dossier_id)
            .group_by(ConditionCheck.dossier_id)
            .order_by(func.count().desc())
            .limit(3)
        ).all()
        plain = session.scalars(select(Dossier.id).order_by(Dossier.id).limit(3)).all()
    samples = Samples()
    items = 0
    for dossier_id in [*ticked, *plain]:
        window = DossierWindow(store, dossier_id, "基准测试")
        window.show()
        window.activateWindow()
        app.processEvents()
        items = len(window.items)
        for _ in range(max(1, reps // 6 // (2 * items))):
            for k in [Qt.Key.Key_J] * (items - 1) + [Qt.Key.Key_K] * (items - 1):
                samples.time(partial(QTest.keyClick, window, k), _nothing)
        window.close()
        app.processEvents()
    return {**samples.as_json(), "items": items, "dossiers": len(ticked) + len(plain)}


def probe_evaluate(store_dir: Path, reps: int) -> dict[str, Any]:
    """The engine over a whole round: every dossier's newest version, read and evaluated."""
    from sme_review_desktop.review.evaluation import evaluate_round
    from sme_review_desktop.store.database import open_store

    store = open_store(store_dir)
    samples: list[float] = []
    cpu: list[float] = []
    count = 0
    for _ in range(reps + 1):  # the first call also loads the rulebooks: reported apart
        started, used = time.perf_counter(), time.process_time()
        result = evaluate_round(store, 1)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        count = len(result)
        del result  # freed outside the next timing
    return {
        "samples_ms": samples[1:],
        "cpu_ms": cpu[1:],
        "first_ms": samples[0],
        "dossiers": count,
    }


def probe_notice(store_dir: Path, reps: int, out: Path | None = None) -> dict[str, Any]:
    """公示名单 as PDF and as xlsx, both written through the export service, timed together."""
    from sme_review_desktop.exports.notice import write_notice
    from sme_review_desktop.store.database import open_store

    store = open_store(store_dir)
    folder = out or Path(tempfile.mkdtemp(prefix="sme-bench-notice-"))
    pdf, xlsx = folder / "公示名单.pdf", folder / "公示名单.xlsx"
    samples: list[float] = []
    cpu: list[float] = []
    for _ in range(reps + 1):  # the first run also registers the fonts: reported apart
        started, used = time.perf_counter(), time.process_time()
        write_notice(store, 1, pdf)
        write_notice(store, 1, xlsx)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return {
        "samples_ms": samples[1:],
        "cpu_ms": cpu[1:],
        "first_ms": samples[0],
        "pdf": str(pdf),
    }


PROBES = {
    "filter": probe_filter,
    "next-item": probe_next_item,
    "evaluate": probe_evaluate,
    "notice": probe_notice,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("probe", choices=sorted(PROBES))
    parser.add_argument("store", type=Path)
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--out", type=Path, help="where the notice probe writes its files")
    args = parser.parse_args()
    extra = {"out": args.out} if args.probe == "notice" else {}
    print(json.dumps(PROBES[args.probe](args.store, args.reps, **extra)))


if __name__ == "__main__":
    main()
