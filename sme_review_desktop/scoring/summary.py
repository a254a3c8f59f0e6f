"""The score summary (专家评分汇总): each dossier's expert totals, aggregate and rank."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from sme_review_desktop.models import (
    Applicant,
    Conflict,
    Decision,
    Dossier,
    DossierVersion,
    Expert,
)
from sme_review_desktop.rounds import get_round
from sme_review_desktop.scoring.aggregate import TRIM_FROM, aggregate, expert_totals, outliers, rank
from sme_review_desktop.store.database import Store


@dataclass(frozen=True)
class DossierScores:
    dossier_id: int
    uscc: str
    platform_name: str
    scores: dict[str, Decimal]  # expert → total
    absent: list[str]  # experts who declared a conflict
    aggregate: Decimal | None
    rank: int | None
    outliers: set[str]
    decision: str | None
    reason: str
    decision_revision: int = 0  # the decision row's version (0: none yet), for ``decide``

    def as_json(self) -> dict[str, object]:
        return {
            "uscc": self.uscc,
            "platform_name": self.platform_name,
            "scores": {k: float(v) for k, v in self.scores.items()},
            "aggregate": None if self.aggregate is None else float(self.aggregate),
            "rank": self.rank,
            "outliers": sorted(self.outliers),
            "conflicts": self.absent,
            "decision": self.decision,
        }


def score_summary(store: Store, round_id: int) -> list[DossierScores]:
    """Every dossier's expert totals, aggregate (per the round's rule) and rank with ties."""
    with store.read() as session:
        rnd = get_round(session, round_id)
        trim = TRIM_FROM if rnd.settings.get("trim_extremes", True) else None
        totals = expert_totals(session, round_id)
        conflicts: dict[int, list[str]] = {}
        for dossier_id, name in session.execute(
            select(Conflict.dossier_id, Expert.name)
            .join(Expert, Expert.id == Conflict.expert_id)
            .where(Expert.round_id == round_id)
        ):
            conflicts.setdefault(dossier_id, []).append(name)
        decisions = {
            d.dossier_id: d
            for d in session.scalars(
                select(Decision).join(Dossier).where(Dossier.round_id == round_id)
            )
        }
        rows = session.execute(
            select(Dossier.id, Applicant.uscc, func.max(DossierVersion.number))
            .join(Applicant, Applicant.id == Dossier.applicant_id)
            .join(DossierVersion, DossierVersion.dossier_id == Dossier.id)
            .where(Dossier.round_id == round_id)
            .group_by(Dossier.id, Applicant.uscc)
            .order_by(Dossier.id)
        ).all()
        names = {
            (v.dossier_id, v.number): v.platform_name
            for v in session.scalars(
                select(DossierVersion).join(Dossier).where(Dossier.round_id == round_id)
            )
        }
        aggregates = {
            d: aggregate(list(totals.get(d, {}).values()), trim_from=trim) for d, _, _ in rows
        }
        ranks = rank(aggregates)
        result = []
        for dossier_id, uscc, newest in rows:
            t = totals.get(dossier_id, {})
            decision = decisions.get(dossier_id)
            result.append(
                DossierScores(
                    dossier_id=dossier_id,
                    uscc=uscc,
                    platform_name=names[(dossier_id, newest)],
                    scores=dict(sorted(t.items())),
                    absent=sorted(conflicts.get(dossier_id, [])),
                    aggregate=aggregates[dossier_id],
                    rank=ranks.get(dossier_id),
                    outliers=outliers(t),
                    decision=decision.decision if decision else None,
                    reason=decision.reason if decision else "",
                    decision_revision=decision.version if decision else 0,
                )
            )
        return result
