"""The overview's numbers counted a second way, by plain Python over ORM rows.

Nothing here calls sme_review_desktop.stats: the rows are read as objects and counted one by
one; what the rule engine and the scoring say comes from the services the rest of the app
uses (evaluate_round, score_summary, register_rows), so a mistake in the SQL of stats.py shows
up as a difference.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from sme_review_desktop.models import (
    Certificate,
    ConditionCheck,
    Decision,
    Dossier,
    Expert,
    Publicity,
    Round,
    Score,
)
from sme_review_desktop.register.platforms import register_rows
from sme_review_desktop.review.evaluation import evaluate_round
from sme_review_desktop.rules.engine import Verdict
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.summary import score_summary
from sme_review_desktop.store.database import Store


def _newest(dossier: Dossier) -> Any:
    return max(dossier.versions, key=lambda v: v.number)


def funnel(store: Store, round_id: int) -> dict[str, Any]:
    with store.read() as session:
        rnd = session.get(Round, round_id)
        assert rnd is not None
        book = get_rulebook(rnd.rulebook_id)
        dossiers = [
            d
            for d in session.scalars(select(Dossier).where(Dossier.round_id == round_id))
            if d.versions
        ]
        required = {m.number for m in book.materials if m.required}
        formal = sum(
            1 for d in dossiers if required <= {e.material_number for e in _newest(d).evidence}
        )
        ids = {d.id for d in dossiers}
        decisions = [x for x in session.scalars(select(Decision)) if x.dossier_id in ids]
        counted = Counter(x.decision for x in decisions)
        publicity = session.scalars(select(Publicity).where(Publicity.round_id == round_id)).all()
        certificates = [c for c in session.scalars(select(Certificate)) if c.dossier_id in ids]
        decision = {d: counted.get(d, 0) for d in book.procedure.decisions}
        decision["undecided"] = len(dossiers) - len(decisions)
    suggestion = Counter(e.evaluation.overall.value for e in evaluate_round(store, round_id))
    return {
        "received": len(dossiers),
        "formal_complete": formal,
        "suggestion": {k: suggestion.get(k, 0) for k in ("met", "review", "unmet")},
        "decision": decision,
        "publicised": counted.get("approved", 0) if publicity else 0,
        "certified": len(certificates),
        "exceptions": sum(
            1 for x in decisions if x.decision == "approved" and x.override_reason is not None
        ),
    }


def shortfalls(store: Store, round_id: int) -> dict[tuple[int, int, str], dict[str, int]]:
    """(article, item, part) → app / reviewer / dossiers, for clauses with a shortfall."""
    app: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for e in evaluate_round(store, round_id):
        for item in e.evaluation.items:
            if not item.applicable:
                continue
            for part in item.parts:
                if part.verdict is Verdict.UNMET:
                    app[(item.article, item.item, part.id)].add(e.dossier_id)
    reviewer: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    with store.read() as session:
        for check in session.scalars(select(ConditionCheck)):
            dossier = session.get(Dossier, check.dossier_id)
            if dossier and dossier.round_id == round_id and check.decision == "unmet":
                reviewer[(check.article, check.item, check.part)].add(check.dossier_id)
    return {
        key: {
            "app": len(app[key]),
            "reviewer": len(reviewer[key]),
            "dossiers": len(app[key] | reviewer[key]),
        }
        for key in set(app) | set(reviewer)
    }


def by_county(store: Store, round_id: int | None) -> dict[str, list[int]]:
    """county → [dossiers, approved, certified]; across rounds named 城市·县区."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    with store.read() as session:
        approved = {
            x.dossier_id for x in session.scalars(select(Decision)) if x.decision == "approved"
        }
        certified = {c.dossier_id for c in session.scalars(select(Certificate))}
        for d in session.scalars(select(Dossier)):
            if not d.versions or (round_id is not None and d.round_id != round_id):
                continue
            name = _newest(d).county or "（未填报）"
            if round_id is None:
                name = f"{get_rulebook(d.round.rulebook_id).city}·{name}"
            out[name][0] += 1
            out[name][1] += d.id in approved
            out[name][2] += d.id in certified
    return dict(out)


def scoring(store: Store, round_id: int) -> dict[str, Any]:
    """Per expert: their totals summed from Score rows; per dossier: the score summary."""
    summary = {s.uscc: s for s in score_summary(store, round_id) if s.scores}
    totals: dict[str, list[Decimal]] = defaultdict(list)
    per: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    with store.read() as session:
        for score in session.scalars(select(Score)):
            expert = session.get(Expert, score.expert_id)
            assert expert is not None
            if expert.round_id == round_id:
                per[(expert.name, score.dossier_id)] += score.points
    for (name, _), total in per.items():
        totals[name].append(total)
    aggregates = {s.dossier_id: s.aggregate for s in summary.values()}
    deviation = {
        name: statistics.fmean(
            float(total - agg)
            for (n, d), total in per.items()
            if n == name and (agg := aggregates.get(d)) is not None
        )
        for name in totals
    }
    return {"summary": summary, "totals": totals, "deviation": deviation}


def register(store: Store, round_id: int | None, as_of: date) -> dict[str, Any]:
    rows = register_rows(store, as_of)
    with store.read() as session:
        certs = list(session.scalars(select(Certificate)))
        names = {}
        for c in certs:
            dossier = session.get(Dossier, c.dossier_id)
            assert dossier is not None
            names[c.number] = dossier.round_id
    if round_id is not None:
        rows = [r for r in rows if names[r.number] == round_id]
        certs = [c for c in certs if names[c.number] == round_id]
    status = Counter(r.status for r in rows)
    months: Counter[str] = Counter()
    for c in certs:
        revoked = c.revoked_on is not None and c.revoked_on <= as_of
        ahead = (c.valid_until.year - as_of.year) * 12 + c.valid_until.month - as_of.month
        if not revoked and c.valid_until >= as_of and 0 <= ahead < 36:
            months[f"{c.valid_until.year}-{c.valid_until.month:02d}"] += 1
    return {
        "certificates": len(rows),
        "status": {
            "valid": status["有效"],
            "expiring": status["即将到期"],
            "expired": status["已到期"],
            "revoked": status["已撤销"],
        },
        "reports_overdue": sum(len(r.reports_overdue) for r in rows),
        "platforms_with_overdue": sum(1 for r in rows if r.reports_overdue),
        "certified_by_year": dict(Counter(c.certified_on.year for c in certs)),
        "revocations_by_year": dict(
            Counter(
                c.revoked_on.year
                for c in certs
                if c.revoked_on is not None and c.revoked_on <= as_of
            )
        ),
        "expiring": dict(months),
    }
