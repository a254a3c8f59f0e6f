"""The integrity check (完整性检查): the database, every evidence file, the audit chain, and
the records against the log (store/reconcile). ``check_damaged`` is the same check for a
database too damaged to open: SQLite's findings, what can still be read, the evidence by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text

from sme_review_desktop.models import DossierVersion, EvidenceBlob, EvidenceFile
from sme_review_desktop.store.audit import (
    anchor,
    check_anchors,
    load_key,
    save_anchor,
    saved_anchors,
    verify_chain,
)
from sme_review_desktop.store.backups import manifest_anchors
from sme_review_desktop.store.damaged import survey
from sme_review_desktop.store.database import STORE_FILE, Store
from sme_review_desktop.store.evidence import EvidenceStore
from sme_review_desktop.store.heal import archives_holding
from sme_review_desktop.store.reconcile import reconcile


@dataclass
class IntegrityReport:
    database: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    audit: list[str] = field(default_factory=list)
    files_checked: int = 0
    orphans: list[str] = field(default_factory=list)
    # rows whose current value is not what their last audit entry wrote (store/reconcile)
    records: list[str] = field(default_factory=list)
    # a damaged database: rows still readable per table (None: lost); None when it opened
    readable: dict[str, int | None] | None = None

    @property
    def ok(self) -> bool:
        return not (self.database or self.evidence or self.audit or self.records)

    def lines(self) -> list[str]:
        out = [
            "数据库：" + ("正常" if not self.database else "；".join(self.database)),
            f"证明材料：已核对{self.files_checked}个文件，"
            + ("全部完好" if not self.evidence else f"{len(self.evidence)}个有问题"),
            *(f"  · {e}" for e in self.evidence),
            "审计记录：" + ("链条完整" if not self.audit else f"{len(self.audit)}处异常"),
            *(f"  · {a}" for a in self.audit),
        ]
        if self.readable is None:
            out.append(
                "记录核对："
                + ("认定决定、评分和审核结论均与审计记录一致" if not self.records else "")
                + (f"{len(self.records)}处记录在系统之外被改动" if self.records else "")
            )
            out += [f"  · {r}" for r in self.records]
        else:
            lost = [t for t, n in self.readable.items() if n is None]
            out.append(
                "仍可读出："
                + "、".join(f"{t}（{n}条）" for t, n in self.readable.items() if n is not None)
            )
            if lost:
                out.append("无法读出：" + "、".join(lost))
        if self.orphans:
            out.append(
                f"提示：证据目录中有{len(self.orphans)}个文件不属于任何申报材料（不影响使用）。"
            )
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "database": self.database,
            "evidence": self.evidence,
            "audit": self.audit,
            "files_checked": self.files_checked,
            "orphans": self.orphans,
            "records": self.records,
            "readable": self.readable,
        }


def check_store(
    store: Store, progress: Callable[[int, int], None] | None = None
) -> IntegrityReport:
    report = IntegrityReport()
    with store.read() as session:
        if store.is_sqlite:
            rows = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
            if rows != ["ok"]:
                report.database = [str(r) for r in rows]
            fk = list(session.execute(text("PRAGMA foreign_key_check")))
            if fk:
                report.database.append(f"有{len(fk)}条记录的外键引用不存在")
        blobs = list(session.scalars(select(EvidenceBlob.sha256)))
        chain = load_key(store.key_folder)
        report.audit = verify_chain(session, chain)
        anchors = saved_anchors(store.key_folder) + manifest_anchors(store.backups_dir)
        anchors.sort(key=lambda a: str(a.get("at", "")))
        report.audit += check_anchors(session, chain, anchors)
        report.records = reconcile(session)
        if not report.audit:
            save_anchor(store.key_folder, anchor(session, chain), "完整性检查")
    evidence = EvidenceStore(store.evidence_dir)
    bad: dict[str, str] = {}
    for n, sha in enumerate(blobs):
        path = evidence.blob_path(sha)
        if not path.is_file():
            bad[sha] = "文件缺失"
        elif not evidence.verify(sha):
            bad[sha] = "内容与校验值不符（可能被改动或损坏）"
        report.files_checked += 1
        if progress:
            progress(n + 1, len(blobs))
    report.evidence = _with_remedies(store, bad)
    known = set(blobs)
    report.orphans = sorted(name for name in evidence.all_blob_names() if name not in known)
    return report


def _with_remedies(store: Store, bad: dict[str, str]) -> list[str]:
    """One line per unsound blob: which file of which dossier it is, and what would heal it
    (an archive in the data folder's backups/ that holds it sound, or re-importing the
    package it came from: an import replaces a damaged file with verified bytes)."""
    if not bad:
        return []
    names = {f"evidence/{sha[:2]}/{sha}": sha for sha in bad}
    holding = archives_holding(store.data_dir, set(names))
    uses: dict[str, list[tuple[str, str, int, str]]] = {}
    with store.read() as session:
        rows = session.execute(
            select(
                EvidenceFile.sha256,
                EvidenceFile.rel_path,
                DossierVersion.platform_name,
                DossierVersion.number,
                DossierVersion.source_name,
            )
            .join(DossierVersion, EvidenceFile.version_id == DossierVersion.id)
            .where(EvidenceFile.sha256.in_(list(bad)))
        )
        for sha, rel, platform, number, source in rows:
            uses.setdefault(sha, []).append((rel, platform, number, source))
        forms = session.execute(
            select(
                DossierVersion.form_sha256,
                DossierVersion.form_path,
                DossierVersion.platform_name,
                DossierVersion.number,
                DossierVersion.source_name,
            ).where(DossierVersion.form_sha256.in_(list(bad)))
        )
        for sha, rel, platform, number, source in forms:
            uses.setdefault(str(sha), []).append((rel or "申报数据表", platform, number, source))
    lines = []
    for name, sha in sorted(names.items()):
        where = uses.get(sha, [])
        what = "；".join(f"“{p}”第{n}版的“{r}”" for r, p, n, _ in where[:3]) or "未被引用"
        remedies = []
        if name in holding:
            remedies.append(
                f"可从备份“{holding[name][0].name}”取回（sme-review backup heal "
                f"{holding[name][0]}，只补回证明材料，不改动数据）"
            )
        sources = sorted({s for *_, s in where if s})
        if sources:
            remedies.append("或重新导入原申报材料“" + "”“".join(sources[:3]) + "”")
        remedy = (
            "；".join(remedies) if remedies else "本机备份中没有完好副本，请找回原申报材料重新导入"
        )
        lines.append(f"{bad[sha]}：{sha[:16]}…（{what}）。{remedy}。")
    return lines


def check_damaged(data_dir: Path, evidence_dir: Path, error: BaseException) -> IntegrityReport:
    """The check of a SQLite store that cannot be opened or read through (``error``): what
    PRAGMA integrity_check finds, which tables can still be read, and every evidence file
    checked against its name (content-addressed, so no database is needed for that)."""
    found = survey(data_dir / STORE_FILE)
    report = IntegrityReport(readable=found.readable)
    cause = getattr(error, "orig", None) or error
    report.database = [f"数据库已损坏，无法正常打开：{cause}", *found.findings]
    report.database.append(
        "请从备份恢复（sme-review backup restore 备份文件.zip），或使用 backups/ 中最近的自动备份；"
        "恢复前请先复制一份损坏的数据库留存。"
    )
    evidence = EvidenceStore(evidence_dir)
    for name in evidence.all_blob_names():
        report.files_checked += 1
        if not evidence.verify(name):
            report.evidence.append(f"内容与校验值不符（可能被改动或损坏）：{name[:16]}…")
    report.audit = ["数据库损坏，无法核对审计记录。"]
    return report
