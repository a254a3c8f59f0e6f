"""Every committed write tells the store's listeners what it changed; reads and failures tell nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from sme_review_desktop.errors import UserError
from sme_review_desktop.models import Dossier
from sme_review_desktop.review.walkthrough import load_workspace, set_decision
from sme_review_desktop.rounds import list_rounds
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.scoring.scheme import criteria, ensure_scheme
from sme_review_desktop.store.changes import EVERYTHING, Changes
from sme_review_desktop.store.database import Store


def _heard(store: Store) -> list[Changes]:
    heard: list[Changes] = []
    store.listeners.append(heard.append)
    return heard


def _first_dossier(store: Store) -> tuple[int, int, str]:
    round_id = list_rounds(store)[0].id
    with store.read() as session:
        dossier = session.scalars(
            select(Dossier).where(Dossier.round_id == round_id).order_by(Dossier.id)
        ).first()
        assert dossier is not None
        return round_id, dossier.id, dossier.applicant.uscc


def test_a_tick_names_its_kind_round_and_dossier(demo_store: Store) -> None:
    round_id, dossier_id, _ = _first_dossier(demo_store)
    item = load_workspace(demo_store, dossier_id).evaluation.items[0]
    heard = _heard(demo_store)
    set_decision(demo_store, dossier_id, item.article, item.item, item.parts[0].id, "met", "测试")
    assert heard == [Changes(frozenset({"review"}), frozenset({round_id}), frozenset({dossier_id}))]
    assert heard[0].touches({"review"}, round_id)
    assert not heard[0].touches({"scores", "decisions"}, round_id)
    assert not heard[0].touches({"review"}, round_id + 1000)
    assert heard[0].touches_dossier({"review"}, dossier_id, round_id)
    assert not heard[0].touches_dossier({"review"}, dossier_id + 1000, round_id)


def test_scores_and_decisions_are_their_own_kinds(demo_store: Store) -> None:
    round_id, dossier_id, uscc = _first_dossier(demo_store)
    heard = _heard(demo_store)
    add_expert(demo_store, round_id, "变更测试专家", "测试")
    with demo_store.write() as session:
        ensure_scheme(session, round_id)
    with demo_store.read() as session:
        first = criteria(session, round_id)[0].name
    enter_scores(demo_store, round_id, "变更测试专家", uscc, {first: Decimal(10)}, "测试")
    decide(demo_store, round_id, uscc, "rejected", "测试理由", "测试")
    kinds = [c.kinds for c in heard]
    assert frozenset({"scores"}) in kinds and kinds[-1] == frozenset({"decisions"})
    assert all(c.round_ids == frozenset({round_id}) for c in heard)
    assert heard[-1].dossier_ids == frozenset({dossier_id})


def test_reads_and_refused_writes_tell_nothing(demo_store: Store) -> None:
    round_id, _, uscc = _first_dossier(demo_store)
    heard = _heard(demo_store)
    load_workspace(demo_store, _first_dossier(demo_store)[1])
    with pytest.raises(UserError):
        decide(demo_store, round_id, uscc, "approved-ish", "", "测试")
    assert heard == []


def test_everything_touches_every_view() -> None:
    assert EVERYTHING.touches({"register"}, 7)
    assert EVERYTHING.touches_dossier({"review"}, 3, 7)
