"""A batch re-run after a crash: byte-identical packages are "unchanged", not a 补正 version."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.models import AuditEntry, DossierVersion
from sme_review_desktop.store.database import Store, open_store

from .helpers import evidence_bytes, make_folder, new_round


def _versions(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(DossierVersion)) or 0)


def _audit(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_identical_package_is_unchanged(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path / "a", files={"03_营业执照.pdf": evidence_bytes("x")})
    (first,) = import_paths(store, rid, [folder], "测试")
    assert first.status == "imported"
    copy = tmp_path / "b" / folder.name
    shutil.copytree(folder, copy)  # the same bytes, from another place
    audit_before = _audit(store)
    (again,) = import_paths(store, rid, [copy], "测试")
    assert again.status == "unchanged"
    assert again.version == 1 and again.dossier_id == first.dossier_id
    assert again.as_json()["status"] == "unchanged"
    assert _versions(store) == 1
    assert _audit(store) == audit_before  # nothing written, so nothing to log


def test_one_changed_byte_is_a_new_version(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path / "a", files={"03_营业执照.pdf": evidence_bytes("x")})
    import_paths(store, rid, [folder], "测试").__next__()
    (folder / "03_营业执照.pdf").write_bytes(evidence_bytes("y"))
    (again,) = import_paths(store, rid, [folder], "测试")
    assert again.status == "new_version" and again.version == 2


def test_same_files_under_another_name_is_a_new_version(store: Store, tmp_path: Path) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path / "a", files={"03_营业执照.pdf": evidence_bytes("x")})
    import_paths(store, rid, [folder], "测试").__next__()
    (folder / "03_营业执照.pdf").rename(folder / "04_营业执照.pdf")
    (again,) = import_paths(store, rid, [folder], "测试")
    assert again.status == "new_version"


def test_unchanged_compares_with_the_latest_version_only(store: Store, tmp_path: Path) -> None:
    """v1, v2, then v1 again: going back is a genuine 补正, not a re-run."""
    rid = new_round(store)
    v1 = make_folder(tmp_path / "v1", files={"03_营业执照.pdf": evidence_bytes("1")})
    v2 = make_folder(tmp_path / "v2", files={"03_营业执照.pdf": evidence_bytes("2")})
    shutil.copy(v1 / "申报数据表.xlsx", v2 / "申报数据表.xlsx")
    statuses = [next(import_paths(store, rid, [p], "测试")).status for p in (v1, v2, v1)]
    assert statuses == ["imported", "new_version", "new_version"]


def test_cli_json_reports_unchanged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = open_store(data)
    rid = new_round(store)
    store.close()
    folder = make_folder(tmp_path / "in", files={"03_营业执照.pdf": evidence_bytes("x")})
    cmd = [sys.executable, "-m", "sme_review_desktop.cli", "--data-dir", str(data)]
    args = ["import", "--round", str(rid), "--json", str(folder)]
    first = subprocess.run(cmd + args, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(cmd + args, capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    (result,) = json.loads(again.stdout)["results"]
    assert result["status"] == "unchanged" and result["version"] == 1
    human = subprocess.run(cmd + args[:-2] + [str(folder)], capture_output=True, text=True)
    assert "[未变]" in human.stdout
