"""A full disk during import, a database write and the CLI: a Chinese message, the rest of the
batch reported, nothing half-written.

Two ways to fill a disk: a real 4 MB tmpfs (root can mount one; skipped where it cannot), and
patched writes raising OSError(ENOSPC) / SQLite's 「database or disk is full」, which run
anywhere (a patched ``os.write`` would not reach Python's buffered files, so the writers
themselves are patched).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from sme_review_desktop.importing import service
from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.rounds import create_round
from sme_review_desktop.store import backups, evidence
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.store.faults import DiskFull, is_disk_full
from sme_review_desktop.store.integrity import check_store
from tests.importing.helpers import (
    evidence_bytes,
    is_chinese,
    make_folder,
    new_round,
    snapshot,
    staging_leftovers,
)

MIB = 1024 * 1024


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB file system of its own, unmounted afterwards."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root, or no mount rights)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _batch(root: Path, big: int) -> Path:
    """Three packages; the second carries ``big`` bytes of evidence."""
    batch = root / "批量"
    make_folder(batch, "a-平台", n=1, files={"03_营业执照.pdf": evidence_bytes("a")})
    make_folder(batch, "b-平台", n=2, files={"04_大文件.pdf": os.urandom(big)})
    make_folder(batch, "c-平台", n=3, files={"03_营业执照.pdf": evidence_bytes("c")})
    return batch


def test_a_real_full_disk_fails_one_package_and_the_batch_goes_on(
    tmpfs: Path, tmp_path: Path
) -> None:
    store = open_store(tmpfs / "data")
    try:
        rid = new_round(store)
        free = os.statvfs(tmpfs).f_bavail * os.statvfs(tmpfs).f_frsize
        results = list(import_paths(store, rid, [_batch(tmp_path, free + MIB)], "测试"))
        statuses = [r.status for r in results]
        assert statuses == ["imported", "rejected", "imported"], [r.errors for r in results]
        assert "磁盘空间不足" in results[1].errors[0] and "b-平台" in results[1].errors[0]
        assert results[1].fault == "disk_full"
        assert "Traceback" not in results[1].errors[0]
        assert staging_leftovers(store) == []
        report = check_store(store)
        assert report.ok and report.orphans == []
    finally:
        store.close()


def test_a_full_disk_while_staging_rejects_that_package_only(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid = new_round(store)
    real_add = evidence.Staging.add

    def add(self: evidence.Staging, src: object) -> tuple[str, int]:
        if "b-平台" in str(getattr(src, "name", "")):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_add(self, src)  # type: ignore[arg-type]

    monkeypatch.setattr(evidence.Staging, "add", add)
    results = list(import_paths(store, rid, [_batch(tmp_path, 10)], "测试"))
    assert [r.status for r in results] == ["imported", "rejected", "imported"]
    assert results[1].fault == "disk_full" and is_chinese(results[1].errors[0])
    assert staging_leftovers(store) == []


def test_a_full_database_rolls_that_package_back_whole(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite says 「database or disk is full」 at the commit of the second package."""
    rid = new_round(store)
    real_write = service._write
    calls = iter(range(10))

    def write(*args: object, **kwargs: object) -> None:
        real_write(*args, **kwargs)  # type: ignore[arg-type]
        if next(calls) == 1:
            full = sqlite3.OperationalError("database or disk is full")
            raise OperationalError("COMMIT", {}, full)

    monkeypatch.setattr(service, "_write", write)
    batch = _batch(tmp_path, 10)
    results = list(import_paths(store, rid, [batch], "测试"))
    assert [r.status for r in results] == ["imported", "rejected", "imported"]
    assert "磁盘空间不足" in results[1].errors[0]
    before = snapshot(store)
    assert before.rows["DossierVersion"] == 2  # b is not there, not even in part
    assert staging_leftovers(store) == []
    assert check_store(store).ok


def test_no_room_for_the_backup_first_reports_every_package(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not store.is_sqlite:
        pytest.skip("a server database is backed up by pg_dump, not before each import")
    rid = new_round(store)

    def full(_source: Path, _target: Path) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "backup_sqlite", full)
    before = snapshot(store)
    results = list(import_paths(store, rid, [_batch(tmp_path, 10)], "测试"))
    assert [r.status for r in results] == ["rejected"] * 3
    assert all("磁盘空间不足" in r.errors[0] and r.fault == "disk_full" for r in results)
    assert [Path(r.path).name for r in results] == ["a-平台", "b-平台", "c-平台"]
    assert snapshot(store) == before


def test_a_full_disk_on_any_write_is_disk_full(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only imports: every store.write turns a full disk into DiskFull, rolled back."""
    from sqlalchemy.orm import Session

    def commit(_self: Session) -> None:
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(Session, "commit", commit)
    with pytest.raises(DiskFull) as caught:
        create_round(store, "liaocheng-2021", "满盘", __import__("datetime").date(2026, 6, 30), "t")
    assert is_chinese(caught.value.message) and "磁盘空间不足" in caught.value.message
    monkeypatch.undo()
    with store.read() as session:
        from sme_review_desktop.models import Round

        assert session.query(Round).count() == 0


def test_disk_full_recognised_through_causes() -> None:
    assert is_disk_full(OSError(errno.ENOSPC, "x"))
    assert is_disk_full(sqlite3.OperationalError("database or disk is full"))
    wrapped = backups.BackupError("无法写入")
    wrapped.__cause__ = OSError(errno.ENOSPC, "x")
    assert is_disk_full(wrapped)
    assert not is_disk_full(OSError(errno.EACCES, "x"))

    class PgDiskFull(Exception):  # psycopg.errors.DiskFull carries the SQLSTATE
        sqlstate = "53100"

    assert is_disk_full(OperationalError("INSERT", {}, PgDiskFull("could not extend file")))
    assert not is_disk_full(ValueError("database or disk is full"))  # not a database error


def test_cli_on_a_full_disk_says_so_without_a_traceback(tmpfs: Path) -> None:
    data = tmpfs / "data"
    store = open_store(data)
    store.close()
    filler = tmpfs / "filler"
    with filler.open("wb") as fh:  # fill every last block
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError:
            pass
    cmd = [sys.executable, "-m", "sme_review_desktop.cli", "--data-dir", str(data)]
    done = subprocess.run(
        [
            *cmd,
            "round",
            "create",
            "--rulebook",
            "liaocheng-2021",
            "--name",
            "满盘批次",
            "--reference-date",
            "2026-06-30",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode != 0 and "磁盘空间不足" in done.stderr, done.stderr
    assert not (data / "store.lock").exists() or (data / "store.lock").stat().st_size > 0
    assert [p.name for p in data.iterdir() if p.name.startswith(".store.lock.")]  # left behind
    filler.unlink()
    open_store(data).close()  # the next start sweeps what the failed lock left (its private copy)
    assert [p.name for p in data.iterdir() if p.name.startswith(".store.lock.")] == []


def test_no_room_to_place_files_after_the_commit_loses_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The transaction committed; moving the staged files then fails. They stay staged,
    recorded, and are placed when the store next opens."""
    rid = new_round(store)

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(evidence.EvidenceStore, "_place", full)
    folder = make_folder(tmp_path / "in", files={"03_营业执照.pdf": evidence_bytes("p")})
    (result,) = import_paths(store, rid, [folder], "测试")
    assert result.status == "imported"
    assert any("下次启动时自动归位" in w for w in result.warnings)
    monkeypatch.undo()
    (staged,) = (store.evidence_dir / ".staging").iterdir()
    assert any(staged.iterdir())  # kept, not discarded
    # as if this process had been killed: the next start finishes the move
    host, _pid, rest = staged.name.split("-", 2)
    staged.rename(staged.with_name(f"{host}-{_dead_pid()}-{rest}"))
    url = None if store.is_sqlite else store.engine.url.render_as_string(hide_password=False)
    reopened = open_store(store.data_dir, url, evidence_dir=store.evidence_root)
    try:
        assert check_store(reopened).ok
        assert staging_leftovers(reopened) == []
    finally:
        reopened.close()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid
