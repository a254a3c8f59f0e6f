"""Round statistics (概览 and 统计报告): the numbers behind every chart, counted in SQL.

One function per scope returns frozen dataclasses; the app's charts, the 统计报告 PDF and
``sme-review stats --json`` all read the same object, so they always show the same numbers.

Counting is done by the database (group-by and count queries over the newest version of each
dossier) and never by loading every dossier as ORM objects. The one exception is what the rule
engine decides — the app's suggestion (系统建议) and which clauses it finds unmet — which is not
stored: it is computed from the declared figures, read as plain (version, key, value) rows, and
kept in a process-wide cache keyed by the version (versions never change once imported), so
only new imports are evaluated again when the overview refreshes.
"""

from __future__ import annotations

import calendar
import statistics
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, case, extract, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from sme_review_desktop.importing.figures import decode
from sme_review_desktop.models import (
    Applicant,
    AuditEntry,
    Certificate,
    ConditionCheck,
    Decision,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceFile,
    Expert,
    Publicity,
    ReportDue,
    Round,
    Score,
)
from sme_review_desktop.overview.dossier_list import DECISION_LABELS
from sme_review_desktop.register.platforms import EXPIRING_DAYS
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.engine import Applicant as EngineApplicant
from sme_review_desktop.rules.engine import Verdict, evaluate
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.rules.rulebook import Part, Rulebook, get_rulebook
from sme_review_desktop.rules.uscc import implied_legal_form
from sme_review_desktop.scoring.aggregate import TRIM_FROM, aggregate, expert_totals, outliers, rank
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbering import clause_label
from sme_review_desktop.text.numbers import plain

SUGGESTIONS = (("met", "符合"), ("review", "待核"), ("unmet", "不符合"))
NO_COUNTY = "（未填报）"
EXPIRY_MONTHS = 36
_OP_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _r2(value: float | Decimal) -> float:
    return round(float(value), 2)


# ---- the dataclasses -------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRef:
    id: int
    name: str
    rulebook_id: str
    rulebook_title: str
    reference_date: date

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "rulebook": self.rulebook_id,
            "rulebook_title": self.rulebook_title,
            "reference_date": self.reference_date.isoformat(),
        }


@dataclass(frozen=True)
class Funnel:
    """From received to certified; each count is of dossiers (newest version of each)."""

    received: int
    formal_complete: int  # 形式审查: every required material present
    suggestion: dict[str, int]  # met / review / unmet (the app's overall suggestion)
    decision: dict[str, int]  # approved / rejected / pool (the measure's), and undecided
    publicised: int  # on the publicity list (拟认定 once publicity has started)
    certified: int  # a certificate was issued

    def to_json(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "formal_complete": self.formal_complete,
            "suggestion": dict(self.suggestion),
            "decision": dict(self.decision),
            "publicised": self.publicised,
            "certified": self.certified,
        }


@dataclass(frozen=True)
class Shortfall:
    """One clause of the measure and how many dossiers fall short of it."""

    article: int
    item: int
    part: str  # the rulebook's part id; "" is the item as a whole
    clause: str  # 第七条（三）
    text: str  # 年服务中小企业80家以上
    threshold: str | None  # ≥80家; None for a reviewer's judgment
    app: int  # dossiers the app finds unmet
    reviewer: int  # dossiers a reviewer decided 不符合
    dossiers: int  # either of the two (each dossier once)

    @property
    def label(self) -> str:
        return f"{self.clause} {self.text}"

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "item": self.item,
            "part": self.part,
            "clause": self.clause,
            "text": self.text,
            "label": self.label,
            "threshold": self.threshold,
            "app": self.app,
            "reviewer": self.reviewer,
            "dossiers": self.dossiers,
        }


@dataclass(frozen=True)
class CountyRow:
    county: str
    dossiers: int
    approved: int
    certified: int

    def to_json(self) -> dict[str, Any]:
        return {
            "county": self.county,
            "dossiers": self.dossiers,
            "approved": self.approved,
            "certified": self.certified,
        }


@dataclass(frozen=True)
class Spread:
    """The distribution of one expert's totals (or of the panel's aggregates)."""

    name: str
    count: int
    minimum: float | None
    q1: float | None
    median: float | None
    q3: float | None
    maximum: float | None
    mean: float | None
    mean_deviation: float | None = None  # the expert's total minus the dossier's aggregate
    flagged: int = 0  # dossiers where this expert's total was flagged (偏离)
    totals: tuple[float, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "count": self.count,
            "min": self.minimum,
            "q1": self.q1,
            "median": self.median,
            "q3": self.q3,
            "max": self.maximum,
            "mean": self.mean,
            "mean_deviation": self.mean_deviation,
            "flagged": self.flagged,
            "totals": list(self.totals),
        }


@dataclass(frozen=True)
class DossierScore:
    dossier_id: int
    uscc: str
    platform_name: str
    scores: tuple[tuple[str, float], ...]  # expert → total, in the experts' order
    aggregate: float | None
    rank: int | None
    outliers: tuple[str, ...]  # experts more than 15 points from the others' mean

    def to_json(self) -> dict[str, Any]:
        return {
            "uscc": self.uscc,
            "platform_name": self.platform_name,
            "scores": dict(self.scores),
            "aggregate": self.aggregate,
            "rank": self.rank,
            "outliers": list(self.outliers),
        }


@dataclass(frozen=True)
class ScoringStats:
    experts: tuple[Spread, ...]
    panel: Spread | None  # the aggregates of the scored dossiers
    dossiers: tuple[DossierScore, ...]  # scored dossiers, by rank

    def to_json(self) -> dict[str, Any]:
        return {
            "experts": [e.to_json() for e in self.experts],
            "panel": self.panel.to_json() if self.panel else None,
            "dossiers": [d.to_json() for d in self.dossiers],
        }


@dataclass(frozen=True)
class RegisterStats:
    """Certificates as of a day: one round's (scope "round") or every round's ("all")."""

    scope: str
    as_of: date
    certified_by_year: tuple[tuple[int, int], ...]  # year, certificates issued
    expiring_by_month: tuple[tuple[str, int], ...]  # "2027-03", validity ending that month
    status: dict[str, int]  # valid / expiring (≤90 days) / expired / revoked
    reports_overdue: int  # reports due before as_of and not received by then
    platforms_with_overdue: int
    revocations_by_year: tuple[tuple[int, int], ...]

    @property
    def certificates(self) -> int:
        return sum(self.status.values())

    @property
    def revoked(self) -> int:
        return self.status["revoked"]

    def to_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "as_of": self.as_of.isoformat(),
            "certificates": self.certificates,
            "certified_by_year": [{"year": y, "count": n} for y, n in self.certified_by_year],
            "expiring_by_month": [{"month": m, "count": n} for m, n in self.expiring_by_month],
            "status": dict(self.status),
            "reports_overdue": self.reports_overdue,
            "platforms_with_overdue": self.platforms_with_overdue,
            "revoked": self.revoked,
            "revocations_by_year": [{"year": y, "count": n} for y, n in self.revocations_by_year],
        }


@dataclass(frozen=True)
class RoundStats:
    """Everything the 概览 of one round shows."""

    round: RoundRef
    as_of: date
    funnel: Funnel
    decisions: tuple[str, ...]  # the measure's decisions, in its order
    shortfalls: tuple[Shortfall, ...]  # clauses with at least one dossier short, most first
    by_county: tuple[CountyRow, ...]
    scoring: ScoringStats
    register: RegisterStats

    def to_json(self) -> dict[str, Any]:
        return {
            "scope": "round",
            "as_of": self.as_of.isoformat(),
            "round": self.round.to_json(),
            "funnel": self.funnel.to_json(),
            "shortfalls": [s.to_json() for s in self.shortfalls],
            "by_county": [c.to_json() for c in self.by_county],
            "scoring": self.scoring.to_json(),
            "register": self.register.to_json(),
        }


@dataclass(frozen=True)
class RoundRow:
    """One round in the comparison across rounds."""

    round: RoundRef
    received: int
    approved: int
    certified: int

    def to_json(self) -> dict[str, Any]:
        return {
            **self.round.to_json(),
            "received": self.received,
            "approved": self.approved,
            "certified": self.certified,
        }


@dataclass(frozen=True)
class OverallStats:
    """The 概览 across rounds: the rounds side by side, counties, the whole register."""

    as_of: date
    rounds: tuple[RoundRow, ...]
    by_county: tuple[CountyRow, ...]
    register: RegisterStats

    def to_json(self) -> dict[str, Any]:
        return {
            "scope": "all",
            "as_of": self.as_of.isoformat(),
            "rounds": [r.to_json() for r in self.rounds],
            "by_county": [c.to_json() for c in self.by_county],
            "register": self.register.to_json(),
        }


@dataclass(frozen=True)
class Selection:
    """What a click on a chart asks for: the dossiers behind one bar, and how to name them."""

    kind: str  # funnel / shortfall / county
    key: tuple[str | int, ...]
    label: str


# ---- queries on the newest versions ----------------------------------------------------------


def _newest(round_id: int | None) -> Subquery:
    """(dossier_id, number) of the newest version of each dossier, of one round or all."""
    q = select(
        DossierVersion.dossier_id.label("dossier_id"),
        func.max(DossierVersion.number).label("number"),
    ).group_by(DossierVersion.dossier_id)
    if round_id is not None:
        q = q.join(Dossier, Dossier.id == DossierVersion.dossier_id).where(
            Dossier.round_id == round_id
        )
    return q.subquery()


def _versions(round_id: int | None, *columns: Any) -> Select[Any]:
    """A select of ``columns`` over the newest version of each dossier (DossierVersion joined)."""
    newest = _newest(round_id)
    return select(*columns).join_from(
        DossierVersion,
        newest,
        and_(
            DossierVersion.dossier_id == newest.c.dossier_id,
            DossierVersion.number == newest.c.number,
        ),
    )


def _formal_complete(round_id: int, book: Rulebook) -> Select[Any]:
    """Dossier ids whose newest version has every required material (形式审查 passed)."""
    required = [m.number for m in book.materials if m.required]
    if not required:
        return _versions(round_id, DossierVersion.dossier_id)
    return (
        _versions(round_id, DossierVersion.dossier_id)
        .join(EvidenceFile, EvidenceFile.version_id == DossierVersion.id)
        .where(EvidenceFile.material_number.in_(required))
        .group_by(DossierVersion.dossier_id)
        .having(func.count(func.distinct(EvidenceFile.material_number)) == len(required))
    )


def _pairs(session: Session, query: Select[Any]) -> dict[Any, int]:
    """A two-column query (key, count) as a dict."""
    return {key: int(n or 0) for key, n in session.execute(query)}


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


# ---- the rule engine's verdicts, cached per version ------------------------------------------


@dataclass(frozen=True)
class _Verdicts:
    overall: str
    unmet: frozenset[tuple[int, int, str]]


_CACHE: dict[tuple[Any, ...], _Verdicts] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_LIMIT = 100_000  # versions; a few hundred bytes each


def _chunks(values: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _evaluate_versions(
    session: Session, book: Rulebook, rnd: Round, rows: Sequence[Any]
) -> dict[int, _Verdicts]:
    """Run the engine on versions (rows of id, legal_form, platform_type, uscc)."""
    figures: dict[int, dict[str, Any]] = defaultdict(dict)
    materials: dict[int, set[int]] = defaultdict(set)
    ids = [r.id for r in rows]
    for chunk in _chunks(ids):
        for vid, key, value in session.execute(
            select(DeclaredFigure.version_id, DeclaredFigure.key, DeclaredFigure.value).where(
                DeclaredFigure.version_id.in_(chunk)
            )
        ):
            figures[vid][key] = decode(key, value)
        for vid, number in session.execute(
            select(EvidenceFile.version_id, EvidenceFile.material_number)
            .where(EvidenceFile.version_id.in_(chunk), EvidenceFile.material_number.is_not(None))
            .distinct()
        ):
            materials[vid].add(number)
    out: dict[int, _Verdicts] = {}
    for r in rows:
        applicant = EngineApplicant(
            uscc=r.uscc,
            legal_form=r.legal_form or None,
            implied_legal_form=implied_legal_form(r.uscc),
            platform_type=r.platform_type or None,
        )
        ev = evaluate(book, figures[r.id], applicant, rnd.reference_date, materials[r.id])
        unmet = frozenset(
            (item.article, item.item, part.id)
            for item in ev.items
            if item.applicable
            for part in item.parts
            if part.verdict is Verdict.UNMET
        )
        out[r.id] = _Verdicts(ev.overall.value, unmet)
    return out


def _verdicts(store: Store, session: Session, rnd: Round, book: Rulebook) -> dict[int, _Verdicts]:
    """The engine's verdicts on the newest version of each dossier of the round, by dossier."""
    rows = session.execute(
        _versions(
            rnd.id,
            DossierVersion.id,
            DossierVersion.dossier_id,
            DossierVersion.imported_at,
            DossierVersion.legal_form,
            DossierVersion.platform_type,
            Applicant.uscc,
        )
        .join(Dossier, Dossier.id == DossierVersion.dossier_id)
        .join(Applicant, Applicant.id == Dossier.applicant_id)
    ).all()
    # A version never changes once imported; a restored backup may reuse an id, but then not
    # with the same import time. The round's reference date and the measure's text go in too.
    where = (str(store.engine.url), str(store.data_dir), book.sha256, rnd.reference_date)

    def key(r: Any) -> tuple[Any, ...]:
        stamp = r.imported_at.isoformat() if isinstance(r.imported_at, datetime) else r.imported_at
        return (*where, r.id, stamp, r.uscc, r.legal_form, r.platform_type)

    with _CACHE_LOCK:
        known = {r.id: _CACHE[key(r)] for r in rows if key(r) in _CACHE}
    missing = [r for r in rows if r.id not in known]
    if missing:
        fresh = _evaluate_versions(session, book, rnd, missing)
        with _CACHE_LOCK:
            if len(_CACHE) + len(fresh) > _CACHE_LIMIT:
                _CACHE.clear()
            for r in missing:
                _CACHE[key(r)] = fresh[r.id]
        known.update(fresh)
    return {r.dossier_id: known[r.id] for r in rows}


# ---- the measure's clauses -------------------------------------------------------------------


def _threshold(part: Part) -> str | None:
    fields = field_catalogue()

    def unit(key: str | None) -> str:
        return (fields[key].unit or "") if key and key in fields else ""

    sign = _OP_SIGNS.get(part.op, part.op)
    if part.judge:
        return None
    if part.check == "compare" and part.value is not None:
        text = f"{sign}{plain(part.value)}{unit(part.field)}"
        if part.relaxed:
            forms = "、".join(part.relaxed.legal_forms)
            text += f"（{forms}{sign}{plain(part.relaxed.value)}{unit(part.field)}）"
        return text
    if part.check == "ratio" and part.value is not None:
        return f"占比{sign}{plain(part.value)}%"
    if part.check == "years_since" and part.value is not None:
        return f"运营{sign}{plain(part.value)}年"
    if part.check == "growth":
        return "较上年增长"
    if part.check == "flag":
        return "是"
    if part.check == "region":
        return "本市登记"
    if part.check == "any_of":
        groups = [
            "且".join(t for t in (_threshold(p) for p in group) if t) for group in part.groups
        ]
        return "；或".join(g for g in groups if g) or None
    return None


@dataclass(frozen=True)
class _Clause:
    order: int
    text: str
    threshold: str | None


def _clauses(book: Rulebook) -> dict[tuple[int, int, str], _Clause]:
    """Every clause a dossier can fall short of, in the measure's order."""
    out: dict[tuple[int, int, str], _Clause] = {}

    def add(key: tuple[int, int, str], text: str, threshold: str | None) -> None:
        if key not in out:
            out[key] = _Clause(len(out), text, threshold)

    for art in book.conditions:
        if art.rule == "each_declared":
            lead = [i for i in art.items if i.function is None]
            counts = "".join(f"，{t}≥{n}项" for t, n in art.min_declared_by_type.items())
            threshold = f"≥{art.min_declared}项{counts}，每项均须达标"
            add(
                (art.article, 0, "functions"),
                lead[-1].title if lead else "申报服务功能数量",
                threshold,
            )
        elif art.rule != "all":
            lead = [i for i in art.items if i.function is None]
            title = lead[-1].title if lead else "至少满足一项功能要求"
            add((art.article, 0, "functions"), title, "至少一项功能达标")
        for item in art.items:
            add((item.article, item.item, ""), item.title, None)
            number = 0 if art.rule != "all" and item.function is None else item.item
            for part in item.parts:
                add((item.article, number, part.id), part.text, _threshold(part))
    return out


# ---- one round -------------------------------------------------------------------------------


def _round_ref(session: Session, round_id: int) -> tuple[Round, Rulebook, RoundRef]:
    rnd = get_round(session, round_id)
    book = get_rulebook(rnd.rulebook_id)
    return rnd, book, RoundRef(rnd.id, rnd.name, book.id, book.title, rnd.reference_date)


def _funnel(session: Session, rnd: Round, book: Rulebook, verdicts: dict[int, _Verdicts]) -> Funnel:
    received = _count(session, _versions(rnd.id, DossierVersion.dossier_id))
    formal = _count(session, _formal_complete(rnd.id, book))
    suggestion = {key: 0 for key, _ in SUGGESTIONS}
    for v in verdicts.values():
        suggestion[v.overall] += 1
    decided = _pairs(
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


def _shortfall_sets(
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
    app, reviewer = _shortfall_sets(session, rnd, verdicts)
    catalogue = _clauses(book)
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


def _by_county(session: Session, round_id: int | None) -> tuple[CountyRow, ...]:
    """Per county of the newest versions; across rounds a county is named with its city
    (聊城 and 西安 both have a 高新区)."""
    approved = func.sum(case((Decision.decision == "approved", 1), else_=0))
    rows = session.execute(
        _versions(
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
        _r2(ordered[0]),
        _r2(q1),
        _r2(med),
        _r2(q3),
        _r2(ordered[-1]),
        _r2(statistics.fmean(ordered)),
        totals=tuple(_r2(v) for v in ordered),
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
            _versions(
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
                (n, _r2(v)) for n, v in sorted(t.items(), key=lambda kv: order.get(kv[0], 0))
            ),
            aggregate=None if (agg := aggregates[d]) is None else _r2(agg),
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
                mean_deviation=_r2(statistics.fmean(deviations)) if deviations else None,
                flagged=sum(1 for d, _ in mine if name in flags[d]),
            )
        )
    panel_values = [float(a) for a in aggregates.values() if a is not None]
    panel = _spread("评审组汇总分", panel_values) if panel_values else None
    return ScoringStats(tuple(experts), panel, tuple(dossiers))


def _month_start(day: date, months_ahead: int) -> date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return date(index // 12, index % 12 + 1, 1)


def _register(session: Session, round_id: int | None, as_of: date) -> RegisterStats:
    def scoped(q: Select[Any]) -> Select[Any]:
        if round_id is None:
            return q
        return q.join(Dossier, Dossier.id == Certificate.dossier_id).where(
            Dossier.round_id == round_id
        )

    year = extract("year", Certificate.certified_on)
    by_year = session.execute(
        scoped(select(year, func.count(Certificate.id)).group_by(year).order_by(year))
    ).all()
    revoked_now = and_(Certificate.revoked_on.is_not(None), Certificate.revoked_on <= as_of)
    status_expr = case(
        (revoked_now, "revoked"),
        (Certificate.valid_until < as_of, "expired"),
        (Certificate.valid_until <= as_of + timedelta(days=EXPIRING_DAYS), "expiring"),
        else_="valid",
    )
    status = {"valid": 0, "expiring": 0, "expired": 0, "revoked": 0}
    # Grouped outside a subquery: PostgreSQL will not match a CASE with parameters in GROUP BY.
    each = scoped(select(status_expr.label("status"))).subquery()
    for key, n in session.execute(select(each.c.status, func.count()).group_by(each.c.status)):
        status[str(key)] = int(n)
    first = as_of.replace(day=1)
    last_month = _month_start(as_of, EXPIRY_MONTHS - 1)
    last = last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
    vy, vm = extract("year", Certificate.valid_until), extract("month", Certificate.valid_until)
    ending = {
        (int(y), int(m)): int(n)
        for y, m, n in session.execute(
            scoped(
                select(vy, vm, func.count(Certificate.id))
                .where(
                    Certificate.valid_until >= as_of,
                    Certificate.valid_until <= last,
                    ~revoked_now,
                )
                .group_by(vy, vm)
            )
        )
    }
    months = []
    for k in range(EXPIRY_MONTHS):
        start = _month_start(first, k)
        months.append((f"{start.year}-{start.month:02d}", ending.get((start.year, start.month), 0)))
    # As the register counts them: due before the day, not received by then, and a platform
    # revoked by then owes nothing more.
    open_duty = and_(
        ReportDue.due_on < as_of,
        (ReportDue.received_on.is_(None)) | (ReportDue.received_on > as_of),
        ~revoked_now,
    )
    overdue, platforms = session.execute(
        scoped(
            select(func.count(ReportDue.id), func.count(func.distinct(ReportDue.certificate_id)))
            .select_from(ReportDue)
            .join(Certificate, Certificate.id == ReportDue.certificate_id)
            .where(open_duty)
        )
    ).one()
    ryear = extract("year", Certificate.revoked_on)
    revocations = session.execute(
        scoped(
            select(ryear, func.count(Certificate.id))
            .where(revoked_now)
            .group_by(ryear)
            .order_by(ryear)
        )
    ).all()
    return RegisterStats(
        scope="all" if round_id is None else "round",
        as_of=as_of,
        certified_by_year=tuple((int(y), int(n)) for y, n in by_year),
        expiring_by_month=tuple(months),
        status=status,
        reports_overdue=int(overdue or 0),
        platforms_with_overdue=int(platforms or 0),
        revocations_by_year=tuple((int(y), int(n)) for y, n in revocations),
    )


def round_stats(store: Store, round_id: int, as_of: date | None = None) -> RoundStats:
    """The 概览 of one round, as of a day (today by default) for the register's figures."""
    as_of = as_of or date.today()
    with store.read() as session:
        rnd, book, ref = _round_ref(session, round_id)
        verdicts = _verdicts(store, session, rnd, book)
        return RoundStats(
            round=ref,
            as_of=as_of,
            funnel=_funnel(session, rnd, book, verdicts),
            decisions=book.procedure.decisions,
            shortfalls=_shortfalls(session, rnd, book, verdicts),
            by_county=_by_county(session, round_id),
            scoring=_scoring(session, rnd),
            register=_register(session, round_id, as_of),
        )


def overall_stats(store: Store, as_of: date | None = None) -> OverallStats:
    """The 概览 across rounds: each round's counts, all counties, the whole register."""
    as_of = as_of or date.today()
    with store.read() as session:
        received = _pairs(
            session,
            select(Dossier.round_id, func.count(func.distinct(Dossier.id)))
            .join(DossierVersion, DossierVersion.dossier_id == Dossier.id)
            .group_by(Dossier.round_id),
        )
        approved = _pairs(
            session,
            select(Dossier.round_id, func.count(Decision.id))
            .join(Decision, Decision.dossier_id == Dossier.id)
            .where(Decision.decision == "approved")
            .group_by(Dossier.round_id),
        )
        certified = _pairs(
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
            by_county=_by_county(session, None),
            register=_register(session, None, as_of),
        )


# ---- the dossiers behind a bar ---------------------------------------------------------------


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
        rnd, book, _ = _round_ref(session, round_id)
        ids: Iterable[int]
        kind, key = selection.kind, selection.key
        all_ids = _versions(round_id, DossierVersion.dossier_id)
        decided = select(Decision.dossier_id).join(Dossier).where(Dossier.round_id == round_id)
        if kind == "funnel" and key[0] == "received":
            ids = session.scalars(all_ids)
        elif kind == "funnel" and key[0] == "formal_complete":
            ids = session.scalars(_formal_complete(round_id, book))
        elif kind == "funnel" and key[0] == "suggestion":
            verdicts = _verdicts(store, session, rnd, book)
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
            app, reviewer = _shortfall_sets(session, rnd, _verdicts(store, session, rnd, book))
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
