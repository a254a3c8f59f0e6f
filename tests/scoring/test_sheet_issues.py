"""Offline score sheets are issued, recorded and imported only for whom they were issued (issue 20).

Both modes: these use the demo store, so scripts/test_server.sh runs them on PostgreSQL too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from sme_review_desktop.models import AuditEntry, Round, SheetIssue
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.scoring.entry import enter_scores, expert_grid
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.scoring.sheets import (
    FIRST_ROW,
    KEY_SETTING,
    SHEET,
    import_score_sheets,
    write_score_sheet,
)
from sme_review_desktop.store import keys
from sme_review_desktop.store.database import Store


@pytest.fixture
def panel(demo_store: Store) -> Store:
    for name in ("王一", "李二"):
        add_expert(demo_store, 1, name, "秘书")
    return demo_store


def _issue(store: Store, tmp_path: Path, expert: str = "王一", name: str = "") -> Path:
    return write_score_sheet(store, 1, expert, tmp_path / f"{name or expert}.xlsx", "秘书")


def _fill(path: Path, cells: dict[tuple[int, int], float | None]) -> None:
    wb = load_workbook(path)
    for (row, col), value in cells.items():
        wb[SHEET].cell(FIRST_ROW + row, 4 + col).value = value
    wb.save(path)


def _points(store: Store, expert: str = "王一") -> dict[str, dict[str, Decimal]]:
    _, rows = expert_grid(store, 1, expert)
    return {r.uscc: dict(r.points) for r in rows if r.points}


def test_each_sheet_issued_is_recorded(panel: Store, tmp_path: Path) -> None:
    _issue(panel, tmp_path)
    with panel.read() as session:
        [issue] = session.scalars(select(SheetIssue)).all()
        assert (issue.round_id, issue.expert, issue.issued_by) == (1, "王一", "秘书")
        assert issue.dossiers == [s.uscc for s in dossier_summaries(panel, 1)]
        assert issue.issued_at is not None and issue.imported_at is None


def test_the_signing_key_is_outside_the_database(panel: Store, tmp_path: Path) -> None:
    with panel.write() as session:  # a key an older release left in the round's settings
        rnd = session.get(Round, 1)
        assert rnd is not None
        rnd.settings = {**rnd.settings, KEY_SETTING: "0" * 64}
    _issue(panel, tmp_path)
    assert keys.key_path(panel.key_folder, "score-sheets").exists()
    with panel.read() as session:
        rnd = session.get(Round, 1)
        assert rnd is not None and KEY_SETTING not in rnd.settings


def test_a_sheet_never_issued_here_is_refused(panel: Store, tmp_path: Path) -> None:
    sheet = _issue(panel, tmp_path)
    _fill(sheet, {(0, 0): 18})
    with panel.write() as session:  # as if from another installation with the same key
        session.execute(SheetIssue.__table__.delete())
    [result] = import_score_sheets(panel, 1, [sheet], "秘书")
    assert result.status == "rejected" and "没有发出这份评分表的记录" in result.errors[0]
    assert _points(panel) == {}


def test_import_stores_for_the_expert_issued_to_and_says_who_for_whom(
    panel: Store, tmp_path: Path
) -> None:
    sheet = _issue(panel, tmp_path, "李二")
    _fill(sheet, {(0, 0): 18})
    [result] = import_score_sheets(panel, 1, [sheet], "张科员")
    assert (result.status, result.expert, result.imported_by) == ("imported", "李二", "张科员")
    assert "张科员为专家“李二”导入了评分表" in result.summary
    assert _points(panel, "李二") and not _points(panel, "王一")
    with panel.read() as session:
        issue = session.scalars(select(SheetIssue)).one()
        assert (issue.imported_by, issue.imported_at is not None) == ("张科员", True)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "score.sheet_imported"
        assert (entry.after or {})["expert"] == "李二"
        assert (entry.after or {})["sheet_id"] == issue.id


def test_an_older_sheet_is_refused_naming_both_times_unless_confirmed(
    panel: Store, tmp_path: Path
) -> None:
    old = _issue(panel, tmp_path, name="old")
    new = _issue(panel, tmp_path, name="new")
    _fill(old, {(0, 0): 10})
    _fill(new, {(0, 0): 19})
    uscc = dossier_summaries(panel, 1)[0].uscc
    [result] = import_score_sheets(panel, 1, [new], "秘书")
    assert result.status == "imported"
    [result] = import_score_sheets(panel, 1, [old], "秘书")
    assert result.status == "rejected" and result.older
    with panel.read() as session:
        issued = sorted(i.issued_at for i in session.scalars(select(SheetIssue)))
    message = result.errors[0]
    assert "早于已导入" in message and message.count("发出于") == 2
    assert _points(panel)[uscc]["基本条件"] == Decimal(19)
    [result] = import_score_sheets(panel, 1, [old], "秘书", replace_newer=True)
    assert result.status == "imported"
    assert _points(panel)[uscc]["基本条件"] == Decimal(10)
    assert len(issued) == 2
    # the newer sheet itself, imported again, is not older than anything imported
    [result] = import_score_sheets(panel, 1, [new], "秘书")
    assert result.status == "imported"


def test_the_same_sheet_imported_twice_is_not_older_than_itself(
    panel: Store, tmp_path: Path
) -> None:
    sheet = _issue(panel, tmp_path)
    _fill(sheet, {(0, 0): 10})
    assert import_score_sheets(panel, 1, [sheet], "秘书")[0].status == "imported"
    _fill(sheet, {(0, 0): 11})
    assert import_score_sheets(panel, 1, [sheet], "秘书")[0].status == "imported"


def test_a_blank_sheet_changes_nothing_and_says_so(panel: Store, tmp_path: Path) -> None:
    uscc = dossier_summaries(panel, 1)[0].uscc
    enter_scores(panel, 1, "王一", uscc, {"基本条件": Decimal(15)}, "秘书")
    sheet = _issue(panel, tmp_path)
    _fill(sheet, {(0, 0): None})  # the prefilled score blanked: the whole sheet is empty
    with panel.read() as session:
        entries = len(session.scalars(select(AuditEntry)).all())
    [result] = import_score_sheets(panel, 1, [sheet], "秘书")
    assert result.status == "empty" and "未作任何改动" in result.summary
    assert _points(panel)[uscc]["基本条件"] == Decimal(15)
    with panel.read() as session:
        assert len(session.scalars(select(AuditEntry)).all()) == entries


def test_a_partly_filled_sheet_changes_only_what_it_fills(panel: Store, tmp_path: Path) -> None:
    first, second = (s.uscc for s in dossier_summaries(panel, 1)[:2])
    enter_scores(
        panel, 1, "王一", first, {"基本条件": Decimal(15), "服务能力": Decimal(20)}, "秘书"
    )
    enter_scores(panel, 1, "王一", second, {"基本条件": Decimal(16)}, "秘书")
    sheet = _issue(panel, tmp_path)
    wb = load_workbook(sheet)  # an expert given an empty copy: fills one cell of one row
    for row in wb[SHEET].iter_rows(min_row=FIRST_ROW, min_col=4, max_col=8):
        for cell in row:
            cell.value = None
    wb.save(sheet)
    _fill(sheet, {(0, 0): 12})
    [result] = import_score_sheets(panel, 1, [sheet], "秘书")
    assert (result.status, result.count) == ("imported", 1)
    points = _points(panel)
    assert points[first] == {"基本条件": Decimal(12), "服务能力": Decimal(20)}
    assert points[second] == {"基本条件": Decimal(16)}


def test_cli_refuses_an_older_sheet_until_replace_newer(panel: Store, tmp_path: Path) -> None:
    old = _issue(panel, tmp_path, name="old")
    new = _issue(panel, tmp_path, name="new")
    _fill(old, {(0, 0): 10})
    _fill(new, {(0, 0): 19})
    assert import_score_sheets(panel, 1, [new], "秘书")[0].status == "imported"
    url = None if panel.is_sqlite else panel.engine.url.render_as_string(hide_password=False)
    base = [sys.executable, "-m", "sme_review_desktop.cli", "--data-dir", str(panel.data_dir)]
    if url:
        base += ["--database-url", url]
    panel.close()  # the CLI holds the local store's lock while it runs
    cmd = [*base, "--actor", "张科员", "scores", "import", "--round", "1", str(old), "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    [refused] = json.loads(proc.stdout)["results"]
    assert proc.returncode == 1 and refused["older"] and refused["status"] == "rejected"
    proc = subprocess.run([*cmd, "--replace-newer"], capture_output=True, text=True, timeout=120)
    [done] = json.loads(proc.stdout)["results"]
    assert proc.returncode == 0, proc.stderr
    assert (done["status"], done["expert"], done["imported_by"]) == ("imported", "王一", "张科员")
