"""Pictures of the app without a display: the main window and one dossier's walk-through,
rendered offscreen on the demo data set into PNG files.

    python -m sme_review_desktop.ui.snapshot OUTDIR
    sme-review --snapshot OUTDIR          (the bundle: installer/entry.py)

The demo data set is loaded into a temporary data folder (never the user's), the main window is
opened at 1366×768 on the 聊城 demo round, then the window of the dossier selected in it on its walk-through
with the first evidence file in the preview. Nothing is ticked or changed. Each picture is
checked not to be blank before it is written. Prints the paths of the files written; exits
non-zero when a window cannot be shown or comes out blank. ``scripts/demo.sh`` uses it on a
machine with no display; the install checks (``scripts/cli_smoke.sh``) use it to prove that an
installed app really paints its windows.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SIZE = (1366, 768)
# Named in the settings of the temporary data folder only, so opening a dossier asks nothing.
REVIEWER = "演示"
FILES = ("main_window.png", "dossier_walkthrough.png")


def distinct_colours(image: object, step: int = 7) -> int:
    """How many different colours a grid of every ``step``-th pixel holds (1 for a blank)."""
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    seen: set[int] = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def render(out: Path, *, timeout: float = 60) -> list[Path]:
    """Write the pictures of ``FILES`` into ``out``; their paths."""
    # Before the QApplication exists: no window reaches a desktop, with or without a display.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QWidget

    from sme_review_desktop.demo import load_demo
    from sme_review_desktop.overview.dossier_list import DossierSummary
    from sme_review_desktop.store.database import open_store
    from sme_review_desktop.store.settings import Settings
    from sme_review_desktop.ui.app import make_application
    from sme_review_desktop.ui.dossier_model import SUMMARY_ROLE
    from sme_review_desktop.ui.main_window import MainWindow
    from sme_review_desktop.ui.workspace.dossier_window import DossierWindow

    def quiet(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        # The offscreen platform says so for every window it cannot raise; nothing else hidden.
        if "This plugin does not support" not in message:
            print(message, file=sys.stderr)

    def settle(app: QApplication, seconds: float = 0.3) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def wait(app: QApplication, condition: Callable[[], bool], what: str) -> None:
        end = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > end:
                raise RuntimeError(f"timed out waiting for {what}")
            app.processEvents()
            time.sleep(0.02)

    def save(widget: QWidget, name: str) -> Path:
        image = widget.grab().toImage()
        if (image.width(), image.height()) != SIZE:
            raise RuntimeError(f"{name}: the window is {image.width()}×{image.height()}")
        colours = distinct_colours(image)
        if colours < 16:
            raise RuntimeError(f"{name}: the window came out blank ({colours} colours)")
        path = out / name
        if not image.save(str(path)):
            raise RuntimeError(f"could not write {path}")
        return path

    qInstallMessageHandler(quiet)
    app = make_application(["sme-review"])
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sme-snapshot-") as tmp:
        store = open_store(Path(tmp) / "data")
        windows: list[QWidget] = []
        try:
            load_demo(store)
            main = MainWindow(store, Settings(reviewer_name=REVIEWER, bureau="聊城"))
            windows.append(main)
            main.resize(*SIZE)
            main.show()
            main.resize(*SIZE)
            wait(
                app, lambda: main.list.model.rowCount() > 0 and main.loading.isHidden(), "the list"
            )
            main.list.table.selectRow(0)
            settle(app)
            written.append(save(main, FILES[0]))

            # The dossier of the row selected in the first picture.
            first = main.list.proxy.data(main.list.proxy.index(0, 0), SUMMARY_ROLE)
            if not isinstance(first, DossierSummary):
                raise RuntimeError("the list shows no dossier")
            dossier = main.open_dossier(first.dossier_id)
            if not isinstance(dossier, DossierWindow):
                raise RuntimeError("the dossier window did not open")
            windows.append(dossier)
            dossier.resize(*SIZE)
            dossier.go_to(0, 0)
            dossier.evidence.select_first()
            settle(app, 1.0)
            written.append(save(dossier, FILES[1]))
        finally:
            for widget in reversed(windows):
                widget.close()
            settle(app, 0.1)
            store.close()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m sme_review_desktop.ui.snapshot OUTDIR", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        paths = render(Path(args[0]).resolve())
    except RuntimeError as exc:
        print(f"snapshot failed: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    print(f"{len(paths)} 张截图（{time.monotonic() - started:.1f} 秒）", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
