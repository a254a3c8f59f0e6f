"""`check` on a damaged database: SQLite's findings and what can still be read, never a
traceback. The damage is made by writing garbage over pages of a copy of the demo store."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sme_review_desktop.store.database import STORE_FILE

PAGE = 4096


def _check(data: Path) -> tuple[int, dict[str, object], str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sme_review_desktop.cli",
            "--data-dir",
            str(data),
            "check",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout) if done.stdout else {}, done.stderr


@pytest.fixture
def data(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(demo_template, target)
    db = target / STORE_FILE
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (page_size,) = con.execute("PRAGMA page_size").fetchone()
    con.close()
    assert page_size == PAGE
    return target


def _pages(db: Path) -> int:
    return db.stat().st_size // PAGE


def _table_pages(db: Path, table: str) -> list[int]:
    """The pages holding ``table``'s b-tree (dbstat), to damage one table and no other."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("select pageno from dbstat where name = ?", (table,)).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat")
    finally:
        con.close()
    return sorted(r[0] for r in rows)


def _smash(db: Path, pages: list[int]) -> None:
    with db.open("r+b") as fh:
        for n in pages:
            fh.seek((n - 1) * PAGE)
            fh.write(os.urandom(PAGE))


def test_a_damaged_table_is_reported_and_the_rest_is_read(data: Path) -> None:
    db = data / STORE_FILE
    _smash(db, _table_pages(db, "declared_figure")[1:])  # its root page kept: malformed inside
    code, report, _ = _check(data)
    assert code == 1
    assert report["ok"] is False
    text = "\n".join(report["database"])  # type: ignore[arg-type]
    assert "malformed" in text or "corrupt" in text or "wrong" in text or "Page" in text, text
    readable = report["readable"]
    assert isinstance(readable, dict)
    assert readable["declared_figure"] is None  # lost
    assert readable["dossier"] == 24 and readable["audit_entry"] == 26  # still readable
    assert report["files_checked"] > 0 and report["evidence"] == []


def test_every_page_but_the_first_damaged(data: Path) -> None:
    db = data / STORE_FILE
    _smash(db, list(range(2, _pages(db) + 1)))
    code, report, _ = _check(data)
    assert code == 1 and report["ok"] is False
    assert report["database"]
    assert "readable" in report


def test_not_a_database_at_all(data: Path) -> None:
    (data / STORE_FILE).write_bytes(b"this is not a database" * 500)
    code, report, _ = _check(data)
    assert code == 1 and report["ok"] is False
    assert any("数据库" in line for line in report["database"])  # type: ignore[union-attr]


def test_human_output_names_what_is_still_readable(data: Path) -> None:
    db = data / STORE_FILE
    _smash(db, _table_pages(db, "declared_figure")[1:])
    done = subprocess.run(
        [sys.executable, "-m", "sme_review_desktop.cli", "--data-dir", str(data), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in done.stderr and done.returncode == 1
    assert "仍可读出" in done.stdout and "无法读出：declared_figure" in done.stdout
    assert "backup restore" in done.stdout
