"""Scoring schemes, experts with their conflicts (回避), score entry, the summary, decisions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sme_review_desktop.errors import NotFound, UserError
from sme_review_desktop.models import (
    Applicant,
    Conflict,
    Criterion,
    Decision,
    Dossier,
    DossierVersion,
    Expert,
    Publicity,
    Round,
    Score,
)
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.aggregate import TRIM_FROM, aggregate, expert_totals, outliers, rank
from sme_review_desktop.store import audit
from sme_review_desktop.store.concurrency import refuse_stale
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbers import plain

DEFAULT_SCHEME: tuple[tuple[str, int, str], ...] = (
    ("基本条件", 20, "法人资格、运营年限、资产与财务状况、管理制度"),
    ("服务能力", 25, "服务场所设施、人才队伍、集聚服务资源的能力"),
    ("服务业绩", 25, "服务企业数量与质量、用户满意度、增长情况"),
    ("示范带动", 15, "公益性服务、对小微企业的优惠、在区域或行业内的影响"),
    ("特色创新", 15, "服务模式创新、线上线下结合、供需精准对接"),
)
DECISION_LABELS = {"approved": "拟认定", "rejected": "不予认定", "pool": "纳入培育库"}


class ScoringError(UserError):
    """A score, scheme or decision the rules do not allow."""


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    max_points: Decimal
    guidance: str = ""


def _decimal(text: object, what: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ScoringError(f"{what}“{text}”不是数字。") from None
    if not value.is_finite():
        raise ScoringError(f"{what}“{text}”不是数字。")
    return value


def criteria(session: Session, round_id: int) -> list[Criterion]:
    return list(
        session.scalars(
            select(Criterion).where(Criterion.round_id == round_id).order_by(Criterion.position)
        )
    )


def has_scores(session: Session, round_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count(Score.id))
            .join(Expert, Expert.id == Score.expert_id)
            .where(Expert.round_id == round_id)
        )
    )


def ensure_scheme(session: Session, round_id: int) -> list[Criterion]:
    """The round's criteria; a round without a scheme gets the default one (totals 100)."""
    found = criteria(session, round_id)
    if found:
        return found
    for n, (name, points, guidance) in enumerate(DEFAULT_SCHEME):
        session.add(
            Criterion(
                round_id=round_id,
                position=n,
                name=name,
                max_points=Decimal(points),
                guidance=guidance,
            )
        )
    session.flush()
    return criteria(session, round_id)


def set_scheme(store: Store, round_id: int, specs: list[CriterionSpec], actor: str) -> None:
    """Replace the scheme; refused once the first score is entered (the scheme is then frozen)."""
    if not specs:
        raise ScoringError("评分方案至少需要一项评分指标。")
    names = [s.name.strip() for s in specs]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise ScoringError("评分指标名称不能为空，也不能重复。")
    if any(s.max_points <= 0 for s in specs):
        raise ScoringError("每项评分指标的满分必须大于0。")
    with store.write() as session:
        rnd = get_round(session, round_id)
        if has_scores(session, round_id):
            raise ScoringError("已有专家评分，评分方案已冻结，不能再修改。")
        before = [{"name": c.name, "max": str(c.max_points)} for c in criteria(session, round_id)]
        session.execute(delete(Criterion).where(Criterion.round_id == round_id))
        for n, s in enumerate(specs):
            session.add(
                Criterion(
                    round_id=round_id,
                    position=n,
                    name=s.name.strip(),
                    max_points=s.max_points,
                    guidance=s.guidance,
                )
            )
        audit.record(
            session,
            actor,
            "scoring.scheme",
            round_id=rnd.id,
            before={"criteria": before},
            after={"criteria": [{"name": s.name, "max": str(s.max_points)} for s in specs]},
        )


def save_scheme_template(path: Path, specs: list[CriterionSpec]) -> None:
    """A reusable scheme (JSON), e.g. under the data folder's 评分方案/."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {"name": s.name, "max_points": str(s.max_points), "guidance": s.guidance} for s in specs
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


def load_scheme_template(path: Path) -> list[CriterionSpec]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [
            CriterionSpec(r["name"], _decimal(r["max_points"], "满分"), r.get("guidance", ""))
            for r in rows
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ScoringError(f"无法读取评分方案模板 {path.name}：{exc}") from exc


def add_expert(store: Store, round_id: int, name: str, actor: str, organisation: str = "") -> int:
    name = name.strip()
    if not name:
        raise ScoringError("专家姓名不能为空。")
    with store.write() as session:
        get_round(session, round_id)
        existing = session.scalars(
            select(Expert).where(Expert.round_id == round_id, Expert.name == name)
        ).first()
        if existing:
            return existing.id
        expert = Expert(round_id=round_id, name=name, organisation=organisation)
        session.add(expert)
        session.flush()
        audit.record(
            session,
            actor,
            "expert.add",
            round_id=round_id,
            after={"name": name, "organisation": organisation},
        )
        return expert.id


def find_expert(session: Session, round_id: int, name: str) -> Expert:
    expert = session.scalars(
        select(Expert).where(Expert.round_id == round_id, Expert.name == name.strip())
    ).first()
    if expert is None:
        raise NotFound(f"本批次没有名为“{name}”的专家。")
    return expert


def find_dossier(session: Session, round_id: int, uscc: str) -> Dossier:
    dossier = session.scalars(
        select(Dossier)
        .join(Applicant)
        .where(Dossier.round_id == round_id, Applicant.uscc == uscc.strip().upper())
    ).first()
    if dossier is None:
        raise NotFound(f"本批次没有统一社会信用代码为 {uscc} 的申报材料。")
    return dossier


def declare_conflict(
    store: Store, round_id: int, expert_name: str, uscc: str, reason: str, actor: str
) -> None:
    """回避: the expert will not score this applicant; the absence is shown everywhere."""
    with store.write() as session:
        expert = find_expert(session, round_id, expert_name)
        dossier = find_dossier(session, round_id, uscc)
        scored = session.scalar(
            select(func.count(Score.id)).where(
                Score.expert_id == expert.id, Score.dossier_id == dossier.id
            )
        )
        if scored:
            raise ScoringError(f"专家“{expert.name}”已为该单位评分；如需回避，请先由组长更正评分。")
        if session.scalars(
            select(Conflict).where(
                Conflict.expert_id == expert.id, Conflict.dossier_id == dossier.id
            )
        ).first():
            return
        session.add(Conflict(expert_id=expert.id, dossier_id=dossier.id, reason=reason))
        audit.record(
            session,
            actor,
            "expert.conflict",
            round_id=round_id,
            dossier_id=dossier.id,
            after={"expert": expert.name, "reason": reason},
        )


def conflicted_dossiers(session: Session, expert_id: int) -> set[int]:
    return set(session.scalars(select(Conflict.dossier_id).where(Conflict.expert_id == expert_id)))


def frozen_reason(session: Session, rnd: Round) -> str | None:
    """Why scores and decisions are read-only now: the list is public, or the round is locked."""
    if rnd.locked_at is not None:
        return "该批次已认定并锁定"
    publicity = session.scalars(select(Publicity).where(Publicity.round_id == rnd.id)).first()
    if publicity is not None:
        return f"该批次结果已于{publicity.start.isoformat()}公示"
    return None


def check_open(session: Session, rnd: Round) -> None:
    why = frozen_reason(session, rnd)
    if why:
        raise ScoringError(f"{why}，评分和认定决定只读；如需更改，请使用“更正”并写明理由。")


def enter_scores(
    store: Store,
    round_id: int,
    expert_name: str,
    uscc: str,
    points: dict[str, Decimal | None],
    actor: str,
    *,
    expected_versions: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Enter (or clear, with None) one expert's points per criterion name for one dossier.

    ``expected_versions`` (criterion → ``GridRow.versions``, "" for no score) is what the
    reviewer saw: a score changed since is refused with an EditConflict. Returns the new
    versions of this expert's scores for the dossier.
    """
    with store.write() as session:
        check_open(session, get_round(session, round_id))
        expert = find_expert(session, round_id, expert_name)
        dossier = find_dossier(session, round_id, uscc)
        apply_scores(session, expert, dossier, points, actor, expected_versions=expected_versions)
        return _score_versions(session, expert.id, dossier.id)


def apply_scores(
    session: Session,
    expert: Expert,
    dossier: Dossier,
    points: dict[str, Decimal | None],
    actor: str,
    *,
    action: str = "score.enter",
    why: str | None = None,
    expected_versions: Mapping[str, str] | None = None,
) -> bool:
    """Within the caller's transaction: check and store one expert's points for one dossier.

    Returns whether anything changed; ``action``/``why`` mark a 更正 in the audit log.
    """
    if dossier.id in conflicted_dossiers(session, expert.id):
        raise ScoringError(f"专家“{expert.name}”已声明与该单位存在利害关系（回避），不能为其评分。")
    by_name = {c.name: c for c in ensure_scheme(session, expert.round_id)}
    for name, value in points.items():
        criterion = by_name.get(name)
        if criterion is None:
            raise ScoringError(f"评分方案中没有“{name}”这一项。")
        if value is not None and not (0 <= value <= criterion.max_points):
            raise ScoringError(
                f"“{name}”的分数{plain(value)}超出范围：应在0到{plain(criterion.max_points)}分之间。"
            )
    before = _expert_points(session, expert.id, dossier.id)
    for name, value in points.items():
        criterion = by_name[name]
        score = session.scalars(
            select(Score).where(
                Score.expert_id == expert.id,
                Score.dossier_id == dossier.id,
                Score.criterion_id == criterion.id,
            )
        ).first()
        if expected_versions is not None:
            refuse_stale(
                session,
                current=score.version if score else "",
                expected=expected_versions.get(name, ""),
                subject=f"专家“{expert.name}”对该单位的评分",
                dossier_id=dossier.id,
                touched=lambda e: (e.after or {}).get("expert") == expert.name,
            )
        if value is None:
            if score is not None:
                session.delete(score)
        elif score is None:
            session.add(
                Score(
                    expert_id=expert.id,
                    dossier_id=dossier.id,
                    criterion_id=criterion.id,
                    points=value,
                    entered_by=actor,
                )
            )
        else:
            score.points, score.entered_by = value, actor
    session.flush()
    after = _expert_points(session, expert.id, dossier.id)
    if after == before:
        return False
    audit.record(
        session,
        actor,
        action,
        round_id=expert.round_id,
        dossier_id=dossier.id,
        before={"expert": expert.name, "points": before},
        after={"expert": expert.name, "points": after}
        | ({"correction_reason": why} if why else {}),
    )
    return True


def _score_versions(session: Session, expert_id: int, dossier_id: int) -> dict[str, str]:
    rows = session.execute(
        select(Criterion.name, Score.version)
        .join(Score, Score.criterion_id == Criterion.id)
        .where(Score.expert_id == expert_id, Score.dossier_id == dossier_id)
    )
    return {name: version for name, version in rows}


def _expert_points(session: Session, expert_id: int, dossier_id: int) -> dict[str, str]:
    rows = session.execute(
        select(Criterion.name, Score.points)
        .join(Score, Score.criterion_id == Criterion.id)
        .where(Score.expert_id == expert_id, Score.dossier_id == dossier_id)
    )
    return {name: str(points) for name, points in rows}


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


def check_decision(rnd: Round, decision: str) -> None:
    """Refuse a decision the round's measure does not know (西安 has no 纳入培育库)."""
    allowed = get_rulebook(rnd.rulebook_id).procedure.decisions
    if decision not in allowed:
        names = "、".join(f"{d}（{DECISION_LABELS[d]}）" for d in allowed)
        raise ScoringError(f"本办法的认定决定只能是：{names}。")


def decide(
    store: Store,
    round_id: int,
    uscc: str,
    decision: str,
    reason: str,
    actor: str,
    *,
    expected_revision: int | None = None,
) -> None:
    """The panel's decision: approved (拟认定), rejected (不予认定), pool (纳入培育库, 聊城 only).

    ``expected_revision`` is ``DossierScores.decision_revision`` as the reviewer saw it: a
    decision changed since is refused with an EditConflict.
    """
    with store.write() as session:
        rnd = get_round(session, round_id)
        check_open(session, rnd)
        check_decision(rnd, decision)
        dossier = find_dossier(session, round_id, uscc)
        existing = session.scalars(
            select(Decision).where(Decision.dossier_id == dossier.id)
        ).first()
        refuse_stale(
            session,
            current=existing.version if existing else 0,
            expected=expected_revision,
            subject="该单位的认定决定",
            dossier_id=dossier.id,
            touched=lambda e: e.action.startswith(("decision.", "correction.")),
        )
        write_decision(session, round_id, dossier.id, existing, decision, reason, actor)


def write_decision(
    session: Session,
    round_id: int,
    dossier_id: int,
    existing: Decision | None,
    decision: str,
    reason: str,
    actor: str,
    *,
    action: str = "decision.set",
) -> None:
    """Store a checked decision with its audit entry; a 更正 passes its own action."""
    before = {"decision": existing.decision, "reason": existing.reason} if existing else None
    if existing is None:
        session.add(
            Decision(dossier_id=dossier_id, decision=decision, reason=reason, decided_by=actor)
        )
    else:
        existing.decision, existing.reason, existing.decided_by = decision, reason, actor
    after = {"decision": decision, "reason": reason}
    if action != "decision.set":
        after["correction_reason"] = reason
    audit.record(
        session, actor, action, round_id=round_id, dossier_id=dossier_id, before=before, after=after
    )


@dataclass(frozen=True)
class GridRow:
    dossier_id: int
    uscc: str
    platform_name: str
    conflicted: bool
    points: dict[str, Decimal]  # criterion name → points
    versions: dict[str, str] = field(default_factory=dict)  # criterion name → score version


def expert_grid(
    store: Store, round_id: int, expert_name: str
) -> tuple[list[CriterionSpec], list[GridRow]]:
    """One expert's scoring grid: the round's criteria and every dossier with that expert's points."""
    with store.write() as session:  # the default scheme may be created on first use
        expert = find_expert(session, round_id, expert_name)
        specs = [
            CriterionSpec(c.name, c.max_points, c.guidance)
            for c in ensure_scheme(session, round_id)
        ]
        conflicts = conflicted_dossiers(session, expert.id)
        points: dict[int, dict[str, Decimal]] = {}
        versions: dict[int, dict[str, str]] = {}
        for dossier_id, name, value, version in session.execute(
            select(Score.dossier_id, Criterion.name, Score.points, Score.version)
            .join(Criterion, Criterion.id == Score.criterion_id)
            .where(Score.expert_id == expert.id)
        ):
            points.setdefault(dossier_id, {})[name] = Decimal(str(value))
            versions.setdefault(dossier_id, {})[name] = version
        rows = []
        for dossier in session.scalars(
            select(Dossier).where(Dossier.round_id == round_id).order_by(Dossier.id)
        ):
            if not dossier.versions:
                continue
            rows.append(
                GridRow(
                    dossier.id,
                    dossier.applicant.uscc,
                    dossier.versions[-1].platform_name,
                    dossier.id in conflicts,
                    points.get(dossier.id, {}),
                    versions.get(dossier.id, {}),
                )
            )
        return specs, rows


def expert_names(store: Store, round_id: int) -> list[str]:
    with store.read() as session:
        return list(
            session.scalars(
                select(Expert.name).where(Expert.round_id == round_id).order_by(Expert.id)
            )
        )


def scheme_specs(store: Store, round_id: int) -> tuple[list[CriterionSpec], bool]:
    """The round's criteria and whether they are frozen (a score exists)."""
    with store.write() as session:
        specs = [
            CriterionSpec(c.name, c.max_points, c.guidance)
            for c in ensure_scheme(session, round_id)
        ]
        return specs, has_scores(session, round_id)


@dataclass(frozen=True)
class ConflictInfo:
    expert: str
    uscc: str
    platform_name: str
    reason: str


def list_conflicts(store: Store, round_id: int) -> list[ConflictInfo]:
    with store.read() as session:
        rows = session.execute(
            select(Expert.name, Applicant.uscc, Conflict.reason, Dossier.id)
            .join(Conflict, Conflict.expert_id == Expert.id)
            .join(Dossier, Dossier.id == Conflict.dossier_id)
            .join(Applicant, Applicant.id == Dossier.applicant_id)
            .where(Expert.round_id == round_id)
            .order_by(Expert.name)
        ).all()
        out = []
        for name, uscc, reason, dossier_id in rows:
            dossier = session.get(Dossier, dossier_id)
            platform = dossier.versions[-1].platform_name if dossier and dossier.versions else ""
            out.append(ConflictInfo(name, uscc, platform, reason))
        return out
