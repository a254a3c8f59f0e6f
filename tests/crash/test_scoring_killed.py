"""SIGKILL during `scores import` and `scores enter`: every sheet is stored whole or not at all.

The moments are chosen by patching the running CLI (see pausing.py): before a dossier's scores,
with a sheet flushed but not committed, right after a commit; and at random delays besides.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from sme_review_desktop.models import Applicant, AuditEntry, Criterion, Dossier, Expert, Score
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.scoring.sheets import (
    FIRST_ROW,
    SHEET,
    import_score_sheets,
    write_score_sheet,
)
from sme_review_desktop.store.database import open_store

from .conftest import assert_store_sound, copy_data, run_cli

EXPERTS = ("王一", "李二", "张三")
ROUND = 1
State = dict[str, dict[tuple[str, str], Decimal]]  # expert → (uscc, criterion) → points


@dataclass
class Bench:
    template: Path  # a closed store: experts, some earlier scores, nothing of the sheets yet
    sheets: list[Path]  # one filled sheet per expert, in EXPERTS order
    before: State
    after: State  # what a clean import of every sheet stores
    uscc: str  # a dossier for `scores enter`


def _state(data: Path) -> State:
    store = open_store(data)
    try:
        with store.read() as session:
            rows = session.execute(
                select(Expert.name, Applicant.uscc, Criterion.name, Score.points)
                .join(Score, Score.expert_id == Expert.id)
                .join(Criterion, Criterion.id == Score.criterion_id)
                .join(Dossier, Dossier.id == Score.dossier_id)
                .join(Applicant, Applicant.id == Dossier.applicant_id)
            )
            state: State = {name: {} for name in EXPERTS}
            for expert, uscc, criterion, points in rows:
                state[expert][(uscc, criterion)] = Decimal(points)
            return state
    finally:
        store.close()


def _audit_count(data: Path, action: str) -> dict[str, int]:
    store = open_store(data)
    try:
        with store.read() as session:
            entries = session.scalars(select(AuditEntry).where(AuditEntry.action == action))
            counts = dict.fromkeys(EXPERTS, 0)
            for e in entries:
                counts[(e.after or {})["expert"]] += 1
            return counts
    finally:
        store.close()


def _fill(path: Path, seed: int) -> None:
    """Distinct points per expert and cell; one blank (clears an earlier score)."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    maxima = (20, 25, 25, 15, 15)
    row = FIRST_ROW
    while isinstance(ws.cell(row, 1).value, int):
        for c, top in enumerate(maxima):
            ws.cell(row, 4 + c).value = (seed * 7 + row * 3 + c) % top + 0.5
        row += 1
    ws.cell(FIRST_ROW, 4).value = None
    wb.save(path)


@pytest.fixture(scope="module")
def bench(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    base = tmp_path_factory.mktemp("crash-scoring")
    template = copy_data(demo_template, base / "template")
    store = open_store(template)
    rows = dossier_summaries(store, ROUND)
    for name in EXPERTS:
        add_expert(store, ROUND, name, "秘书")
    declare_conflict(store, ROUND, "李二", rows[0].uscc, "同一集团", "秘书")
    # earlier scores that the sheets overwrite or clear: a half-applied sheet would show
    for r in rows[:3]:
        enter_scores(
            store, ROUND, "王一", r.uscc, {"基本条件": Decimal(11), "服务能力": Decimal(12)}, "秘书"
        )
    sheets = []
    for n, name in enumerate(EXPERTS):
        sheet = write_score_sheet(store, ROUND, name, base / "sheets" / f"{name}.xlsx", "秘书")
        _fill(sheet, n)
        sheets.append(sheet)
    store.close()
    reference = copy_data(template, base / "reference")
    store = open_store(reference)
    results = import_score_sheets(store, ROUND, sheets, "秘书")
    store.close()
    assert [r.status for r in results] == ["imported"] * 3, [r.errors for r in results]
    before, after = _state(template), _state(reference)
    assert all(before[e] != after[e] for e in EXPERTS)
    yield Bench(template, sheets, before, after, rows[5].uscc)
    shutil.rmtree(base, ignore_errors=True)


def _check_sheets(bench: Bench, data: Path) -> list[bool]:
    """Each sheet stored whole or not at all, in order; returns which were stored."""
    assert_store_sound(data)
    state = _state(data)
    stored = []
    for expert in EXPERTS:
        assert state[expert] in (bench.before[expert], bench.after[expert]), expert
        stored.append(state[expert] == bench.after[expert])
    audits = _audit_count(data, "score.sheet_imported")
    assert [audits[e] for e in EXPERTS] == [int(s) for s in stored]
    assert stored == sorted(stored, reverse=True)  # sheets are stored in the order given
    return stored


IMPORT_POINTS = {
    # point → which sheets are stored after the kill
    "apply:6": [False, False, False],  # the first sheet half applied, uncommitted
    "audit:score.sheet_imported:1": [False, False, False],  # flushed whole, not committed
    "commit:1": [True, False, False],
    "apply:18": [True, False, False],  # inside the second sheet
    "audit:score.sheet_imported:3": [True, True, False],
}


def test_killed_at_chosen_moments_of_a_sheet_import(bench: Bench, tmp_path: Path) -> None:
    args = ["scores", "import", "--round", str(ROUND), "--json", *map(str, bench.sheets)]
    for n, (point, expected) in enumerate(IMPORT_POINTS.items()):
        data = copy_data(bench.template, tmp_path / f"d{n}")
        run = run_cli(tmp_path, data, args, point)
        assert run.killed, point
        assert _check_sheets(bench, data) == expected, point
        shutil.rmtree(data)
    # and a store that was killed mid-import takes the same sheets cleanly afterwards
    data = copy_data(bench.template, tmp_path / "again")
    run_cli(tmp_path, data, args, "apply:18")
    done = run_cli(tmp_path, data, args)
    assert done.returncode == 0, done.stderr
    assert_store_sound(data)
    assert _state(data) == bench.after
    assert list(_audit_count(data, "score.sheet_imported").values()) == [2, 1, 1]


def test_killed_at_random_moments_of_a_sheet_import(bench: Bench, tmp_path: Path) -> None:
    args = ["scores", "import", "--round", str(ROUND), *map(str, bench.sheets)]
    data = copy_data(bench.template, tmp_path / "timed")
    clean = run_cli(tmp_path, data, args)  # how long a whole run takes here
    assert clean.returncode == 0, clean.stderr
    shutil.rmtree(data)
    rng = random.Random(8)
    killed = 0
    for n in range(5):
        data = copy_data(bench.template, tmp_path / f"r{n}")
        run = run_cli(tmp_path, data, args, delay=rng.uniform(0.0, clean.seconds))
        killed += run.killed
        _check_sheets(bench, data)
        shutil.rmtree(data)
    assert killed >= 3  # the kills landed while the command ran


ENTER_POINTS = {
    "apply:1": False,
    "audit:score.enter:1": False,  # every criterion flushed, not committed
    "commit:1": True,
}


def test_killed_while_entering_scores(bench: Bench, tmp_path: Path) -> None:
    points = {
        "基本条件": "18",
        "服务能力": "20.5",
        "服务业绩": "21",
        "示范带动": "12",
        "特色创新": "13",
    }
    args = ["scores", "enter", "--round", str(ROUND), "--expert", "张三", "--uscc", bench.uscc]
    args += [f"{k}={v}" for k, v in points.items()]
    entered = {(bench.uscc, k): Decimal(v) for k, v in points.items()}
    for n, (point, stored) in enumerate(ENTER_POINTS.items()):
        data = copy_data(bench.template, tmp_path / f"e{n}")
        assert run_cli(tmp_path, data, args, point).killed
        assert_store_sound(data)
        mine = {k: v for k, v in _state(data)["张三"].items() if k[0] == bench.uscc}
        assert mine == (entered if stored else {}), point
        assert _audit_count(data, "score.enter")["张三"] == int(stored)
        shutil.rmtree(data)
