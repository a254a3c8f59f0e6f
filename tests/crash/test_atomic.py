"""exports/atomic.py: the target is replaced whole or not at all; killed writers' leftovers go."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sme_review_desktop.store.atomic import (
    HOST,
    STALE_AFTER_SECONDS,
    atomic_path,
    pid_running,
    sweep_stale_parts,
)


def _part(folder: Path, target: str, pid: int, host: str = HOST) -> Path:
    path = folder / f".{target}.{host}-{pid}.0badc0de.part"
    path.write_bytes(b"%PDF-1.4 half")
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # reaped: the id is free (reuse within this test is all but impossible)
    return proc.pid


def test_success_replaces_the_target_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "证书.pdf"
    target.write_bytes(b"old")
    with atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".证书.pdf.")
        assert f"-{os.getpid()}." in tmp.name  # the writer is named, so leftovers can be judged
        tmp.write_bytes(b"new")
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["证书.pdf"]


def test_failure_keeps_the_old_target_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "证书.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("the PDF library failed")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["证书.pdf"]


def test_the_next_write_sweeps_what_a_dead_writer_left(tmp_path: Path) -> None:
    dead = _dead_pid()
    assert not pid_running(dead)
    orphan = _part(tmp_path, "公示.pdf", dead)
    other_target = _part(tmp_path, "证书.pdf", dead)  # any target of the folder
    with atomic_path(tmp_path / "公示.pdf") as tmp:
        tmp.write_bytes(b"new")
    assert not orphan.exists() and not other_target.exists()


def test_a_running_writer_and_strangers_are_left_alone(tmp_path: Path) -> None:
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert pid_running(sleeper.pid)
        running = _part(tmp_path, "公示.pdf", sleeper.pid)
        mine = _part(tmp_path, "公示.pdf", os.getpid())
        # another PC on a shared folder: its process ids mean nothing here
        remote = _part(
            tmp_path, "公示.pdf", _dead_pid(), host="abcdef" if HOST != "abcdef" else "fedcba"
        )
        strangers = [tmp_path / n for n in (".notes.part", "报告.part", ".公示.pdf.a1b2c3d4.part")]
        for s in strangers:
            s.write_bytes(b"not ours")
        assert sweep_stale_parts(tmp_path) == []
        assert all(p.exists() for p in (running, mine, remote, *strangers))
        # a day later every leftover of ours counts as abandoned, whoever wrote it
        old = time.time() - STALE_AFTER_SECONDS - 60
        for p in (remote, running):
            os.utime(p, (old, old))
        assert sorted(sweep_stale_parts(tmp_path)) == sorted([remote, running])
        assert mine.exists() and all(s.exists() for s in strangers)
        sleeper.kill()
        sleeper.wait()
        assert not pid_running(sleeper.pid)
    finally:
        if sleeper.poll() is None:
            sleeper.kill()
            sleeper.wait()


def test_process_ids_that_name_groups_are_never_running() -> None:
    assert not pid_running(0) and not pid_running(-1)
    assert pid_running(os.getpid())
