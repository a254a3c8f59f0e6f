"""The panel's decisions (拟认定 / 不予认定 / 纳入培育库), one transaction each with its audit entry."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sme_review_desktop.models import (
    Decision,
    DossierVersion,
    Round,
)
from sme_review_desktop.models.base import utcnow
from sme_review_desktop.rounds import find_dossier, get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.approval import check_approval
from sme_review_desktop.scoring.entry import check_open
from sme_review_desktop.scoring.scheme import ScoringError
from sme_review_desktop.store import audit
from sme_review_desktop.store.concurrency import refuse_stale
from sme_review_desktop.store.database import Store

DECISION_LABELS = {"approved": "拟认定", "rejected": "不予认定", "pool": "纳入培育库"}


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
    override: str | None = None,
) -> str | None:
    """The panel's decision: approved (拟认定), rejected (不予认定), pool (纳入培育库, 聊城 only).

    拟认定 must follow from the record (``approval.check_approval``); ``override`` is the reason
    of an exception (例外认定) that records it anyway, flagged wherever the decision shows.
    不予认定 and 纳入培育库 are possible at any time. ``expected_revision`` is
    ``DossierScores.decision_revision`` as the reviewer saw it: a decision changed since is
    refused with an EditConflict. Returns the exception's reason when one was recorded (an
    override given for an approval the record supports is not an exception).
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
        covered = check_approval(session, rnd, dossier, override) if decision == "approved" else []
        exception = override.strip() if covered and override else None
        write_decision(
            session,
            round_id,
            dossier.id,
            existing,
            decision,
            reason,
            actor,
            exception=exception,
            covers=[u.message for u in covered],
        )
        return exception


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
    exception: str | None = None,
    covers: list[str] | None = None,
) -> None:
    """Store a checked decision with its audit entry; a 更正 passes its own action.

    The decision is dated to the dossier's newest version (a newer one makes it stale);
    ``exception`` is a 例外认定's reason and ``covers`` what the record lacked.
    """
    before: dict[str, object] | None = None
    if existing is not None:
        before = {"decision": existing.decision, "reason": existing.reason}
        if existing.override_reason:
            before["exception"] = existing.override_reason
    newest = session.scalar(
        select(func.max(DossierVersion.number)).where(DossierVersion.dossier_id == dossier_id)
    )
    if existing is None:
        existing = Decision(dossier_id=dossier_id)
        session.add(existing)
    existing.decision, existing.reason, existing.decided_by = decision, reason, actor
    existing.decided_on_version, existing.override_reason = newest, exception
    existing.decided_at = utcnow()
    after: dict[str, object] = {"decision": decision, "reason": reason, "version": newest}
    if exception:
        after["exception"] = exception
        after["unmet"] = covers or []
    if action != "decision.set":
        after["correction_reason"] = reason
    audit.record(
        session, actor, action, round_id=round_id, dossier_id=dossier_id, before=before, after=after
    )
