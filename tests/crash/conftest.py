"""Killing the real CLI with SIGKILL at chosen moments, then reopening what it left."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest

from sme_review_desktop.store.database import open_store
from sme_review_desktop.store.integrity import check_store

PAUSING = Path(__file__).with_name("pausing.py")
_markers = count()


@dataclass
class Run:
    killed: bool  # SIGKILL landed while the command was still running
    returncode: int
    stderr: str
    seconds: float  # from the command's start (after Python's imports) to its end


def _wait_for(path: Path, proc: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
        if proc.poll() is not None:
            return path.exists()
        time.sleep(0.005)
    return False


def run_cli(
    tmp: Path, data: Path, args: list[str], point: str = "none", delay: float | None = None
) -> Run:
    """Run ``sme-review --data-dir data ARGS``; kill it at ``point``, or ``delay`` s after start.

    Without a point and a delay it runs to the end.
    """
    if not hasattr(signal, "SIGKILL"):
        pytest.skip("needs SIGKILL")
    marker = tmp / f"marker-{next(_markers)}"
    command = [sys.executable, str(PAUSING), str(marker), point, "--"]
    command += ["--data-dir", str(data), "--actor", "测试", *args]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert _wait_for(Path(f"{marker}.ready"), proc, 60), proc.wait(60)
        started = time.monotonic()
        if point != "none":
            reached = _wait_for(marker, proc, 60)
            assert reached, f"{point} never reached: {proc.wait(60)}"
        elif delay is not None:
            time.sleep(delay)
        killed = False
        if (point != "none" or delay is not None) and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed = True
        returncode = proc.wait(timeout=120)
        seconds = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    assert "Traceback" not in stderr, stderr
    return Run(killed, returncode, stderr, seconds)


def copy_data(template: Path, target: Path) -> Path:
    shutil.copytree(template, target)
    return target


def assert_store_sound(data: Path) -> None:
    """Reopening works and the integrity check (database, evidence, audit chain) passes."""
    store = open_store(data)
    try:
        report = check_store(store)
        assert report.ok, report.lines()
        assert not report.orphans, report.orphans
        staging = store.evidence_dir / ".staging"
        assert not staging.exists() or not any(staging.iterdir())
    finally:
        store.close()
    leftovers = [p.name for p in data.iterdir() if p.name.endswith((".part", "-journal"))]
    assert leftovers == []
