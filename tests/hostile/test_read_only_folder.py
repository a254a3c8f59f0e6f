"""Read-only commands work on a read-only data folder; writing ones say why they cannot.

Root ignores file permissions, so as root the folder is made read-only the way a CD, a
read-only share or a write-protected USB stick is: a read-only bind mount (EROFS holds for
root too). As any other user, chmod 0555 on the folders and 0444 on the files does it. Where
neither is possible (root without mount rights) the test is skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sme_review_desktop.errors import StoreError
from sme_review_desktop.store.database import open_store


def _chmod_tree(root: Path, dirs: int, files: int) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(dirs if path.is_dir() else files)


@pytest.fixture
def read_only(demo_template: Path, tmp_path: Path) -> Iterator[Path]:
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    if os.geteuid() != 0:
        _chmod_tree(data, 0o555, 0o444)
        try:
            yield data
        finally:
            _chmod_tree(data, stat.S_IRWXU, 0o644)
        return
    bind = subprocess.run(["mount", "--bind", str(data), str(data)], capture_output=True)
    if bind.returncode != 0:
        pytest.skip("root without mount rights: cannot make a folder read-only for root")
    try:
        remount = subprocess.run(
            ["mount", "-o", "remount,ro,bind", str(data)], capture_output=True, check=False
        )
        if remount.returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield data
    finally:
        subprocess.run(["umount", "-l", str(data)], check=False)


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "sme_review_desktop.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def test_the_folder_really_is_read_only(read_only: Path) -> None:
    with pytest.raises(OSError):
        (read_only / "probe").write_text("x")


def test_read_only_commands_work(read_only: Path, tmp_path: Path) -> None:
    rounds = _cli(read_only, "round", "list", "--json")
    assert rounds.returncode == 0, rounds.stderr
    assert len(json.loads(rounds.stdout)["rounds"]) == 2
    evaluated = _cli(read_only, "evaluate", "--round", "1", "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    audit = _cli(read_only, "audit", "--round", "1", "--json")
    assert audit.returncode == 0 and json.loads(audit.stdout)["entries"]
    register = _cli(read_only, "register", "list", "--json")
    assert register.returncode == 0, register.stderr
    check = _cli(read_only, "check", "--json")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["ok"] is True
    out = tmp_path / "out"
    out.mkdir()
    for what, name in (("audit", "a.xlsx"), ("scores", "s.xlsx"), ("stats", "s.pdf")):
        done = _cli(read_only, "export", what, "--round", "1", "-o", str(out / name))
        assert done.returncode == 0, (what, done.stderr)
        assert (out / name).stat().st_size > 0
    assert not (read_only / "store.lock").exists()


def test_a_write_says_the_folder_is_read_only(read_only: Path) -> None:
    done = _cli(
        read_only,
        "round",
        "create",
        "--rulebook",
        "liaocheng-2021",
        "--name",
        "新批次",
        "--reference-date",
        "2026-06-30",
    )
    assert done.returncode == 2 and "只读" in done.stderr, done.stderr


def test_the_store_opens_read_only(read_only: Path) -> None:
    store = open_store(read_only)
    try:
        assert store.read_only
        with store.read() as session:
            from sme_review_desktop.models import Dossier

            assert session.query(Dossier).count() == 24
        with pytest.raises(StoreError, match="只读"), store.write():
            pass
    finally:
        store.close()
