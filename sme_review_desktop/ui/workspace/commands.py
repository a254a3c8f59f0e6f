"""Every change a reviewer makes is an undoable command that writes through the review service."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ... import review
from ...store import Store

Clause = tuple[int, int, str]


class _StoreCommand(QUndoCommand):
    def __init__(
        self, text: str, store: Store, dossier_id: int, actor: str, after: Callable[[], None]
    ) -> None:
        super().__init__(text)
        self.store, self.dossier_id, self.actor, self.after = store, dossier_id, actor, after


class SetDecision(_StoreCommand):
    def __init__(
        self,
        store: Store,
        dossier_id: int,
        actor: str,
        clause: Clause,
        old: str | None,
        new: str | None,
        app_verdict: str | None,
        version: int,
        after: Callable[[], None],
    ) -> None:
        label = review.DECISIONS.get(new or "", "取消勾选")
        super().__init__(
            f"{label}：{clause[0]}-{clause[1]} {clause[2]}", store, dossier_id, actor, after
        )
        self.clause, self.old, self.new = clause, old, new
        self.app_verdict, self.version = app_verdict, version

    def _apply(self, decision: str | None) -> None:
        a, i, p = self.clause
        review.set_decision(
            self.store,
            self.dossier_id,
            a,
            i,
            p,
            decision,
            self.actor,
            app_verdict=self.app_verdict,
            version=self.version,
        )
        self.after()

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class SetNote(_StoreCommand):
    def __init__(
        self,
        store: Store,
        dossier_id: int,
        actor: str,
        clause: Clause,
        old: str,
        new: str,
        after: Callable[[], None],
    ) -> None:
        super().__init__("修改审核意见", store, dossier_id, actor, after)
        self.clause, self.old, self.new = clause, old, new

    def _apply(self, note: str) -> None:
        review.set_note(self.store, self.dossier_id, *self.clause, note, self.actor)
        self.after()

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class LinkEvidence(_StoreCommand):
    def __init__(
        self,
        store: Store,
        dossier_id: int,
        actor: str,
        clause: Clause,
        evidence_id: int,
        page: int | None,
        after: Callable[[], None],
    ) -> None:
        super().__init__("关联证明材料", store, dossier_id, actor, after)
        self.clause, self.evidence_id, self.page = clause, evidence_id, page
        self.link_id: int | None = None

    def redo(self) -> None:
        self.link_id = review.link_evidence(
            self.store, self.dossier_id, *self.clause, self.evidence_id, self.page, self.actor
        )
        self.after()

    def undo(self) -> None:
        if self.link_id is not None:
            review.unlink_evidence(self.store, self.dossier_id, self.link_id, self.actor)
        self.after()


class UnlinkEvidence(_StoreCommand):
    def __init__(
        self,
        store: Store,
        dossier_id: int,
        actor: str,
        clause: Clause,
        link: review.LinkInfo,
        after: Callable[[], None],
    ) -> None:
        super().__init__("取消关联证明材料", store, dossier_id, actor, after)
        self.clause, self.link = clause, link
        self.link_id = link.link_id

    def redo(self) -> None:
        review.unlink_evidence(self.store, self.dossier_id, self.link_id, self.actor)
        self.after()

    def undo(self) -> None:
        self.link_id = review.link_evidence(
            self.store,
            self.dossier_id,
            *self.clause,
            self.link.evidence_id,
            self.link.page,
            self.actor,
        )
        self.after()
