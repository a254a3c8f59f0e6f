"""Aggregating expert totals: 去掉一个最高分和一个最低分 from five scores up, ranks with ties."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sme_review_desktop.models import Expert, Round, Score

TRIM_FROM = 5  # with this many expert totals or more, drop one highest and one lowest
OUTLIER_POINTS = Decimal(15)
TWO_PLACES = Decimal("0.01")


def aggregate(totals: Sequence[Decimal], *, trim_from: int | None = TRIM_FROM) -> Decimal | None:
    """The dossier's score from its experts' totals; None when nobody scored it.

    ``trim_from`` None turns trimming off (a round setting).
    """
    if not totals:
        return None
    ordered = sorted(totals)
    if trim_from is not None and len(ordered) >= trim_from:
        ordered = ordered[1:-1]
    return (sum(ordered, Decimal(0)) / len(ordered)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rank(scores: Mapping[int, Decimal | None]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4): equal aggregates share a rank; unscored are unranked."""
    ordered = sorted(((s, k) for k, s in scores.items() if s is not None), key=lambda t: -t[0])
    ranks: dict[int, int] = {}
    for position, (score, key) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        ranks[key] = ranks[previous[1]] if previous and previous[0] == score else position
    return ranks


def outliers(totals: Mapping[str, Decimal], limit: Decimal = OUTLIER_POINTS) -> set[str]:
    """Experts whose total is more than ``limit`` points from the mean of the others'."""
    flagged: set[str] = set()
    if len(totals) < 2:
        return flagged
    for name, total in totals.items():
        others = [t for n, t in totals.items() if n != name]
        mean = sum(others, Decimal(0)) / len(others)
        if abs(total - mean) > limit:
            flagged.add(name)
    return flagged


def expert_totals(session: Session, round_id: int) -> dict[int, dict[str, Decimal]]:
    """Per dossier, each expert's total over the criteria."""
    result: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = session.execute(
        select(Score.dossier_id, Expert.name, func.sum(Score.points))
        .join(Expert, Expert.id == Score.expert_id)
        .where(Expert.round_id == round_id)
        .group_by(Score.dossier_id, Expert.name)
    )
    for dossier_id, name, total in rows:
        result[dossier_id][name] = Decimal(str(total))
    return result


def aggregates_for_round(session: Session, round_id: int) -> dict[int, float]:
    rnd = session.get(Round, round_id)
    trim = TRIM_FROM if rnd is None or rnd.settings.get("trim_extremes", True) else None
    out: dict[int, float] = {}
    for dossier_id, totals in expert_totals(session, round_id).items():
        agg = aggregate(list(totals.values()), trim_from=trim)
        if agg is not None:
            out[dossier_id] = float(agg)
    return out
