"""Statistics across every round (跨批次概览)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from sme_review_desktop.models import (
    Certificate,
    Decision,
    Dossier,
    DossierVersion,
    Round,
)
from sme_review_desktop.overview.register_stats import register_summary
from sme_review_desktop.overview.round_stats import by_county
from sme_review_desktop.overview.stats_model import OverallStats, RoundRef, RoundRow
from sme_review_desktop.overview.stats_queries import pairs
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store.database import Store


def overall_stats(store: Store, as_of: date | None = None) -> OverallStats:
    """The 概览 across rounds: each round's counts, all counties, the whole register."""
    as_of = as_of or date.today()
    with store.read() as session:
        received = pairs(
            session,
            select(Dossier.round_id, func.count(func.distinct(Dossier.id)))
            .join(DossierVersion, DossierVersion.dossier_id == Dossier.id)
            .group_by(Dossier.round_id),
        )
        approved = pairs(
            session,
            select(Dossier.round_id, func.count(Decision.id))
            .join(Decision, Decision.dossier_id == Dossier.id)
            .where(Decision.decision == "approved")
            .group_by(Dossier.round_id),
        )
        certified = pairs(
            session,
            select(Dossier.round_id, func.count(Certificate.id))
            .join(Certificate, Certificate.dossier_id == Dossier.id)
            .group_by(Dossier.round_id),
        )
        rounds = []
        for rnd in session.scalars(select(Round).order_by(Round.reference_date, Round.id)):
            book = get_rulebook(rnd.rulebook_id)
            rounds.append(
                RoundRow(
                    RoundRef(rnd.id, rnd.name, book.id, book.title, rnd.reference_date),
                    int(received.get(rnd.id, 0)),
                    int(approved.get(rnd.id, 0)),
                    int(certified.get(rnd.id, 0)),
                )
            )
        return OverallStats(
            as_of=as_of,
            rounds=tuple(rounds),
            by_county=by_county(session, None),
            register=register_summary(session, None, as_of),
        )
