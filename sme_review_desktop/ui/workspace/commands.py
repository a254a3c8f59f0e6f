"""Every change a reviewer makes is an undoable command that writes through the review service.

A command remembers the clause's revision after its own write, so its undo (or redo) is
refused, not silently applied, when another reviewer changed the clause in between.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from sme_review_desktop.errors import EditConflict, UserError
from sme_review_desktop.review import walkthrough as review
from sme_review_desktop.store.database import Store

Clause = tuple[int, int, str]


class StoreCommand(QUndoCommand):
    def __init__(
        self, text: str, store: Store, dossier_id: int, actor: str, after: Callable[[], None]
    ) -> None:
        super().__init__(text)
        self.store, self.dossier_id, self.actor, self.after = store, dossier_id, actor, after
        # Set by the window: shows a refused change. Qt calls undo()/redo() from its own
        # actions, where a raised exception would be lost, so errors are handed over here.
        self.failed: Callable[[UserError], None] | None = None

    def _guard(self, step: Callable[[], None]) -> None:
        """Run one write; a refused one leaves the undo stack (setObsolete) and is reported."""
        try:
            step()
        except UserError as exc:
            self.setObsolete(True)
            if self.failed is None:
                raise
            self.failed(exc)


class SetDecision(StoreCommand):
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
        revision: int | None = None,
    ) -> None:
        label = review.DECISIONS.get(new or "", "取消勾选")
        super().__init__(
            f"{label}：{clause[0]}-{clause[1]} {clause[2]}", store, dossier_id, actor, after
        )
        self.clause, self.old, self.new = clause, old, new
        self.app_verdict, self.version, self.revision = app_verdict, version, revision

    def _apply(self, decision: str | None) -> None:
        a, i, p = self.clause
        self.revision = review.set_decision(
            self.store,
            self.dossier_id,
            a,
            i,
            p,
            decision,
            self.actor,
            app_verdict=self.app_verdict,
            version=self.version,
            expected_revision=self.revision,
        )
        self.after()

    def redo(self) -> None:
        self._guard(lambda: self._apply(self.new))

    def undo(self) -> None:
        self._guard(lambda: self._apply(self.old))


class SetNote(StoreCommand):
    def __init__(
        self,
        store: Store,
        dossier_id: int,
        actor: str,
        clause: Clause,
        old: str,
        new: str,
        after: Callable[[], None],
        revision: int | None = None,
    ) -> None:
        super().__init__("修改审核意见", store, dossier_id, actor, after)
        self.clause, self.old, self.new, self.revision = clause, old, new, revision

    def _apply(self, note: str) -> None:
        try:
            self.revision = review.set_note(
                self.store,
                self.dossier_id,
                *self.clause,
                note,
                self.actor,
                expected_revision=self.revision,
            )
        except EditConflict as exc:  # the window reloads the stored note: keep the typed one
            raise EditConflict(
                f"{exc.message}\n\n未保存的审核意见（请复制后重新填写）：\n{note}"
            ) from exc
        self.after()

    def redo(self) -> None:
        self._guard(lambda: self._apply(self.new))

    def undo(self) -> None:
        self._guard(lambda: self._apply(self.old))


class LinkEvidence(StoreCommand):
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

    def _link(self) -> None:
        self.link_id = review.link_evidence(
            self.store, self.dossier_id, *self.clause, self.evidence_id, self.page, self.actor
        )
        self.after()

    def _unlink(self) -> None:
        if self.link_id is not None:
            review.unlink_evidence(self.store, self.dossier_id, self.link_id, self.actor)
        self.after()

    def redo(self) -> None:
        self._guard(self._link)

    def undo(self) -> None:
        self._guard(self._unlink)


class UnlinkEvidence(StoreCommand):
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

    def _unlink(self) -> None:
        review.unlink_evidence(self.store, self.dossier_id, self.link_id, self.actor)
        self.after()

    def _relink(self) -> None:
        self.link_id = review.link_evidence(
            self.store,
            self.dossier_id,
            *self.clause,
            self.link.evidence_id,
            self.link.page,
            self.actor,
        )
        self.after()

    def redo(self) -> None:
        self._guard(self._unlink)

    def undo(self) -> None:
        self._guard(self._relink)
