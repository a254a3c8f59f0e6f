"""The dossiers behind a bar: a click on a chart filters the list to them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from sme_review_desktop.models import (
    AuditEntry,
    Certificate,
    Decision,
    Dossier,
    DossierVersion,
    Publicity,
)
from sme_review_desktop.overview.round_stats import round_ref, shortfall_sets
from sme_review_desktop.overview.stats_model import NO_COUNTY, SUGGESTIONS, Selection, Shortfall
from sme_review_desktop.overview.stats_queries import formal_complete, verdicts_for, versions_query
from sme_review_desktop.scoring.decisions import DECISION_LABELS
from sme_review_desktop.store.database import Store


def funnel_selection(key: str, part: str | None = None) -> Selection:
    names = {
        "received": "收到申报",
        "formal_complete": "形式审查通过（材料齐全）",
        "publicised": "已公示",
        "certified": "已认定",
    }
    if key == "suggestion" and part:
        return Selection("funnel", (key, part), f"系统建议：{dict(SUGGESTIONS)[part]}")
    if key == "decision" and part:
        label = DECISION_LABELS.get(part, "未决定" if part == "undecided" else part)
        return Selection("funnel", (key, part), f"评审决定：{label}")
    return Selection("funnel", (key,), names[key])


def shortfall_selection(s: Shortfall) -> Selection:
    return Selection("shortfall", (s.article, s.item, s.part), f"{s.label}：不符合（系统或评审人）")


def county_selection(county: str, what: str) -> Selection:
    words = {"dossiers": "申报", "approved": "拟认定", "certified": "已认定"}
    return Selection("county", (county, what), f"{county}：{words[what]}")


def members(store: Store, round_id: int, selection: Selection) -> list[int]:
    """The ids of the dossiers of the round behind one bar of a chart, in id order."""
    with store.read() as session:
        rnd, book, _ = round_ref(session, round_id)
        ids: Iterable[int]
        kind, key = selection.kind, selection.key
        all_ids = versions_query(round_id, DossierVersion.dossier_id)
        decided = select(Decision.dossier_id).join(Dossier).where(Dossier.round_id == round_id)
        if kind == "funnel" and key[0] == "received":
            ids = session.scalars(all_ids)
        elif kind == "funnel" and key[0] == "formal_complete":
            ids = session.scalars(formal_complete(round_id, book))
        elif kind == "funnel" and key[0] == "suggestion":
            verdicts = verdicts_for(store, session, rnd, book)
            ids = [d for d, v in verdicts.items() if v.overall == key[1]]
        elif kind == "funnel" and key[0] == "decision" and key[1] == "undecided":
            ids = session.scalars(all_ids.where(DossierVersion.dossier_id.not_in(decided)))
        elif kind == "funnel" and key[0] == "decision":
            ids = session.scalars(decided.where(Decision.decision == key[1]))
        elif kind == "funnel" and key[0] == "publicised":
            publicity = session.scalar(select(Publicity.id).where(Publicity.round_id == round_id))
            ids = (
                session.scalars(decided.where(Decision.decision == "approved")) if publicity else []
            )
        elif kind == "funnel" and key[0] == "certified":
            ids = session.scalars(
                select(Certificate.dossier_id).join(Dossier).where(Dossier.round_id == round_id)
            )
        elif kind == "shortfall":
            clause = (int(key[0]), int(key[1]), str(key[2]))
            app, reviewer = shortfall_sets(session, rnd, verdicts_for(store, session, rnd, book))
            ids = app.get(clause, set()) | reviewer.get(clause, set())
        elif kind == "county":
            county, what = str(key[0]), key[1]
            q = all_ids.where(DossierVersion.county == ("" if county == NO_COUNTY else county))
            if what == "approved":
                q = q.where(
                    DossierVersion.dossier_id.in_(
                        select(Decision.dossier_id).where(Decision.decision == "approved")
                    )
                )
            elif what == "certified":
                q = q.where(DossierVersion.dossier_id.in_(select(Certificate.dossier_id)))
            ids = session.scalars(q)
        else:
            raise ValueError(f"unknown selection {selection}")
        return sorted(set(ids))


def data_mark(store: Store) -> tuple[int, int]:
    """Changes whenever anything a chart shows may have changed: every change is audited.

    (the newest audit entry, the number of versions) — cheap enough to poll every few seconds.
    """
    with store.read() as session:
        newest = session.scalar(select(func.max(AuditEntry.id))) or 0
        versions = session.scalar(select(func.max(DossierVersion.id))) or 0
        return int(newest), int(versions)
