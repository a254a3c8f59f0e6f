"""Which offline score sheets were issued, to whom, and which was imported last for each expert.

Only a sheet recorded here when it was written can be imported, and only for the expert it
was issued to; a sheet issued before one already imported for that expert would silently undo
the newer scores, so it is refused (both times named) unless the user confirms the
replacement. The sheets are signed with ``keys/score-sheets.key`` beside the audit key: outside
the database and every backup (store/keys.py).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sme_review_desktop.models import SheetIssue
from sme_review_desktop.scoring.scheme import ScoringError
from sme_review_desktop.store import keys
from sme_review_desktop.store.database import Store

KEY_NAME = "score-sheets"


class OlderSheet(ScoringError):
    """The sheet was issued before one already imported for the same expert."""


def signing_key(store: Store, *, create: bool) -> str | None:
    """The sheets' signing key (hex); without ``create``, None when no sheet was ever issued."""
    if create:
        return keys.secret(store.key_folder, KEY_NAME).hex()
    found = keys.existing_secret(store.key_folder, KEY_NAME)
    return found.hex() if found is not None else None


def local_time(at: datetime) -> str:
    """A stored time as the reviewer reads it (SQLite gives UTC back without its zone)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def record_issue(
    session: Session, round_id: int, expert: str, usccs: list[str], actor: str
) -> SheetIssue:
    issue = SheetIssue(
        id=uuid.uuid4().hex,
        round_id=round_id,
        expert=expert,
        dossiers=usccs,
        issued_at=datetime.now(UTC),
        issued_by=actor,
    )
    session.add(issue)
    session.flush()
    return issue


def check_issue(
    session: Session, round_id: int, payload: dict[str, Any], *, replace_newer: bool
) -> SheetIssue:
    """The issue record of a signed sheet, or why it may not be imported."""
    sheet_id = payload.get("sheet_id")
    issue = session.get(SheetIssue, sheet_id) if isinstance(sheet_id, str) else None
    if issue is None or issue.round_id != round_id:
        raise ScoringError(
            "本系统没有发出这份评分表的记录（可能是旧版本导出的或从其他系统复制来的），"
            "不能导入；请为该专家重新导出评分表。"
        )
    if issue.expert != payload.get("expert") or list(issue.dossiers) != [
        d[0] for d in payload.get("dossiers", [])
    ]:
        raise ScoringError("评分表与发出记录不符（专家或申报单位不同），不能导入。")
    newer = session.scalars(
        select(SheetIssue)
        .where(
            SheetIssue.round_id == round_id,
            SheetIssue.expert == issue.expert,
            SheetIssue.imported_at.is_not(None),
            SheetIssue.issued_at > issue.issued_at,
        )
        .order_by(SheetIssue.issued_at.desc())
    ).first()
    if newer is not None and not replace_newer:
        raise OlderSheet(
            f"这份评分表发出于{local_time(issue.issued_at)}，早于已导入的专家“{issue.expert}”"
            f"的另一份评分表（发出于{local_time(newer.issued_at)}，"
            f"{newer.imported_by}于{local_time(newer.imported_at or newer.issued_at)}导入）："
            "导入旧表会覆盖较新的分数；确认要以旧表替换时才可导入。"
        )
    return issue
