"""One round's statistics (概览 本批次): funnel, shortfalls, counties, expert spread, scores."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from sme_review_desktop.models import (
    Applicant,
    Certificate,
    ConditionCheck,
    Decision,
    Dossier,
    DossierVersion,
    Expert,
    Publicity,
    Round,
    Score,
)
from sme_review_desktop.overview.register_stats import register_summary
from sme_review_desktop.overview.stats_model import (
    NO_COUNTY,
    SUGGESTIONS,
    CountyRow,
    DossierScore,
    Funnel,
    RoundRef,
    RoundStats,
    ScoringStats,
    Shortfall,
    Spread,
    round2,
)
from sme_review_desktop.overview.stats_queries import (
    _Verdicts,
    clauses,
    count_of,
    formal_complete,
    pairs,
    verdicts_for,
    versions_query,
)
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import Rulebook, get_rulebook
from sme_review_desktop.scoring.aggregate import TRIM_FROM, aggregate, expert_totals, outliers, rank
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbering import clause_label


def round_ref(session: Session, round_id: int) -> tuple[Round, Rulebook, RoundRef]:
    rnd = get_round(session, round_id)
    book = get_rulebook(rnd.rulebook_id)
    return rnd, book, RoundRef(rnd.id, rnd.name, book.id, book.title, rnd.reference_date)


def _funnel(session: Session, rnd: Round, book: Rulebook, verdicts: dict[int, _Verdicts]) -> Funnel:
    received = count_of(session, versions_query(rnd.id, DossierVersion.dossier_id))
    formal = count_of(session, formal_complete(rnd.id, book))
    suggestion = {key: 0 for key, _ in SUGGESTIONS}
    for v in verdicts.values():
        suggestion[v.overall] += 1
    decided = pairs(
        session,
        select(Decision.decision, func.count(Decision.id))
        .join(Dossier, Dossier.id == Decision.dossier_id)
        .where(Dossier.round_id == rnd.id)
        .group_by(Decision.decision),
    )
    decision = {d: int(decided.get(d, 0)) for d in book.procedure.decisions}
    for d, n in decided.items():  # a decision the measure no longer lists is still counted
        decision.setdefault(d, int(n))
    decision["undecided"] = max(0, received - sum(decision.values()))
    has_publicity = session.scalar(select(Publicity.id).where(Publicity.round_id == rnd.id))
    certified = int(
        session.scalar(
            select(func.count(Certificate.id))
            .join(Dossier, Dossier.id == Certificate.dossier_id)
            .where(Dossier.round_id == rnd.id)
        )
        or 0
    )
    return Funnel(
        received=received,
        formal_complete=formal,
        suggestion=suggestion,
        decision=decision,
        publicised=decision.get("approved", 0) if has_publicity else 0,
        certified=certified,
        exceptions=int(
            session.scalar(
                select(func.count(Decision.id))
                .join(Dossier, Dossier.id == Decision.dossier_id)
                .where(
                    Dossier.round_id == rnd.id,
                    Decision.decision == "approved",
                    Decision.override_reason.is_not(None),
                )
            )
            or 0
        ),
    )


def _reviewer_unmet(session: Session, round_id: int) -> dict[tuple[int, int, str], set[int]]:
    found: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for dossier_id, article, item, part in session.execute(
        select(
            ConditionCheck.dossier_id,
            ConditionCheck.article,
            ConditionCheck.item,
            ConditionCheck.part,
        )
        .join(Dossier, Dossier.id == ConditionCheck.dossier_id)
        .where(Dossier.round_id == round_id, ConditionCheck.decision == "unmet")
    ):
        found[(article, item, part)].add(dossier_id)
    return found


def shortfall_sets(
    session: Session, rnd: Round, verdicts: dict[int, _Verdicts]
) -> tuple[dict[tuple[int, int, str], set[int]], dict[tuple[int, int, str], set[int]]]:
    app: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for dossier_id, v in verdicts.items():
        for clause in v.unmet:
            app[clause].add(dossier_id)
    return app, _reviewer_unmet(session, rnd.id)


def _shortfalls(
    session: Session, rnd: Round, book: Rulebook, verdicts: dict[int, _Verdicts]
) -> tuple[Shortfall, ...]:
    app, reviewer = shortfall_sets(session, rnd, verdicts)
    catalogue = clauses(book)
    rows = []
    for key in set(app) | set(reviewer):
        article, item, part = key
        known = catalogue.get(key)
        text = known.text if known else part
        rows.append(
            (
                known.order if known else len(catalogue),
                Shortfall(
                    article=article,
                    item=item,
                    part=part,
                    clause=clause_label(article, item),
                    text=text,
                    threshold=known.threshold if known else None,
                    app=len(app.get(key, ())),
                    reviewer=len(reviewer.get(key, ())),
                    dossiers=len(app.get(key, set()) | reviewer.get(key, set())),
                ),
            )
        )
    rows.sort(key=lambda t: (-t[1].dossiers, t[0], t[1].article, t[1].item, t[1].part))
    return tuple(s for _, s in rows)


def by_county(session: Session, round_id: int | None) -> tuple[CountyRow, ...]:
    """Per county of the newest versions; across rounds a county is named with its city
    (聊城 and 西安 both have a 高新区)."""
    approved = func.sum(case((Decision.decision == "approved", 1), else_=0))
    rows = session.execute(
        versions_query(
            round_id,
            Round.rulebook_id,
            DossierVersion.county,
            func.count(DossierVersion.dossier_id),
            approved,
            func.count(Certificate.id),
        )
        .join(Dossier, Dossier.id == DossierVersion.dossier_id)
        .join(Round, Round.id == Dossier.round_id)
        .outerjoin(Decision, Decision.dossier_id == DossierVersion.dossier_id)
        .outerjoin(Certificate, Certificate.dossier_id == DossierVersion.dossier_id)
        .group_by(Round.rulebook_id, DossierVersion.county)
    ).all()
    merged: dict[str, list[int]] = {}
    for rulebook_id, county, n, a, c in rows:
        name = county or NO_COUNTY
        if round_id is None:
            name = f"{get_rulebook(rulebook_id).city}·{name}"
        counts = merged.setdefault(name, [0, 0, 0])
        for k, v in enumerate((n, a, c)):
            counts[k] += int(v or 0)
    out = [CountyRow(name, *counts) for name, counts in merged.items()]
    out.sort(key=lambda r: (-r.dossiers, -r.approved, r.county.endswith(NO_COUNTY), r.county))
    return tuple(out)


def _spread(name: str, values: Sequence[float], **extra: Any) -> Spread:
    if not values:
        return Spread(name, 0, None, None, None, None, None, None, **extra)
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = med = q3 = ordered[0]
    else:
        q1, med, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Spread(
        name,
        len(ordered),
        round2(ordered[0]),
        round2(q1),
        round2(med),
        round2(q3),
        round2(ordered[-1]),
        round2(statistics.fmean(ordered)),
        totals=tuple(round2(v) for v in ordered),
        **extra,
    )


def _scoring(session: Session, rnd: Round) -> ScoringStats:
    totals = expert_totals(session, rnd.id)  # dossier → expert → total (summed in SQL)
    names = list(
        session.scalars(select(Expert.name).where(Expert.round_id == rnd.id).order_by(Expert.id))
    )
    trim = TRIM_FROM if rnd.settings.get("trim_extremes", True) else None
    aggregates = {d: aggregate(list(t.values()), trim_from=trim) for d, t in totals.items()}
    ranks = rank(aggregates)
    flags = {d: outliers(t) for d, t in totals.items()}
    info = {
        dossier_id: (code, platform)
        for dossier_id, code, platform in session.execute(
            versions_query(
                rnd.id, DossierVersion.dossier_id, Applicant.uscc, DossierVersion.platform_name
            )
            .join(Dossier, Dossier.id == DossierVersion.dossier_id)
            .join(Applicant, Applicant.id == Dossier.applicant_id)
            .where(
                DossierVersion.dossier_id.in_(
                    select(Score.dossier_id)
                    .join(Expert, Expert.id == Score.expert_id)
                    .where(Expert.round_id == rnd.id)
                )
            )
        )
    }
    order = {n: i for i, n in enumerate(names)}
    dossiers = [
        DossierScore(
            dossier_id=d,
            uscc=info.get(d, ("", ""))[0],
            platform_name=info.get(d, ("", f"申报{d}"))[1],
            scores=tuple(
                (n, round2(v)) for n, v in sorted(t.items(), key=lambda kv: order.get(kv[0], 0))
            ),
            aggregate=None if (agg := aggregates[d]) is None else round2(agg),
            rank=ranks.get(d),
            outliers=tuple(sorted(flags[d], key=lambda n: order.get(n, 0))),
        )
        for d, t in totals.items()
    ]
    dossiers.sort(key=lambda s: (s.rank is None, s.rank or 0, s.platform_name))
    experts = []
    for name in names:
        mine = [(d, t[name]) for d, t in totals.items() if name in t]
        deviations = [float(v - agg) for d, v in mine if (agg := aggregates.get(d)) is not None]
        experts.append(
            _spread(
                name,
                [float(v) for _, v in mine],
                mean_deviation=round2(statistics.fmean(deviations)) if deviations else None,
                flagged=sum(1 for d, _ in mine if name in flags[d]),
            )
        )
    panel_values = [float(a) for a in aggregates.values() if a is not None]
    panel = _spread("评审组汇总分", panel_values) if panel_values else None
    return ScoringStats(tuple(experts), panel, tuple(dossiers))


def round_stats(store: Store, round_id: int, as_of: date | None = None) -> RoundStats:
    """The 概览 of one round, as of a day (today by default) for the register's figures."""
    as_of = as_of or date.today()
    with store.read() as session:
        rnd, book, ref = round_ref(session, round_id)
        verdicts = verdicts_for(store, session, rnd, book)
        return RoundStats(
            round=ref,
            as_of=as_of,
            funnel=_funnel(session, rnd, book, verdicts),
            decisions=book.procedure.decisions,
            shortfalls=_shortfalls(session, rnd, book, verdicts),
            by_county=by_county(session, round_id),
            scoring=_scoring(session, rnd),
            register=register_summary(session, round_id, as_of),
        )
