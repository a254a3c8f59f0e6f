"""CLI commands import only what they use: ``python -X importtime`` lists every module a command
imported, and a heavy one (a PDF or chart library, Qt, Alembic, the schema validator, pinyin)
imported by a command that has no use for it is a failure. No timing is asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from sme_review_desktop.rounds import create_round
from sme_review_desktop.store.database import open_store

HEAVY = frozenset(
    {"reportlab", "matplotlib", "openpyxl", "PySide6", "alembic", "jsonschema", "pypinyin"}
)


def imported(args: list[str], cwd: Path) -> set[str]:
    """The top-level packages a CLI command imported, as ``-X importtime`` reports them."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sme_review_desktop.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    names = set()
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the header line
                names.add(name.split(".")[0])
    return names


def test_the_parser_of_importtime_sees_heavy_imports(tmp_path: Path) -> None:
    """The check can fail: a command that does need a heavy module is seen importing it."""
    names = imported(
        [
            "--data-dir",
            str(tmp_path / "new"),
            "template",
            "--rulebook",
            "liaocheng-2021",
            "-o",
            str(tmp_path / "表.xlsx"),
        ],
        tmp_path,
    )
    assert "openpyxl" in names


def test_version_imports_no_database_and_nothing_heavy(tmp_path: Path) -> None:
    names = imported(["--version"], tmp_path)
    assert not names & HEAVY
    assert "sqlalchemy" not in names  # printing a version opens no store


@pytest.fixture
def data_dir(tmp_path: Path, database_url: str | None) -> Path:
    """A store already at the schema's head, with one empty round (opening a new store would
    rightly need Alembic to create it)."""
    folder = tmp_path / "data"
    store = open_store(folder, database_url)
    create_round(store, "liaocheng-2021", "空批次", date(2026, 6, 30), "测试")
    store.close()
    return folder


@pytest.mark.parametrize("args", [["round", "list"], ["round", "list", "--json"]])
def test_round_list_imports_nothing_heavy(data_dir: Path, args: list[str]) -> None:
    names = imported(["--data-dir", str(data_dir), *args], data_dir.parent)
    assert not names & HEAVY, sorted(names & HEAVY)


def test_evaluate_imports_only_the_rulebook_validator(data_dir: Path) -> None:
    """Evaluating needs the rulebooks (YAML, checked by jsonschema), no document or Qt code."""
    names = imported(
        ["--data-dir", str(data_dir), "evaluate", "--round", "1", "--json"], data_dir.parent
    )
    assert not names & (HEAVY - {"jsonschema"}), sorted(names & HEAVY)
