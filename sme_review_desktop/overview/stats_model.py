"""The numbers behind the 概览 and the 统计报告, as frozen dataclasses.

One object per scope (a round, all rounds); the app's charts, the 统计报告 PDF and
``sme-review stats --json`` all read the same object, so they always show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

SUGGESTIONS = (("met", "符合"), ("review", "待核"), ("unmet", "不符合"))


NO_COUNTY = "（未填报）"


EXPIRY_MONTHS = 36


OP_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def round2(value: float | Decimal) -> float:
    return round(float(value), 2)


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
    exceptions: int = 0  # approvals recorded as 例外认定 (the record did not support them)

    def to_json(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "formal_complete": self.formal_complete,
            "suggestion": dict(self.suggestion),
            "decision": dict(self.decision),
            "publicised": self.publicised,
            "certified": self.certified,
            "exceptions": self.exceptions,
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
