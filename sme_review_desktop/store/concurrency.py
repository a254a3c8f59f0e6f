"""Optimistic checks between reviewers working on one shared server.

Sessions last one operation, so the version a reviewer *saw* must travel from the read to the
write: reads hand out each row's version (its ``version_id_col``), writes name the version
they were based on, and a row changed since is refused with an EditConflict naming who changed
it, never overwritten. Writers take turns (``Store.write``), so the comparison made inside
the write transaction is exact; ``version_id_col`` still guards the UPDATE itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sme_review_desktop.errors import EditConflict
from sme_review_desktop.models import AuditEntry

RECENT = 50  # audit entries of the dossier searched for the change's author


def _when(at: datetime) -> str:
    local = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone()
    return f"{local.month}月{local.day}日{local:%H:%M}"


def last_change(session: Session, dossier_id: int, touched: Callable[[AuditEntry], bool]) -> str:
    """「李评审于11月23日14:32修改」 for the newest audit entry ``touched`` selects, else ""."""
    for entry in session.scalars(
        select(AuditEntry)
        .where(AuditEntry.dossier_id == dossier_id)
        .order_by(AuditEntry.id.desc())
        .limit(RECENT)
    ):
        if touched(entry):
            return f"{entry.actor}于{_when(entry.at)}修改"
    return ""


def refuse_stale(
    session: Session,
    *,
    current: object,
    expected: object,
    subject: str,
    dossier_id: int,
    touched: Callable[[AuditEntry], bool],
) -> None:
    """Raise EditConflict when the row's version is no longer the one the reviewer saw.

    ``expected`` None means the caller read nothing to compare (the CLI, a script): no check.
    """
    if expected is None or current == expected:
        return
    who = last_change(session, dossier_id, touched)
    detail = f"（{who}）" if who else ""
    raise EditConflict(f"{subject}已被其他评审人修改{detail}，请刷新后再改。")
