"""The review walk-through (逐条审核): reviewer decisions per clause, notes, evidence links.

Every change is one transaction with its audit entry; callers get back the new state to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sme_review_desktop.errors import NotFound, UserError
from sme_review_desktop.importing.figures import typed_figures
from sme_review_desktop.models import (
    ConditionCheck,
    Dossier,
    DossierVersion,
    EvidenceFile,
    EvidenceLink,
)
from sme_review_desktop.models.base import utcnow
from sme_review_desktop.review.evaluation import evaluate_version
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.engine import Evaluation, ItemResult, Value
from sme_review_desktop.rules.rulebook import Rulebook, get_rulebook
from sme_review_desktop.store import audit
from sme_review_desktop.store.concurrency import refuse_stale
from sme_review_desktop.store.database import Store

DECISIONS = {"met": "符合", "unmet": "不符合", "fix": "待补正"}


class ReviewLocked(UserError):
    """The round is locked, or the dossier's review is marked complete."""


@dataclass(frozen=True)
class LinkInfo:
    link_id: int
    evidence_id: int
    rel_path: str
    page: int | None

    @property
    def label(self) -> str:
        return self.rel_path + (f" 第{self.page}页" if self.page else "")


@dataclass(frozen=True)
class CheckState:
    """A reviewer's decision on one clause; ``decision`` None means not decided yet."""

    article: int
    item: int
    part: str
    decision: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    note: str = ""
    needs_recheck: bool = False
    links: tuple[LinkInfo, ...] = ()
    revision: int = 0  # the stored row's version; 0 while never saved. Writes send it back.


@dataclass(frozen=True)
class EvidenceInfo:
    id: int
    rel_path: str
    material_number: int | None
    sha256: str
    size: int


@dataclass
class Workspace:
    """Everything the walk-through shows for one dossier version."""

    dossier_id: int
    round_id: int
    round_locked: bool
    rulebook: Rulebook
    version: int
    versions: list[int]
    platform_name: str
    operator_name: str
    uscc: str
    county: str
    platform_type: str
    legal_form: str
    figures: dict[str, Value]
    raw: dict[str, str | None]
    warnings: list[str]
    evaluation: Evaluation
    evidence: list[EvidenceInfo]
    checks: dict[tuple[int, int, str], CheckState] = field(default_factory=dict)
    complete_at: datetime | None = None
    complete_by: str | None = None
    form_path: str | None = None  # the data-form workbook as submitted, and its blob
    form_sha256: str | None = None

    def items(self) -> list[ItemResult]:
        """The items a reviewer must decide: undeclared service functions are left out."""
        return [i for i in self.evaluation.items if i.applicable]

    def check(self, article: int, item: int, part: str) -> CheckState:
        return self.checks.get((article, item, part), CheckState(article, item, part))

    def item_decision(self, item: ItemResult) -> str | None:
        """The item's decision once every clause is decided: unmet > fix > met."""
        decisions = [self.check(item.article, item.item, p.id).decision for p in item.parts]
        if not decisions or None in decisions:
            return None
        for d in ("unmet", "fix"):
            if d in decisions:
                return d
        return "met"

    def progress(self) -> tuple[int, int]:
        items = self.items()
        return sum(self.item_decision(i) is not None for i in items), len(items)

    def undecided(self) -> list[str]:
        return [i.label for i in self.items() if self.item_decision(i) is None]


def _state(check: ConditionCheck, evidence: dict[int, EvidenceFile]) -> CheckState:
    return CheckState(
        article=check.article,
        item=check.item,
        part=check.part,
        decision=check.decision,
        decided_by=check.decided_by,
        decided_at=check.decided_at,
        note=check.note,
        needs_recheck=check.needs_recheck,
        revision=check.version,
        links=tuple(
            LinkInfo(
                link.id, link.evidence_file_id, evidence[link.evidence_file_id].rel_path, link.page
            )
            if link.evidence_file_id in evidence
            else LinkInfo(link.id, link.evidence_file_id, "（其他版本的材料）", link.page)
            for link in check.links
        ),
    )


def load_workspace(store: Store, dossier_id: int, version: int | None = None) -> Workspace:
    """The dossier at ``version`` (default: the newest) with its evaluation and the ticks so far."""
    with store.read() as session:
        dossier = session.get(
            Dossier,
            dossier_id,
            options=[
                selectinload(Dossier.versions).selectinload(DossierVersion.figures),
                selectinload(Dossier.versions)
                .selectinload(DossierVersion.evidence)
                .selectinload(EvidenceFile.blob),
                selectinload(Dossier.applicant),
            ],
        )
        if dossier is None or not dossier.versions:
            raise NotFound(f"没有编号为 {dossier_id} 的申报材料。")
        rnd = get_round(session, dossier.round_id)
        book = get_rulebook(rnd.rulebook_id)
        chosen = dossier.versions[-1]
        if version is not None:
            matches = [v for v in dossier.versions if v.number == version]
            if not matches:
                raise NotFound(f"该申报材料没有第{version}版。")
            chosen = matches[0]
        evidence = {f.id: f for v in dossier.versions for f in v.evidence}
        checks = session.scalars(
            select(ConditionCheck)
            .where(ConditionCheck.dossier_id == dossier_id)
            .options(selectinload(ConditionCheck.links))
        )
        return Workspace(
            dossier_id=dossier.id,
            round_id=rnd.id,
            round_locked=rnd.locked_at is not None,
            rulebook=book,
            version=chosen.number,
            versions=[v.number for v in dossier.versions],
            platform_name=chosen.platform_name,
            operator_name=chosen.operator_name,
            uscc=dossier.applicant.uscc,
            county=chosen.county,
            platform_type=chosen.platform_type,
            legal_form=chosen.legal_form,
            figures=typed_figures(chosen.figures),
            raw={f.key: f.raw for f in chosen.figures},
            warnings=list(chosen.warnings),
            evaluation=evaluate_version(book, rnd, chosen),
            evidence=[
                EvidenceInfo(f.id, f.rel_path, f.material_number, f.sha256, f.blob.size)
                for f in chosen.evidence
            ],
            checks={(c.article, c.item, c.part): _state(c, evidence) for c in checks},
            complete_at=dossier.review_complete_at,
            complete_by=dossier.review_complete_by,
            form_path=chosen.form_path,
            form_sha256=chosen.form_sha256,
        )


def _editable(session: Session, dossier_id: int) -> Dossier:
    dossier = session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound(f"没有编号为 {dossier_id} 的申报材料。")
    if dossier.round.locked_at is not None:
        raise ReviewLocked("该批次已锁定，审核结论不能再修改；如需更正请走“更正”流程。")
    if dossier.review_complete_at is not None:
        raise ReviewLocked("该申报材料已标记为审核完成；如需修改，请先撤销“审核完成”。")
    return dossier


def _get_check(
    session: Session,
    dossier_id: int,
    article: int,
    item: int,
    part: str,
    expected_revision: int | None = None,
) -> ConditionCheck:
    """The clause's row, made on first use; refused if it is not at ``expected_revision``."""
    check = session.scalars(
        select(ConditionCheck).where(
            ConditionCheck.dossier_id == dossier_id,
            ConditionCheck.article == article,
            ConditionCheck.item == item,
            ConditionCheck.part == part,
        )
    ).first()
    clause = [article, item, part]
    refuse_stale(
        session,
        current=check.version if check else 0,
        expected=expected_revision,
        subject="该单位的审核记录",
        dossier_id=dossier_id,
        touched=lambda e: (e.after or e.before or {}).get("clause") == clause,
    )
    if check is None:
        check = ConditionCheck(
            dossier_id=dossier_id, article=article, item=item, part=part, note=""
        )
        session.add(check)
        session.flush()
    return check


def _snapshot(check: ConditionCheck) -> dict[str, object]:
    return {"decision": check.decision, "note": check.note}


def set_decision(
    store: Store,
    dossier_id: int,
    article: int,
    item: int,
    part: str,
    decision: str | None,
    actor: str,
    *,
    app_verdict: str | None = None,
    version: int | None = None,
    expected_revision: int | None = None,
) -> int:
    """Tick (符合/不符合/待补正) or untick (None) one clause; returns the clause's new revision.

    ``expected_revision`` is the revision the reviewer saw (``CheckState.revision``): if the
    clause changed since, the tick is refused with an EditConflict instead of overwriting.
    """
    if decision is not None and decision not in DECISIONS:
        raise UserError(f"无效的审核结论：{decision}")
    with store.write() as session:
        dossier = _editable(session, dossier_id)
        check = _get_check(session, dossier_id, article, item, part, expected_revision)
        before = _snapshot(check)
        check.decision = decision
        check.app_verdict = app_verdict
        check.decided_by = actor if decision else None
        check.decided_at = utcnow() if decision else None
        check.decided_on_version = version
        check.needs_recheck = False
        audit.record(
            session,
            actor,
            "check.decide",
            round_id=dossier.round_id,
            dossier_id=dossier_id,
            before={"clause": [article, item, part], **before},
            after={"clause": [article, item, part], **_snapshot(check)},
        )
        session.flush()
        return check.version


def set_note(
    store: Store,
    dossier_id: int,
    article: int,
    item: int,
    part: str,
    note: str,
    actor: str,
    *,
    expected_revision: int | None = None,
) -> int:
    """Change the note of a clause (an item's note is on part ""); returns its new revision."""
    with store.write() as session:
        dossier = _editable(session, dossier_id)
        check = _get_check(session, dossier_id, article, item, part, expected_revision)
        if check.note == note:
            return check.version
        before = _snapshot(check)
        check.note = note
        audit.record(
            session,
            actor,
            "check.note",
            round_id=dossier.round_id,
            dossier_id=dossier_id,
            before={"clause": [article, item, part], **before},
            after={"clause": [article, item, part], **_snapshot(check)},
        )
        session.flush()
        return check.version


def link_evidence(
    store: Store,
    dossier_id: int,
    article: int,
    item: int,
    part: str,
    evidence_id: int,
    page: int | None,
    actor: str,
) -> int:
    """Link a file, or one page of a PDF, to a clause; returns the link's id."""
    with store.write() as session:
        dossier = _editable(session, dossier_id)
        evidence = session.get(EvidenceFile, evidence_id)
        if evidence is None or evidence.version.dossier_id != dossier_id:
            raise NotFound("该证明材料不属于这份申报材料。")
        check = _get_check(session, dossier_id, article, item, part)
        for link in check.links:
            if link.evidence_file_id == evidence_id and link.page == page:
                return link.id
        link = EvidenceLink(check=check, evidence_file_id=evidence_id, page=page)
        session.add(link)
        session.flush()
        audit.record(
            session,
            actor,
            "check.link",
            round_id=dossier.round_id,
            dossier_id=dossier_id,
            after={"clause": [article, item, part], "file": evidence.rel_path, "page": page},
        )
        return link.id


def unlink_evidence(store: Store, dossier_id: int, link_id: int, actor: str) -> None:
    with store.write() as session:
        dossier = _editable(session, dossier_id)
        link = session.get(EvidenceLink, link_id)
        if link is None or link.check.dossier_id != dossier_id:
            return
        check = link.check
        evidence = session.get(EvidenceFile, link.evidence_file_id)
        session.delete(link)
        audit.record(
            session,
            actor,
            "check.unlink",
            round_id=dossier.round_id,
            dossier_id=dossier_id,
            before={
                "clause": [check.article, check.item, check.part],
                "file": evidence.rel_path if evidence else None,
                "page": link.page,
            },
        )


def mark_complete(store: Store, dossier_id: int, actor: str) -> None:
    """Mark the review complete; refused while any item lacks a reviewer decision."""
    ws = load_workspace(store, dossier_id)
    missing = ws.undecided()
    if missing:
        shown = "、".join(missing[:6]) + ("等" if len(missing) > 6 else "")
        raise UserError(f"还有{len(missing)}项未作出审核结论（{shown}），不能标记为审核完成。")
    with store.write() as session:
        dossier = _editable(session, dossier_id)
        dossier.review_complete_at = utcnow()
        dossier.review_complete_by = actor
        audit.record(
            session, actor, "review.complete", round_id=dossier.round_id, dossier_id=dossier_id
        )


def reopen(store: Store, dossier_id: int, actor: str) -> None:
    with store.write() as session:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None or dossier.review_complete_at is None:
            return
        if dossier.round.locked_at is not None:
            raise ReviewLocked("该批次已锁定，不能撤销审核完成。")
        dossier.review_complete_at = None
        dossier.review_complete_by = None
        audit.record(
            session, actor, "review.reopen", round_id=dossier.round_id, dossier_id=dossier_id
        )
