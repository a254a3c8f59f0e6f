"""The integrity check finds a changed evidence file, a missing one, and an edited audit entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from sme_review_desktop.demo import load_demo
from sme_review_desktop.models import EvidenceBlob
from sme_review_desktop.store.database import open_store
from sme_review_desktop.store.evidence import EvidenceCorrupt, EvidenceStore
from sme_review_desktop.store.integrity import check_store


def test_clean_store_passes_then_each_tampering_is_reported(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data")
    load_demo(store)
    report = check_store(store)
    assert report.ok and report.files_checked > 100

    with store.read() as session:
        first, second = session.query(EvidenceBlob.sha256).limit(2).all()
    evidence = EvidenceStore(store.evidence_dir)
    path = evidence.blob_path(first[0])
    path.write_bytes(path.read_bytes() + b"tampered")
    evidence.blob_path(second[0]).unlink()
    with pytest.raises(EvidenceCorrupt, match="已被改动"):
        evidence.open_verified(first[0])  # opening never shows changed bytes silently

    with store.write() as session:  # an edit made outside the app, straight in SQL
        session.execute(text("UPDATE audit_entry SET actor = '他人' WHERE id = 3"))

    report = check_store(store)
    assert not report.ok
    assert any("不符" in e for e in report.evidence) and any("缺失" in e for e in report.evidence)
    assert len(report.audit) == 1 and "第3条" in report.audit[0]
    assert "审计记录：1处异常" in "\n".join(report.lines())
