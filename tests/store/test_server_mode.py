"""Shared server mode: two reviewers, two programs, one database (SQLite file or PostgreSQL).

Each test opens the demo store twice, as two PCs would: reviewer A and reviewer B read the
same dossier, A saves first, and B's save, based on what B saw before A's change, is refused
with a clear message instead of overwriting A's. Nothing either of them saved is lost.
Run on PostgreSQL with SME_TEST_DATABASE_URL (scripts/test_server.sh).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from approval_helpers import approve
from sqlalchemy import select, text

from sme_review_desktop import demo
from sme_review_desktop.errors import EditConflict
from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.models import Base, ConditionCheck
from sme_review_desktop.review import walkthrough as review
from sme_review_desktop.rounds import create_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.scoring.entry import enter_scores, expert_grid
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.scoring.summary import score_summary
from sme_review_desktop.store.atomic import HOST
from sme_review_desktop.store.audit import verify_chain
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.store.evidence import EvidenceStore
from sme_review_desktop.store.integrity import check_store
from sme_review_desktop.store.location import DATABASE_URL_ENV, locate
from sme_review_desktop.store.settings import Settings

ROUND = 1  # the demo's 聊城 round


def same_database(store: Store) -> Store:
    """A second program on the store's database (another PC, in server mode)."""
    url = None if store.is_sqlite else store.engine.url.render_as_string(hide_password=False)
    return open_store(store.data_dir, url)


@pytest.fixture
def stores(demo_store: Store) -> Iterator[tuple[Store, Store]]:
    other = same_database(demo_store)
    yield demo_store, other
    other.close()


def first_dossier(store: Store) -> int:
    return score_summary(store, ROUND)[0].dossier_id


def test_migrations_build_exactly_the_models(store: Store) -> None:
    """The schema Alembic builds is the one the ORM expects, on this backend too."""
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_a_stale_tick_is_refused_and_the_first_one_kept(stores: tuple[Store, Store]) -> None:
    a, b = stores
    dossier = first_dossier(a)
    item = review.load_workspace(a, dossier).items()[0]
    clause = (item.article, item.item, item.parts[0].id)
    seen_by_a = review.load_workspace(a, dossier).check(*clause).revision
    seen_by_b = review.load_workspace(b, dossier).check(*clause).revision
    assert seen_by_a == seen_by_b == 0  # nobody has decided this clause yet

    review.set_decision(a, dossier, *clause, "met", "甲评审", expected_revision=seen_by_a)
    with pytest.raises(EditConflict) as refused:
        review.set_decision(b, dossier, *clause, "unmet", "乙评审", expected_revision=seen_by_b)
    assert refused.value.message.startswith("该单位的审核记录已被其他评审人修改（甲评审于")
    assert refused.value.message.endswith("），请刷新后再改。")
    assert review.load_workspace(b, dossier).check(*clause).decision == "met"

    # B refreshes and decides again: now B's change is saved too, on top of A's.
    fresh = review.load_workspace(b, dossier).check(*clause)
    review.set_decision(b, dossier, *clause, "unmet", "乙评审", expected_revision=fresh.revision)
    after = review.load_workspace(a, dossier).check(*clause)
    assert (after.decision, after.decided_by) == ("unmet", "乙评审")


def test_two_reviewers_on_different_clauses_both_save(stores: tuple[Store, Store]) -> None:
    a, b = stores
    dossier = first_dossier(a)
    ws = review.load_workspace(a, dossier)
    one, two = [(i.article, i.item, i.parts[0].id) for i in ws.items()[:2]]
    seen_a, seen_b = ws.check(*one).revision, review.load_workspace(b, dossier).check(*two).revision
    review.set_decision(a, dossier, *one, "met", "甲评审", expected_revision=seen_a)
    review.set_decision(b, dossier, *two, "fix", "乙评审", expected_revision=seen_b)
    now = review.load_workspace(a, dossier)
    assert (now.check(*one).decision, now.check(*two).decision) == ("met", "fix")


def test_a_stale_note_is_refused(stores: tuple[Store, Store]) -> None:
    a, b = stores
    dossier = first_dossier(a)
    item = review.load_workspace(a, dossier).items()[0]
    clause = (item.article, item.item, "")
    seen = review.load_workspace(b, dossier).check(*clause).revision
    review.set_note(a, dossier, *clause, "营业执照已核对", "甲评审", expected_revision=seen)
    with pytest.raises(EditConflict, match="请刷新后再改"):
        review.set_note(b, dossier, *clause, "缺财务报表", "乙评审", expected_revision=seen)
    assert review.load_workspace(b, dossier).check(*clause).note == "营业执照已核对"


def test_a_stale_decision_is_refused(stores: tuple[Store, Store]) -> None:
    a, b = stores
    row_a, row_b = score_summary(a, ROUND)[0], score_summary(b, ROUND)[0]
    approve(a, ROUND, row_a.uscc, "条件均符合", "甲评审", expected_revision=0)
    with pytest.raises(EditConflict, match="该单位的认定决定已被其他评审人修改（甲评审于"):
        decide(
            b,
            ROUND,
            row_b.uscc,
            "rejected",
            "业绩不足",
            "乙评审",
            expected_revision=row_b.decision_revision,
        )
    assert score_summary(b, ROUND)[0].decision == "approved"
    current = score_summary(b, ROUND)[0].decision_revision
    decide(b, ROUND, row_b.uscc, "rejected", "业绩不足", "乙评审", expected_revision=current)
    assert score_summary(a, ROUND)[0].decision == "rejected"


def test_a_stale_score_is_refused_even_after_clear_and_reentry(
    stores: tuple[Store, Store],
) -> None:
    a, b = stores
    add_expert(a, ROUND, "王专家", "秘书")
    _, rows = expert_grid(a, ROUND, "王专家")
    row = rows[0]
    name = "基本条件"
    first = enter_scores(a, ROUND, "王专家", row.uscc, {name: Decimal(18)}, "秘书甲")
    seen_by_b = expert_grid(b, ROUND, "王专家")[1][0].versions
    assert seen_by_b == first

    # A clears the score and types the same number again: a counter would be back where B
    # saw it; the random version is not.
    enter_scores(a, ROUND, "王专家", row.uscc, {name: None}, "秘书甲", expected_versions=first)
    enter_scores(a, ROUND, "王专家", row.uscc, {name: Decimal(16)}, "秘书甲", expected_versions={})
    with pytest.raises(EditConflict, match="专家“王专家”对该单位的评分已被其他评审人修改"):
        enter_scores(
            b, ROUND, "王专家", row.uscc, {name: Decimal(12)}, "秘书乙", expected_versions=seen_by_b
        )
    assert expert_grid(b, ROUND, "王专家")[1][0].points[name] == Decimal(16)


def test_a_row_changed_under_an_open_session_is_an_edit_conflict(demo_store: Store) -> None:
    """version_id_col guards the UPDATE itself, whatever the service checked before."""
    dossier = first_dossier(demo_store)
    item = review.load_workspace(demo_store, dossier).items()[0]
    review.set_decision(demo_store, dossier, item.article, item.item, item.parts[0].id, "met", "甲")
    refused = pytest.raises(EditConflict, match="该记录已被其他评审人修改")
    with refused, demo_store.write() as session:
        check = session.scalars(
            select(ConditionCheck).where(ConditionCheck.dossier_id == dossier)
        ).first()
        assert check is not None
        check_id = check.id
        # Another program's change, made behind this session's back.
        session.execute(
            text("UPDATE condition_check SET version = version + 1 WHERE id = :id"),
            {"id": check_id},
        )
        check.decision = "unmet"
    with demo_store.read() as session:
        stored = session.get(ConditionCheck, check_id)
        assert stored is not None and stored.decision == "met"


def test_concurrent_writers_take_turns_and_keep_the_audit_chain(demo_store: Store) -> None:
    """Four programs ticking at once: every tick saved, the audit chain unbroken (each entry
    chains to the one before, so two writers must never append at the same time)."""
    others = [same_database(demo_store) for _ in range(4)]
    dossiers = [s.dossier_id for s in score_summary(demo_store, ROUND)[:4]]

    def tick_all(n: int) -> int:
        ws = review.load_workspace(others[n], dossiers[n])
        for item in ws.items():
            review.set_decision(
                others[n], dossiers[n], item.article, item.item, item.parts[0].id, "met", f"评审{n}"
            )
        return len(ws.items())

    try:
        with ThreadPoolExecutor(len(others)) as pool:
            ticked = sum(pool.map(tick_all, range(len(others))))
    finally:
        for other in others:
            other.close()
    with demo_store.read() as session:
        assert verify_chain(session) == []
        decided = session.scalars(
            select(ConditionCheck).where(
                ConditionCheck.dossier_id.in_(dossiers), ConditionCheck.decision == "met"
            )
        ).all()
    assert len(decided) == ticked > 20


def test_server_settings_choose_the_database_and_the_shared_evidence_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    local = tmp_path / "本机"
    assert locate(local).database_url is None
    Settings(database_url="postgresql+psycopg://评审@db/sme", evidence_dir=str(tmp_path)).save(
        local
    )
    where = locate(local)
    assert (where.database_url, where.evidence_dir) == (
        "postgresql+psycopg://评审@db/sme",
        tmp_path,
    )
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://env@db/sme")
    assert locate(local).database_url == "postgresql+psycopg://env@db/sme"
    assert locate(local, "postgresql+psycopg://flag@db/sme").database_url.endswith("flag@db/sme")


def test_evidence_lives_in_the_shared_folder(tmp_path: Path, database_url: str | None) -> None:
    shared = tmp_path / "共享" / "证明材料"
    store = open_store(tmp_path / "本机", database_url, evidence_dir=shared)
    try:
        book = get_rulebook("liaocheng-2021")
        package = demo.write_package(
            tmp_path / "县区", book, demo.LIAOCHENG[0], demo.LIAOCHENG_BASE, "371502"
        )
        rid = create_round(store, book.id, "共享测试", date(2026, 6, 30), "秘书")
        [result] = import_paths(store, rid, [package], "秘书")
        assert result.status == "imported"
        assert store.evidence_dir == shared
        assert len(list(shared.glob("??/*"))) == len(list(package.iterdir()))
        assert not (tmp_path / "本机" / "evidence").exists()
        assert check_store(store).ok
    finally:
        store.close()


def test_another_pcs_running_import_is_left_alone(tmp_path: Path) -> None:
    """On a shared evidence folder, opening the store must not sweep away another PC's import."""
    evidence = EvidenceStore(tmp_path / "evidence")
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()  # a process id that no longer runs: an import killed on this PC
    elsewhere = "000000" if HOST != "000000" else "111111"
    running_elsewhere = evidence.staging_root / f"{elsewhere}-{os.getpid()}-{'a' * 32}"
    killed_here = evidence.staging_root / f"{HOST}-{finished.pid}-{'b' * 32}"
    running_here = evidence.new_staging().folder
    for folder in (running_elsewhere, killed_here, running_here):
        folder.mkdir(parents=True)
        (folder / ("0" * 64)).write_bytes(b"x")
    evidence.recover(lambda _sha: False)
    assert running_elsewhere.exists() and running_here.exists()
    assert not killed_here.exists()
