"""A round's experts (评审专家) and their declared conflicts (回避); finding a dossier by its code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sme_review_desktop.errors import NotFound
from sme_review_desktop.models import (
    Applicant,
    Conflict,
    Dossier,
    Expert,
    Score,
)
from sme_review_desktop.rounds import find_dossier, get_round
from sme_review_desktop.scoring.scheme import ScoringError, ensure_scheme
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import Store


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
        # The scheme is fixed here, by staff, not at an expert's first score: on the server an
        # expert login may write scores, never criteria (store/server_roles).
        ensure_scheme(session, round_id)
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


def expert_names(store: Store, round_id: int) -> list[str]:
    with store.read() as session:
        return list(
            session.scalars(
                select(Expert.name).where(Expert.round_id == round_id).order_by(Expert.id)
            )
        )


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
