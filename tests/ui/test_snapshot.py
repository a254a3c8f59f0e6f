"""Offscreen pictures (sme_review_desktop.ui.snapshot, used by scripts/demo.sh without a display
and by the install checks) and ``--demo`` going straight to the demo round."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QImage

from sme_review_desktop.ui.app import EXIT_WHEN_READY
from sme_review_desktop.ui.snapshot import FILES, SIZE, distinct_colours


def test_snapshot_writes_the_main_window_and_a_walk_through(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "sme_review_desktop.ui.snapshot", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "SME_REVIEW_DATA_DIR": str(tmp_path / "never-used")},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(out / name) for name in FILES]
    for name in FILES:
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == SIZE
        assert distinct_colours(image) >= 16, name
    assert not (tmp_path / "never-used").exists()  # the demo went to a temporary folder


def test_a_blank_picture_is_told_apart() -> None:
    blank = QImage(200, 100, QImage.Format.Format_RGB32)
    blank.fill(QColor("white"))
    assert distinct_colours(blank) == 1


def test_snapshot_usage() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sme_review_desktop.ui.snapshot"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "usage" in done.stderr


# In a process of its own: the app quits its QApplication at the end, which the tests after
# this one share (their workers would never report back).
DEMO_RUN = """
import sys
from pathlib import Path

from sme_review_desktop.ui import app


def no_welcome(*args, **kwargs):
    raise SystemExit("the welcome was shown")


app.first_run = no_welcome
sys.exit(app.run(Path(sys.argv[1]), demo=True))
"""


def test_demo_skips_the_welcome(tmp_path: Path) -> None:
    """``sme-review --demo`` on a new installation opens the demo round, no welcome first; the
    welcome comes with the real store."""
    done = subprocess.run(
        [sys.executable, "-c", DEMO_RUN, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=180,
        # quit once the window lists the demo round's rows
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", EXIT_WHEN_READY: "1"},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "demo").is_dir()
