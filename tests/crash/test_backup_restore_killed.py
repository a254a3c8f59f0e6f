"""A backup or restore killed half-way leaves nothing behind once the store opens again:
not the database copy in the temp folder, not the ``.restore-…`` staging folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from sme_review_desktop.store import leftovers
from sme_review_desktop.store.database import open_store
from tests.importing.helpers import evidence_bytes, make_folder, new_round

from .conftest import assert_store_sound, run_cli


@pytest.fixture
def temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp folder of the test's own, for the CLI it runs and for this process."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _store(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    store = open_store(data)
    from sme_review_desktop.importing.service import import_paths

    rid = new_round(store)
    folder = make_folder(tmp_path / "in", files={"03_营业执照.pdf": evidence_bytes("x")})
    list(import_paths(store, rid, [folder], "测试"))
    store.close()
    return data


def _scratch(temp: Path) -> list[str]:
    return sorted(p.name for p in temp.iterdir() if p.name.startswith(leftovers.BACKUP_SCRATCH))


def test_a_killed_backup_leaves_no_database_copy(tmp_path: Path, temp: Path) -> None:
    data = _store(tmp_path)
    run = run_cli(
        tmp_path, data, ["backup", "create", "-o", str(tmp_path / "b.zip")], "replace-from:.part"
    )
    assert run.killed
    left = _scratch(temp)
    assert left, "the kill should have left the scratch copy behind"
    assert any((temp / n / "store.sqlite3.part").exists() for n in left)
    open_store(data).close()  # the next start
    assert _scratch(temp) == []
    assert not (tmp_path / "b.zip").exists()
    assert_store_sound(data)


def test_a_killed_restore_leaves_no_staging(tmp_path: Path, temp: Path) -> None:
    data = _store(tmp_path)
    archive = tmp_path / "b.zip"
    done = run_cli(tmp_path, data, ["backup", "create", "-o", str(archive)])
    assert done.returncode == 0 and archive.exists()
    run = run_cli(tmp_path, data, ["backup", "restore", str(archive)], "replace-from:.restore-")
    assert run.killed
    assert [p.name for p in data.iterdir() if p.name.startswith(".restore-")]
    open_store(data).close()
    assert [p.name for p in data.iterdir() if p.name.startswith(".restore-")] == []
    assert_store_sound(data)


def test_a_running_backup_s_scratch_is_left_alone(tmp_path: Path, temp: Path) -> None:
    """A scratch folder whose process still runs is in use: the sweep must not touch it."""
    data = _store(tmp_path)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alive = temp / f"{leftovers.BACKUP_SCRATCH}p{sleeper.pid}-abc"
        alive.mkdir()
        dead_pid = _dead_pid()
        dead = temp / f"{leftovers.BACKUP_SCRATCH}p{dead_pid}-abc"
        dead.mkdir()
        restore_alive = data / f".restore-20260101-000000-p{sleeper.pid}-"
        restore_alive.mkdir()
        open_store(data).close()
        assert alive.exists() and restore_alive.exists()
        assert not dead.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def test_unnamed_leftovers_go_only_after_a_day(tmp_path: Path, temp: Path) -> None:
    """Named before the process id was: kept while it may still be in use (under a day)."""
    data = _store(tmp_path)
    young = temp / f"{leftovers.BACKUP_SCRATCH}abc"
    old = temp / f"{leftovers.BACKUP_SCRATCH}def"
    young.mkdir()
    old.mkdir()
    day = 24 * 3600
    os.utime(young, (time.time() - day + 60, time.time() - day + 60))
    os.utime(old, (time.time() - day - 60, time.time() - day - 60))
    open_store(data).close()
    assert young.exists() and not old.exists()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid
