"""The integrity check (完整性检查): the database, every evidence file, the audit chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select, text

from sme_review_desktop.models import EvidenceBlob
from sme_review_desktop.store.audit import verify_chain
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.evidence import EvidenceStore


@dataclass
class IntegrityReport:
    database: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    audit: list[str] = field(default_factory=list)
    files_checked: int = 0
    orphans: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.database or self.evidence or self.audit)

    def lines(self) -> list[str]:
        out = [
            "数据库：" + ("正常" if not self.database else "；".join(self.database)),
            f"证明材料：已核对{self.files_checked}个文件，"
            + ("全部完好" if not self.evidence else f"{len(self.evidence)}个有问题"),
            *(f"  · {e}" for e in self.evidence),
            "审计记录：" + ("链条完整" if not self.audit else f"{len(self.audit)}处异常"),
            *(f"  · {a}" for a in self.audit),
        ]
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
        report.audit = verify_chain(session)
    evidence = EvidenceStore(store.evidence_dir)
    for n, sha in enumerate(blobs):
        path = evidence.blob_path(sha)
        if not path.is_file():
            report.evidence.append(f"文件缺失：{sha[:16]}…")
        elif not evidence.verify(sha):
            report.evidence.append(f"内容与校验值不符（可能被改动或损坏）：{sha[:16]}…")
        report.files_checked += 1
        if progress:
            progress(n + 1, len(blobs))
    known = set(blobs)
    report.orphans = sorted(name for name in evidence.all_blob_names() if name not in known)
    return report
