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
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sme_review_desktop.errors import ImportRejected, UserError
from sme_review_desktop.importing.figures import encode, typed_figures
from sme_review_desktop.importing.form import DataForm, read_form
from sme_review_desktop.importing.limits import ImportLimits
from sme_review_desktop.importing.materials import material_for_path
from sme_review_desktop.importing.package import Package, discover, read_workbook
from sme_review_desktop.models import (
    Applicant,
    ConditionCheck,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceBlob,
    EvidenceFile,
    Publicity,
)
from sme_review_desktop.register.platforms import reapplication_bar
from sme_review_desktop.rounds import ensure_rulebook, get_round
from sme_review_desktop.rules.rulebook import Rulebook, get_rulebook
from sme_review_desktop.store import audit
from sme_review_desktop.store.backups import BackupError, auto_backup
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.evidence import EvidenceStore
from sme_review_desktop.store.faults import is_disk_full, is_read_only
from sme_review_desktop.store.text_limits import check_row

ProgressFn = Callable[[int, int], None]  # (bytes done, bytes total) within one package
CancelFn = Callable[[], bool]


class ImportCancelled(UserError):
    """The user cancelled; the package being imported was left out entirely."""


@dataclass
class ImportResult:
    path: str
    # imported | new_version | unchanged (byte for byte the latest version) | rejected | cancelled
    status: str
    uscc: str | None = None
    platform_name: str | None = None
    version: int | None = None
    dossier_id: int | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fault: str | None = None  # "disk_full" / "read_only": the machine failed, not the package

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
        if is_disk_full(exc):
            result.fault = "disk_full"
    except (OSError, DBAPIError) as exc:
        # The machine, not the package: everything staged was discarded and the transaction
        # rolled back, so nothing of it is in the store; the batch goes on to the next one.
        result.status = "rejected"
        if is_disk_full(exc):
            result.fault = "disk_full"
            result.errors = [
                f"磁盘空间不足，“{package.name}”未导入（未写入任何内容）：请清理磁盘后重新导入。"
            ]
        elif is_read_only(exc):
            result.fault = "read_only"
            result.errors = [f"数据目录不可写，“{package.name}”未导入：请检查数据目录的权限。"]
        else:
            raise
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
    form_bytes = read_workbook(package.form)
    assert form_bytes is not None  # is_form: too big raises ImportRejected
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
        if _unchanged(store, round_id, form.uscc, form_blob[0], staged, result):
            staging.commit()  # heals a damaged stored copy; places nothing new
            return
        with store.write() as session:
            _write(session, book, round_id, package, form, form_blob, staged, actor, result)
    except BaseException:
        staging.discard()
        raise
    try:
        staging.commit()
    except OSError:
        # Committed, but the files could not all be moved into place (a full disk can refuse
        # even a new folder): they stay in staging, recorded, and are placed when the store
        # next opens (EvidenceStore.recover). Discarding them here would lose evidence.
        result.warnings.append(
            "证明材料已登记，但暂时无法全部移入证据目录（磁盘空间不足？）：将在下次启动时自动归位。"
        )


def _unchanged(
    store: Store,
    round_id: int,
    uscc: str,
    form_sha: str,
    staged: list[tuple[str, str, int, int | None]],
    result: ImportResult,
) -> bool:
    """Whether the package is byte for byte the dossier's latest version (same form, same
    files under the same names): a batch re-run after a crash, not a 补正. Sets the result."""
    with store.read() as session:
        latest = session.scalars(
            select(DossierVersion)
            .join(Dossier, DossierVersion.dossier_id == Dossier.id)
            .join(Applicant, Dossier.applicant_id == Applicant.id)
            .where(Dossier.round_id == round_id, Applicant.uscc == uscc)
            .order_by(DossierVersion.number.desc())
            .limit(1)
        ).first()
        if latest is None or latest.form_sha256 != form_sha:
            return False
        files = sorted(
            session.execute(
                select(EvidenceFile.rel_path, EvidenceFile.sha256).where(
                    EvidenceFile.version_id == latest.id
                )
            ).tuples()
        )
        if files != sorted((rel, sha) for rel, sha, _size, _m in staged):
            return False
        result.status, result.version, result.dossier_id = (
            "unchanged",
            latest.number,
            latest.dossier_id,
        )
        return True


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


def _refuse_after_publicity(session: Session, round_id: int, form: DataForm) -> None:
    """Once the list is public, what was publicised is the record: a new version would change
    it underneath the notice. 更正 (with its reason) or a new round are the ways left."""
    started = session.scalar(select(Publicity.start).where(Publicity.round_id == round_id))
    if started is not None:
        raise ImportRejected(
            f"“{form.values.get('platform_name', form.uscc)}”所在批次已于{started.isoformat()}"
            "开始公示，不再接受新版本的申报材料：如需修改已公示的内容，请使用“更正”并写明理由；"
            "新的申报请在新的批次中提交。"
        )


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
    if not is_new:
        _refuse_after_publicity(session, round_id, form)
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
    figures = [
        {"version_id": version.id, "key": k, "value": encode(v), "raw": form.raw.get(k)}
        for k, v in form.values.items()
    ]
    files = [
        {"version_id": version.id, "sha256": sha, "rel_path": rel, "material_number": m}
        for rel, sha, _size, m in staged
    ]
    for row in figures:  # bulk inserts bypass the flush-time check (store/text_limits)
        check_row("declared_figure", row)
    for row in files:
        check_row("evidence_file", row)
    session.execute(insert(DeclaredFigure), figures)
    if files:
        session.execute(insert(EvidenceFile), files)
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
    """Import every package found under ``paths``; one bad package never blocks the rest.

    Without its backup first (a full disk) no package is imported, and each is reported so."""
    try:
        auto_backup(store, "导入前")
    except BackupError as exc:
        full = is_disk_full(exc)
        for package in discover(paths, limits):
            yield ImportResult(
                path=str(package.path),
                status="rejected",
                errors=[
                    ("磁盘空间不足，" if full else "")
                    + f"导入前的自动备份未能写入，“{package.name}”未导入：{exc.message}"
                ],
                fault="disk_full" if full else None,
            )
        return
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
