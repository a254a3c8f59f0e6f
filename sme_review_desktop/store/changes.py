"""What a committed transaction changed (which kinds of data, rounds and dossiers), for the windows.

Borrowed from Anki's ``OpChanges``: every write tells the open windows what it touched, and each
window redraws only what that concerns; no window reaches into another. The description is not
written by each service (one could forget) but read off the transaction itself: the rows the
session flushed, and the tables of any bulk statement it ran. Every write also adds an audit
entry naming its round and dossier, so the ids are known even where the changed row does not
carry them. Where the round cannot be told, ``round_ids`` is None: any round may have changed,
and a window refreshes rather than shows something stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

# Kinds of data a window may show, by table.
KIND_OF_TABLE = {
    "applicant": "dossiers",
    "dossier": "dossiers",
    "dossier_version": "dossiers",
    "declared_figure": "dossiers",
    "evidence_blob": "dossiers",
    "evidence_file": "dossiers",
    "condition_check": "review",
    "evidence_link": "review",
    "expert": "scores",
    "conflict": "scores",
    "criterion": "scores",
    "score": "scores",
    "decision": "decisions",
    "publicity": "publicity",
    "objection": "publicity",
    "certificate": "register",
    "report_due": "register",
    "complaint": "register",
    "round": "rounds",
    "rulebook": "rounds",
    "holiday_day": "calendar",
}
KINDS = frozenset(KIND_OF_TABLE.values())


@dataclass(frozen=True)
class Changes:
    """What one transaction changed. ``round_ids`` None means: possibly any round."""

    kinds: frozenset[str]
    round_ids: frozenset[int] | None
    dossier_ids: frozenset[int]

    def touches(self, kinds: Iterable[str], round_id: int | None = None) -> bool:
        """Whether a view of ``kinds`` (in ``round_id``, if given) must be redrawn."""
        if not self.kinds & set(kinds):
            return False
        return round_id is None or self.round_ids is None or round_id in self.round_ids

    def touches_dossier(self, kinds: Iterable[str], dossier_id: int, round_id: int) -> bool:
        """Whether a view of one dossier must be redrawn."""
        return self.touches(kinds, round_id) and (
            not self.dossier_ids or dossier_id in self.dossier_ids or self.round_ids is None
        )


EVERYTHING = Changes(KINDS, None, frozenset())  # e.g. after a restore replaced the store


class ChangeRecorder:
    """Collects what one session writes until it commits."""

    def __init__(self, session: Session) -> None:
        self.kinds: set[str] = set()
        self.rounds: set[int] = set()
        self.dossiers: set[int] = set()
        event.listen(session, "after_flush", self._after_flush)
        event.listen(session, "do_orm_execute", self._bulk)

    def changes(self) -> Changes | None:
        if not self.kinds:
            return None
        # Rows hanging off a version name no round; the audit entry beside them does. A write
        # that names none at all (the holiday table) may concern any round.
        rounds = frozenset(self.rounds) if self.rounds else None
        return Changes(frozenset(self.kinds), rounds, frozenset(self.dossiers))

    def _after_flush(self, session: Session, _context: Any) -> None:
        for obj in (*session.new, *session.dirty, *session.deleted):
            self._note(obj)

    def _note(self, obj: Any) -> None:
        table = getattr(obj, "__tablename__", "")
        round_id = obj.id if table == "round" else getattr(obj, "round_id", None)
        dossier_id = obj.id if table == "dossier" else getattr(obj, "dossier_id", None)
        if round_id is not None:
            self.rounds.add(round_id)
        if dossier_id is not None:
            self.dossiers.add(dossier_id)
        if table == "audit_entry":
            return  # it names the round and dossier; its own kind is no view's business
        kind = KIND_OF_TABLE.get(table)
        if kind is not None:
            self.kinds.add(kind)

    def _bulk(self, state: ORMExecuteState) -> None:
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(getattr(state.statement, "table", None), "name", "")
        kind = KIND_OF_TABLE.get(table)
        if kind is not None:
            self.kinds.add(kind)
