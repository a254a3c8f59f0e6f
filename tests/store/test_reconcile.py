"""check reconciles decisions, scores and clause conclusions with the last audit entry of each:
a row changed outside the log (an UPDATE typed into the database) is reported."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from approval_helpers import approve
from sqlalchemy import text

from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.review.walkthrough import set_decision, set_note
from sme_review_desktop.rounds import find_dossier
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.scoring.scheme import ensure_scheme
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.integrity import check_store


@pytest.fixture
def decided(demo_store: Store) -> Store:
    store = demo_store
    rows = dossier_summaries(store, 1)
    add_expert(store, 1, "王一", "秘书")
    with store.write() as session:
        names = [c.name for c in ensure_scheme(session, 1)]
    assert names
    for row in rows[:2]:
        enter_scores(store, 1, "王一", row.uscc, {n: Decimal("10") for n in names}, "秘书")
        decide(store, 1, row.uscc, "rejected", "分数不足", "秘书")
    with store.read() as session:
        dossier_id = find_dossier(session, 1, rows[0].uscc).id
    set_decision(store, dossier_id, 7, 1, "assets", "met", "评审员")
    set_note(store, dossier_id, 7, 3, "satisfaction", "满意度证明齐全", "评审员")
    return store


def _sql(store: Store, statement: str) -> None:
    """Behind the app's back: straight into the database, no audit entry."""
    with store.engine.begin() as conn:
        conn.execute(text(statement))


def test_records_written_by_the_app_reconcile(decided: Store) -> None:
    report = check_store(decided)
    assert report.ok, report.lines()
    assert report.records == []
    assert any("均与审计记录一致" in line for line in report.lines())


def test_a_decision_updated_by_hand_is_reported(decided: Store) -> None:
    _sql(decided, "UPDATE decision SET decision = 'approved' WHERE id = 1")
    report = check_store(decided)
    assert not report.ok
    assert report.audit == []  # the chain itself is intact: only the record was changed
    (line,) = report.records
    assert "认定决定现为“approved”" in line and "rejected" in line


def test_a_decision_reason_updated_by_hand_is_reported(decided: Store) -> None:
    _sql(decided, "UPDATE decision SET reason = '另有理由' WHERE id = 1")
    assert len(check_store(decided).records) == 1


def test_a_decision_inserted_or_deleted_by_hand_is_reported(decided: Store) -> None:
    _sql(decided, "DELETE FROM decision WHERE id = 2")
    rows = dossier_summaries(decided, 1)
    with decided.read() as session:
        third = find_dossier(session, 1, rows[2].uscc).id
    _sql(
        decided,
        "INSERT INTO decision (dossier_id, decision, reason, decided_by, decided_at, version) "
        f"VALUES ({third}, 'approved', '', 'x', '2026-01-01 00:00:00', 1)",
    )
    records = check_store(decided).records
    assert len(records) == 2
    assert any("被删除" in r for r in records) and any("没有任何审计记录" in r for r in records)


def test_a_score_updated_by_hand_is_reported(decided: Store) -> None:
    _sql(decided, "UPDATE score SET points = 19 WHERE id = 1")
    (line,) = check_store(decided).records
    assert "专家“王一”" in line and "19" in line


def test_a_score_deleted_by_hand_is_reported(decided: Store) -> None:
    _sql(decided, "DELETE FROM score WHERE id = 1")
    assert len(check_store(decided).records) == 1


def test_a_clause_conclusion_updated_by_hand_is_reported(decided: Store) -> None:
    _sql(decided, "UPDATE condition_check SET decision = 'unmet' WHERE article = 7 AND item = 1")
    (line,) = check_store(decided).records
    assert "第7条第1项" in line and "unmet" in line


def test_a_clause_note_updated_by_hand_is_reported(decided: Store) -> None:
    _sql(decided, "UPDATE condition_check SET note = '改过' WHERE article = 7 AND item = 3")
    assert len(check_store(decided).records) == 1


def test_a_later_change_through_the_app_is_not_held_against_the_record(decided: Store) -> None:
    rows = dossier_summaries(decided, 1)
    approve(decided, 1, rows[0].uscc, "复核后", "秘书")
    assert check_store(decided).ok


def test_cli_check_reports_the_changed_row(decided: Store) -> None:
    _sql(decided, "UPDATE decision SET decision = 'approved' WHERE id = 1")
    folder = decided.data_dir
    url = decided.engine.url.render_as_string(hide_password=False)
    server = [] if decided.is_sqlite else ["--database-url", url]
    decided.close()
    cli = [sys.executable, "-m", "sme_review_desktop.cli", "--data-dir", str(folder), *server]
    done = subprocess.run(
        [*cli, "check", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    payload = json.loads(done.stdout)
    assert payload["ok"] is False and len(payload["records"]) == 1
