"""The findings of a round's dossiers, read from the store in bulk; marking a signal explained."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from sme_review_desktop.errors import NotFound, UserError
from sme_review_desktop.models import (
    Applicant,
    Certificate,
    Decision,
    Dossier,
    DossierVersion,
    EvidenceFile,
    FindingNote,
    Round,
)
from sme_review_desktop.review import findings as rules
from sme_review_desktop.review.findings import Finding, Holding, Revocation, Twin
from sme_review_desktop.rounds import find_dossier, get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import Store

_DECISION_LABELS = {"approved": "拟认定", "rejected": "不予认定", "pool": "纳入培育库"}


TWINS_NAMED = 3  # other applicants named per shared file


def round_year(rnd: Round) -> int:
    year = rnd.settings.get("year")
    return year if isinstance(year, int) else rnd.reference_date.year


def round_findings(
    session: Session, round_id: int, dossier_ids: Collection[int] | None = None
) -> dict[int, list[Finding]]:
    """Every finding of the round's dossiers (or of ``dossier_ids``), by dossier id."""
    rnd = get_round(session, round_id)
    book = get_rulebook(rnd.rulebook_id)
    query = (
        select(Dossier.id, Applicant.uscc, func.max(DossierVersion.number))
        .join(Applicant, Applicant.id == Dossier.applicant_id)
        .join(DossierVersion, DossierVersion.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_id)
        .group_by(Dossier.id, Applicant.uscc)
    )
    if dossier_ids is not None:
        query = query.where(Dossier.id.in_(list(dossier_ids)))
    rows = session.execute(query).all()
    out: dict[int, list[Finding]] = {d: [] for d, _, _ in rows}
    if not rows:
        return out
    codes = {uscc for _, uscc, _ in rows}
    revocations, holdings = _register(session, rnd, codes)
    decisions = {
        d.dossier_id: d
        for d in session.scalars(select(Decision).where(Decision.dossier_id.in_(list(out))))
    }
    twins = _twins(session, rnd, list(out))
    notes = {
        (n.dossier_id, n.code, n.subject): n.note
        for n in session.scalars(select(FindingNote).where(FindingNote.dossier_id.in_(list(out))))
    }
    year = round_year(rnd)
    for dossier_id, uscc, newest in rows:
        found = out[dossier_id]
        if (f := rules.outside_city(book, uscc)) is not None:
            found.append(f)
        found.extend(rules.revocation_findings(book, revocations.get(uscc, []), rnd.reference_date))
        if (f := rules.already_certified(holdings.get(uscc, []), year)) is not None:
            found.append(f)
        for twin in twins.get(dossier_id, []):
            note = notes.get((dossier_id, "duplicate_evidence", twin.sha256))
            found.append(rules.duplicate_evidence(twin, note))
        decision = decisions.get(dossier_id)
        if decision is not None:
            label = _DECISION_LABELS.get(decision.decision, decision.decision)
            if (f := rules.stale_decision(label, decision.decided_on_version, newest)) is not None:
                found.append(f)
    return out


def dossier_findings(session: Session, dossier: Dossier) -> list[Finding]:
    return round_findings(session, dossier.round_id, [dossier.id]).get(dossier.id, [])


def _register(
    session: Session, rnd: Round, codes: set[str]
) -> tuple[dict[str, list[Revocation]], dict[str, list[Holding]]]:
    """The applicants' certificates under the same measure from other rounds."""
    revocations: dict[str, list[Revocation]] = defaultdict(list)
    holdings: dict[str, list[Holding]] = defaultdict(list)
    for cert, uscc in session.execute(
        select(Certificate, Applicant.uscc)
        .join(Dossier, Dossier.id == Certificate.dossier_id)
        .join(Applicant, Applicant.id == Dossier.applicant_id)
        .join(Round, Round.id == Dossier.round_id)
        .where(
            Applicant.uscc.in_(codes),
            Round.rulebook_id == rnd.rulebook_id,
            Round.id != rnd.id,
        )
    ):
        if cert.revoked_on is not None:
            revocations[uscc].append(Revocation(cert.number, cert.revoked_on, cert.revoke_ground))
        holdings[uscc].append(Holding(cert.number, cert.valid_until, cert.revoked_on))
    return revocations, holdings


def _twins(session: Session, rnd: Round, dossier_ids: list[int]) -> dict[int, list[Twin]]:
    """Each dossier's newest-version files byte-identical to another applicant's, in this round
    or an earlier one (any version of theirs: a file once submitted stays theirs)."""
    newest = (
        select(DossierVersion.dossier_id, func.max(DossierVersion.number).label("number"))
        .where(DossierVersion.dossier_id.in_(dossier_ids))
        .group_by(DossierVersion.dossier_id)
        .subquery()
    )
    mine = (
        select(Dossier.id, Dossier.applicant_id, EvidenceFile.sha256, EvidenceFile.rel_path)
        .select_from(EvidenceFile)
        .join(DossierVersion, DossierVersion.id == EvidenceFile.version_id)
        .join(
            newest,
            (newest.c.dossier_id == DossierVersion.dossier_id)
            & (newest.c.number == DossierVersion.number),
        )
        .join(Dossier, Dossier.id == DossierVersion.dossier_id)
    )
    own = session.execute(mine).all()
    if not own:
        return {}
    shas = {sha for _, _, sha, _ in own}
    other_dossier = aliased(Dossier)
    theirs: dict[str, list[tuple[int, str, str, str, str]]] = defaultdict(list)
    for app_id, uscc, round_name, sha, path, name in session.execute(
        select(
            Applicant.id,
            Applicant.uscc,
            Round.name,
            EvidenceFile.sha256,
            EvidenceFile.rel_path,
            DossierVersion.operator_name,
        )
        .select_from(EvidenceFile)
        .join(DossierVersion, DossierVersion.id == EvidenceFile.version_id)
        .join(other_dossier, other_dossier.id == DossierVersion.dossier_id)
        .join(Applicant, Applicant.id == other_dossier.applicant_id)
        .join(Round, Round.id == other_dossier.round_id)
        .where(
            EvidenceFile.sha256.in_(shas),
            (Round.id == rnd.id) | (Round.reference_date <= rnd.reference_date),
        )
        .order_by(Round.reference_date, Applicant.uscc, EvidenceFile.rel_path)
    ).all():
        theirs[sha].append((app_id, uscc, round_name, path, name))
    out: dict[int, list[Twin]] = defaultdict(list)
    for dossier_id, applicant_id, sha, path in own:
        seen: set[int] = set()
        for app_id, uscc, round_name, their_path, name in theirs.get(sha, []):
            if app_id == applicant_id or app_id in seen:
                continue
            seen.add(app_id)
            out[dossier_id].append(Twin(sha, path, name, uscc, round_name, their_path))
            # A file many applicants share is a common template: naming the first few says
            # so, and keeps a province-sized round from pairing every dossier with every other.
            if len(seen) >= TWINS_NAMED:
                break
    return out


def explain_finding(
    store: Store, round_id: int, uscc: str, subject: str, note: str, actor: str
) -> None:
    """Mark a duplicate_evidence signal explained (e.g. 政府统一模板), with the reviewer's note."""
    note = note.strip()
    if not note:
        raise UserError("请写明说明，例如“同为市局下发的统一模板”。")
    with store.write() as session:
        dossier = find_dossier(session, round_id, uscc)
        current = [
            f
            for f in dossier_findings(session, dossier)
            if f.code == "duplicate_evidence" and f.subject.startswith(subject.strip().lower())
        ]
        if not current:
            raise NotFound(f"该申报材料没有与“{subject}”相符的“材料与他人相同”提示。")
        for f in current:
            row = session.scalars(
                select(FindingNote).where(
                    FindingNote.dossier_id == dossier.id,
                    FindingNote.code == f.code,
                    FindingNote.subject == f.subject,
                )
            ).first()
            before = {"note": row.note} if row else None
            if row is None:
                session.add(
                    FindingNote(
                        dossier_id=dossier.id,
                        code=f.code,
                        subject=f.subject,
                        note=note,
                        noted_by=actor,
                    )
                )
            else:
                row.note, row.noted_by = note, actor
            audit.record(
                session,
                actor,
                "finding.explain",
                round_id=round_id,
                dossier_id=dossier.id,
                before=before,
                after={"code": f.code, "subject": f.subject, "note": note},
            )
