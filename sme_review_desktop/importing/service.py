"""Importing packages into a round: one transaction per package, evidence staged first.

A package is imported whole or not at all: its evidence is hashed into staging, then one
transaction writes the applicant, the dossier version, its figures and its evidence rows, and
only after the commit are the staged files moved into the evidence store.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from sme_review_desktop.errors import ImportRejected, UserError
from sme_review_desktop.importing.figures import encode, typed_figures
from sme_review_desktop.importing.form import DataForm, read_form
from sme_review_desktop.importing.limits import ImportLimits
from sme_review_desktop.importing.materials import material_for_path
from sme_review_desktop.importing.package import Package, discover
from sme_review_desktop.models import (
    Applicant,
    ConditionCheck,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceBlob,
    EvidenceFile,
)
from sme_review_desktop.register.platforms import reapplication_bar
from sme_review_desktop.rounds import ensure_rulebook, get_round
from sme_review_desktop.rules.rulebook import Rulebook, get_rulebook
from sme_review_desktop.store import audit
from sme_review_desktop.store.backups import auto_backup
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.evidence import EvidenceStore

ProgressFn = Callable[[int, int], None]  # (bytes done, bytes total) within one package
CancelFn = Callable[[], bool]


class ImportCancelled(UserError):
    """The user cancelled; the package being imported was left out entirely."""


@dataclass
class ImportResult:
    path: str
    status: str  # imported | new_version | rejected | cancelled
    uscc: str | None = None
    platform_name: str | None = None
    version: int | None = None
    dossier_id: int | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "status": self.status,
            "uscc": self.uscc,
            "platform_name": self.platform_name,
            "version": self.version,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def _fields_of_item(book: Rulebook, article: int, item: int, part: str) -> set[str]:
    keys: set[str] = set()
    for cond in book.condition_items():
        if (cond.article, cond.item) != (article, item):
            continue
        if cond.function:
            keys.add(cond.function)
        for p in cond.parts:
            if not part or p.id == part:
                keys.update(p.fields_used())
    return keys


def _flag_rechecks(session: Session, book: Rulebook, dossier: Dossier, new: DataForm) -> int:
    """Ticks carry forward; those whose figures changed are flagged for re-check."""
    if len(dossier.versions) < 2:
        return 0
    previous = typed_figures(dossier.versions[-2].figures)
    changed = {k for k in set(previous) | set(new.values) if previous.get(k) != new.values.get(k)}
    flagged = 0
    checks = session.scalars(
        select(ConditionCheck).where(
            ConditionCheck.dossier_id == dossier.id, ConditionCheck.decision.is_not(None)
        )
    )
    for check in checks:
        if _fields_of_item(book, check.article, check.item, check.part) & changed:
            check.needs_recheck = True
            flagged += 1
    return flagged


def import_package(
    store: Store,
    round_id: int,
    package: Package,
    actor: str,
    *,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ImportResult:
    """Import one package; every rejection comes back as a result, never half-written."""
    result = ImportResult(path=str(package.path), status="rejected")
    try:
        _import(store, round_id, package, actor, result, progress, cancelled)
    except ImportCancelled as exc:
        result.status, result.errors = "cancelled", [exc.message]
    except UserError as exc:
        result.status, result.errors = "rejected", [exc.message]
    return result


def _import(
    store: Store,
    round_id: int,
    package: Package,
    actor: str,
    result: ImportResult,
    progress: ProgressFn | None,
    cancelled: CancelFn | None,
) -> None:
    if package.problem:
        raise ImportRejected(package.problem)
    assert package.form is not None
    form_name = package.form.rel_path
    where = package.name if form_name == package.name else f"{package.name}/{form_name}"
    form_bytes = package.form.read()
    form = read_form(form_bytes, where, package.form_sheet)
    result.uscc = form.uscc
    result.platform_name = str(form.values.get("platform_name", ""))
    result.warnings = list(form.warnings)
    with store.read() as session:
        rnd = get_round(session, round_id)
        if rnd.locked_at is not None:
            raise ImportRejected(f"批次“{rnd.name}”已锁定，不能再导入申报材料。")
        book = get_rulebook(rnd.rulebook_id)
    max_material = max((m.number for m in book.materials), default=0)
    evidence_store = EvidenceStore(store.evidence_dir)
    staging = evidence_store.new_staging()
    try:
        # The workbook itself is kept too, with sheets the app does not read (dossier-format):
        # the very bytes the figures were read from.
        form_blob = staging.add(io.BytesIO(form_bytes))
        del form_bytes  # one file in memory at a time, evidence is streamed
        total = sum(f.size for f in package.evidence) or 1
        done = 0
        staged: list[tuple[str, str, int, int | None]] = []
        for source in package.evidence:
            if cancelled and cancelled():
                raise ImportCancelled(f"已取消：“{package.name}”未导入。")
            with source.open() as fh:
                sha, size = staging.add(fh)
            number = material_for_path(source.rel_path, max_material)
            staged.append((source.rel_path, sha, size, number))
            done += size
            if progress:
                progress(done, total)
        if cancelled and cancelled():
            raise ImportCancelled(f"已取消：“{package.name}”未导入。")
        with store.write() as session:
            _write(session, book, round_id, package, form, form_blob, staged, actor, result)
        staging.commit()
    except BaseException:
        staging.discard()
        raise


def _dossier_of(session: Session, round_id: int, uscc: str, operator: str) -> tuple[Dossier, bool]:
    """The applicant's dossier in the round, or a new one (added, not flushed) and True.

    The applicant is found by its credit code and takes the name on the latest form.
    """
    applicant = session.scalars(select(Applicant).where(Applicant.uscc == uscc)).first()
    if applicant is None:  # a new applicant has no dossier anywhere yet
        applicant = Applicant(uscc=uscc, name=operator)
        dossier = None
    else:
        applicant.name = operator
        dossier = session.scalars(
            select(Dossier).where(
                Dossier.round_id == round_id, Dossier.applicant_id == applicant.id
            )
        ).first()
    if dossier is not None:
        return dossier, False
    dossier = Dossier(round_id=round_id, applicant=applicant)
    session.add(dossier)
    return dossier, True


def _last_version_number(session: Session, dossier: Dossier) -> int:
    number = session.scalar(
        select(func.max(DossierVersion.number)).where(DossierVersion.dossier_id == dossier.id)
    )
    return number or 0


def _write(
    session: Session,
    book: Rulebook,
    round_id: int,
    package: Package,
    form: DataForm,
    form_blob: tuple[str, int],
    staged: list[tuple[str, str, int, int | None]],
    actor: str,
    result: ImportResult,
) -> None:
    ensure_rulebook(session, book)
    rnd = get_round(session, round_id)
    barred = reapplication_bar(session, form.uscc, book.id, rnd.reference_date)
    if barred:
        form.warnings.append(barred)
        result.warnings.append(barred)
    region = form.uscc[2:8]
    if book.region_prefix and not region.startswith(book.region_prefix):  # finding outside_city
        outside = f"统一社会信用代码的行政区划码为{region}，不在{book.city}（{book.region_prefix}开头）：注册地需核实。"
        form.warnings.append(outside)
        result.warnings.append(outside)
    operator = str(form.values["operator_name"])
    dossier, is_new = _dossier_of(session, round_id, form.uscc, operator)
    if is_new:
        session.flush()  # the dossier's id, and its applicant's when that is new too
    blobs = {form_blob[0]: form_blob[1]} | {sha: size for _, sha, size, _ in staged}
    known_blobs = set(
        session.scalars(select(EvidenceBlob.sha256).where(EvidenceBlob.sha256.in_(blobs)))
    )
    new_blobs = [
        {"sha256": sha, "size": size} for sha, size in blobs.items() if sha not in known_blobs
    ]
    if new_blobs:  # before the version row, which refers to its form's blob
        session.execute(insert(EvidenceBlob), new_blobs)
    number = 1 if is_new else _last_version_number(session, dossier) + 1
    version = DossierVersion(
        dossier=dossier,
        number=number,
        imported_by=actor,
        source_name=package.name,
        platform_name=str(form.values["platform_name"]),
        operator_name=operator,
        county=str(form.values.get("county", "")),
        platform_type=str(form.values.get("platform_type", "")),
        legal_form=str(form.values.get("legal_form", "")),
        warnings=list(form.warnings),
        unknown_fields=dict(form.unknown),
        form_path=package.form.rel_path if package.form else None,
        form_sha256=form_blob[0],
    )
    session.add(version)
    session.flush()
    # The figures in one INSERT and the files in another (executemany): added through the
    # relationships, the ORM would insert them a statement each, to fetch ids nobody reads here.
    session.execute(
        insert(DeclaredFigure),
        [
            {"version_id": version.id, "key": k, "value": encode(v), "raw": form.raw.get(k)}
            for k, v in form.values.items()
        ],
    )
    if staged:
        session.execute(
            insert(EvidenceFile),
            [
                {"version_id": version.id, "sha256": sha, "rel_path": rel, "material_number": m}
                for rel, sha, _size, m in staged
            ],
        )
    rechecks = 0  # a first version has nothing to compare with
    if not is_new:
        session.refresh(dossier, ["versions"])
        rechecks = _flag_rechecks(session, book, dossier, form)
    audit.record(
        session,
        actor,
        "dossier.import",
        round_id=round_id,
        dossier_id=dossier.id,
        after={
            "uscc": form.uscc,
            "version": number,
            "source": package.name,
            "files": len(staged),
            "rechecks": rechecks,
        },
    )
    result.status = "imported" if is_new else "new_version"
    result.version = number
    result.dossier_id = dossier.id
    if rechecks:
        result.warnings.append(f"有{rechecks}项已审核条件涉及的数据发生变化，已标记为需重新核对。")


def import_paths(
    store: Store,
    round_id: int,
    paths: list[Path],
    actor: str,
    *,
    limits: ImportLimits | None = None,
    on_package: Callable[[int, Package], None] | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> Iterator[ImportResult]:
    """Import every package found under ``paths``; one bad package never blocks the rest."""
    auto_backup(store, "导入前")
    for index, package in enumerate(discover(paths, limits)):
        if cancelled and cancelled():
            return
        if on_package:
            on_package(index, package)
        result = import_package(
            store, round_id, package, actor, progress=progress, cancelled=cancelled
        )
        yield result
        if result.status == "cancelled":
            return
