"""The demo's story is legitimate (issue 18): its approvals follow from the record but one, an
exception with its reason; every finding shows on at least one dossier."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from sme_review_desktop.demo import load_demo
from sme_review_desktop.models import Decision, Dossier, Round
from sme_review_desktop.review.finding_record import round_findings
from sme_review_desktop.scoring.approval import approval_unmet, score_progress
from sme_review_desktop.store.database import open_store

CODES = {
    "outside_city",
    "barred_after_revocation",
    "revoked_before",
    "already_certified",
    "duplicate_evidence",
    "stale_decision",
}


def test_the_demo_story_follows_from_the_record(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        rounds = load_demo(store, story=True)
        assert rounds == [1, 2, 3]
        with store.read() as session:
            shown = {
                f.code
                for rid in rounds
                for found in round_findings(session, rid).values()
                for f in found
            }
            assert shown == CODES
            approvals = session.scalars(select(Decision).where(Decision.decision == "approved"))
            exceptions = []
            for decision in approvals:
                dossier = session.get(Dossier, decision.dossier_id)
                assert dossier is not None
                rnd = session.get(Round, dossier.round_id)
                assert rnd is not None
                progress = score_progress(session, rnd)[dossier.id]
                assert progress.expected and progress.complete  # scored by every expert due
                if decision.override_reason:
                    exceptions.append(decision.override_reason)
                    assert approval_unmet(session, rnd, dossier)  # it was needed
                else:
                    assert approval_unmet(session, rnd, dossier) == []
            assert len(exceptions) == 1 and len(exceptions[0]) >= 10
    finally:
        store.close()


def test_the_bare_demo_has_no_decisions(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    try:
        assert load_demo(store) == [1, 2]
        with store.read() as session:
            assert session.scalars(select(Decision)).first() is None
    finally:
        store.close()
