"""Backups that always restore, and a store that heals.

A damaged or missing evidence file must not make a backup unrestorable: the archive holds what
is sound, its manifest names the rest, verify and restore accept it and say so, and `backup
create` exits non-zero naming them. A restore or an import replaces a damaged file with
verified bytes; `check` says which archive in backups/ or which package would heal a file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from cli.test_contract import run, run_json
from importing.helpers import make_folder, new_round
from sqlalchemy import select

from sme_review_desktop.importing.package import discover
from sme_review_desktop.importing.service import import_package
from sme_review_desktop.models import EvidenceBlob, EvidenceFile
from sme_review_desktop.store import backups, heal
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.store.evidence import EvidenceStore
from sme_review_desktop.store.integrity import check_store


def _two_blobs(store: Store) -> tuple[Path, Path]:
    with store.read() as session:
        shas = sorted(session.scalars(select(EvidenceBlob.sha256)))
    ev = EvidenceStore(store.evidence_dir)
    return ev.blob_path(shas[0]), ev.blob_path(shas[1])


def _damage(path: Path) -> bytes:
    good = path.read_bytes()
    path.write_bytes(bytes([good[0] ^ 0xFF]) + good[1:])
    return good


def test_a_damaged_and_a_missing_file_still_give_a_restorable_archive(
    demo_store: Store, tmp_path: Path
) -> None:
    damaged, missing = _two_blobs(demo_store)
    _damage(damaged)
    missing.unlink()
    result = backups.write_archive(demo_store, tmp_path / "备份.zip")
    d_name = f"evidence/{damaged.parent.name}/{damaged.name}"
    m_name = f"evidence/{missing.parent.name}/{missing.name}"
    assert result.damaged == [d_name] and result.missing == [m_name]
    assert not result.complete and any(d_name in line for line in result.lines())

    report = backups.verify_archive(result.path)
    assert report.ok, report.problems
    assert any(d_name in u for u in report.unsound) and any(m_name in u for u in report.unsound)
    assert "未包含在备份中" in "\n".join(report.lines())

    fresh = tmp_path / "新电脑"
    restored = backups.restore_archive(result.path, fresh)
    assert restored.ok and len(restored.unsound) == 2
    store = open_store(fresh)
    check = check_store(store)
    store.close()
    assert len(check.evidence) == 2  # the two, named by check; everything else restored
    assert not (fresh / d_name).exists()  # damaged bytes are never placed


def test_restore_replaces_a_damaged_file_in_the_folder(demo_store: Store, tmp_path: Path) -> None:
    archive = backups.create_archive(demo_store, tmp_path / "好.zip")
    damaged, _ = _two_blobs(demo_store)
    good = _damage(damaged)
    data_dir = demo_store.data_dir
    demo_store.close()
    report = backups.restore_archive(archive, data_dir)
    assert report.ok and report.healed == [f"evidence/{damaged.parent.name}/{damaged.name}"]
    assert damaged.read_bytes() == good
    store = open_store(data_dir)
    assert check_store(store).ok
    store.close()


def test_reimport_replaces_a_damaged_file(store: Store, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "in")
    round_id = new_round(store)
    [package] = list(discover([folder]))
    assert import_package(store, round_id, package, "t").status == "imported"
    with store.read() as session:
        sha = session.scalars(select(EvidenceFile.sha256)).first()
    assert sha is not None
    path = EvidenceStore(store.evidence_dir).blob_path(sha)
    good = _damage(path)
    assert not check_store(store).ok
    [again] = list(discover([folder]))
    import_package(store, round_id, again, "t")
    assert path.read_bytes() == good and check_store(store).ok


def test_check_names_the_backup_and_the_package_and_heal_puts_it_back(
    demo_store: Store, tmp_path: Path
) -> None:
    archive = backups.create_archive(demo_store, demo_store.data_dir / "backups" / "周备份.zip")
    damaged, missing = _two_blobs(demo_store)
    _damage(damaged)
    missing.unlink()
    report = check_store(demo_store)
    assert len(report.evidence) == 2
    for line in report.evidence:
        assert "周备份.zip" in line and "backup heal" in line and "重新导入原申报材料" in line
    healed, left = heal.heal_from_archive(demo_store, archive)
    assert len(healed) == 2 and left == []
    assert check_store(demo_store).ok


def test_cli_backup_create_exits_non_zero_and_names_the_files(
    tmp_path: Path, demo_template: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    blob = sorted((data / "evidence").glob("??/*"))[0]
    blob.unlink()
    proc = run(data, "backup", "create", "-o", str(tmp_path / "备份.zip"))
    assert proc.returncode == 1 and blob.name in proc.stdout, proc.stderr
    verify = run_json(data, "backup", "verify", str(tmp_path / "备份.zip"))
    assert verify["ok"] and any(blob.name in u for u in verify["unsound"])
