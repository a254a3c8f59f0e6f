"""Entering scores: per expert and dossier, only while the round's scores are open, with the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sme_review_desktop.models import (
    Criterion,
    Dossier,
    Expert,
    Publicity,
    Round,
    Score,
)
from sme_review_desktop.rounds import find_dossier, get_round
from sme_review_desktop.scoring.experts import conflicted_dossiers, find_expert
from sme_review_desktop.scoring.scheme import CriterionSpec, ScoringError, ensure_scheme
from sme_review_desktop.store import audit
from sme_review_desktop.store.concurrency import refuse_stale
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbers import plain


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
