"""The audit log: who changed what, when, before → after, each entry hash-chained to the last."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sme_review_desktop.models import AuditEntry
from sme_review_desktop.models.base import utcnow

GENESIS = "0" * 64


def _digest(prev: str, at: datetime, actor: str, action: str, payload: dict[str, Any]) -> str:
    # SQLite hands datetimes back without their zone: hash the naive UTC time either way.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    body = json.dumps(
        {
            "prev": prev,
            "at": at.isoformat(timespec="seconds"),
            "actor": actor,
            "action": action,
            **payload,
        },
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    round_id: int | None = None,
    dossier_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (so it commits or rolls back with the change)."""
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    at = utcnow().replace(microsecond=0)
    payload = {"round_id": round_id, "dossier_id": dossier_id, "before": before, "after": after}
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        round_id=round_id,
        dossier_id=dossier_id,
        before=before,
        after=after,
        prev_hash=prev,
        hash=_digest(prev, at, actor, action, payload),
    )
    session.add(entry)
    session.flush()
    return entry


def verify_chain(session: Session) -> list[str]:
    """Problems with the chain, in Chinese; empty when every entry still hashes as written."""
    problems: list[str] = []
    prev = GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        payload = {
            "round_id": entry.round_id,
            "dossier_id": entry.dossier_id,
            "before": entry.before,
            "after": entry.after,
        }
        if entry.prev_hash != prev or entry.hash != _digest(
            prev, entry.at, entry.actor, entry.action, payload
        ):
            problems.append(
                f"审计记录第{entry.id}条（{entry.action}）与前后记录不连贯：可能在系统外被改动。"
            )
        prev = entry.hash
    return problems
