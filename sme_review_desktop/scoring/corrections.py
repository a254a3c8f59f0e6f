"""更正: changing a decision or a score after the results were published, with a stated reason.

Once the publicity list is out, scores and decisions are read-only (``service.check_open``).
A correction is the one way to change them then: it names its reason, and its audit entry
(action ``correction.*``) keeps who, when, before → after and why.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from sme_review_desktop.models import Certificate, Decision, Round
from sme_review_desktop.rounds import find_dossier, get_round
from sme_review_desktop.scoring.decisions import DECISION_LABELS, check_decision, write_decision
from sme_review_desktop.scoring.entry import apply_scores, frozen_reason
from sme_review_desktop.scoring.experts import find_expert
from sme_review_desktop.scoring.scheme import ScoringError
from sme_review_desktop.store.database import Store


def _frozen_round(session: Session, round_id: int) -> Round:
    rnd = get_round(session, round_id)
    if frozen_reason(session, rnd) is None:
        raise ScoringError("该批次结果尚未公示，评分和认定决定可以直接修改，无需更正。")
    return rnd


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < 4:
        raise ScoringError("更正必须写明理由（至少4个字），理由会记入审计记录。")
    return reason


def correct_decision(
    store: Store, round_id: int, uscc: str, decision: str, reason: str, actor: str
) -> None:
    """Change a published decision. A new 拟认定 is refused: it was never publicised."""
    why = _reason(reason)
    with store.write() as session:
        rnd = _frozen_round(session, round_id)
        check_decision(rnd, decision)
        dossier = find_dossier(session, round_id, uscc)
        existing = session.scalars(
            select(Decision).where(Decision.dossier_id == dossier.id)
        ).first()
        old = existing.decision if existing else None
        if old == decision:
            raise ScoringError(f"该单位的认定决定已经是“{DECISION_LABELS[decision]}”，无需更正。")
        if decision == "approved":
            raise ScoringError(
                "公示后不能新增“拟认定”：未经公示的单位不能认定（办法规定须公示）。"
                "如确需认定，请纳入下一批次申报。"
            )
        certified = session.scalars(
            select(Certificate).where(Certificate.dossier_id == dossier.id)
        ).first()
        if certified is not None:
            raise ScoringError(
                f"该单位已认定（证书{certified.number}）：请在示范平台名录中办理撤销，而不是更正决定。"
            )
        write_decision(
            session,
            round_id,
            dossier.id,
            existing,
            decision,
            why,
            actor,
            action="correction.decision",
        )


def correct_scores(
    store: Store,
    round_id: int,
    expert_name: str,
    uscc: str,
    points: dict[str, Decimal | None],
    reason: str,
    actor: str,
) -> None:
    """Change one expert's published points for one dossier (a typing error found later)."""
    why = _reason(reason)
    with store.write() as session:
        _frozen_round(session, round_id)
        expert = find_expert(session, round_id, expert_name)
        dossier = find_dossier(session, round_id, uscc)
        changed = apply_scores(
            session, expert, dossier, points, actor, action="correction.score", why=why
        )
        if not changed:
            raise ScoringError("更正后的分数与原分数相同，无需更正。")
