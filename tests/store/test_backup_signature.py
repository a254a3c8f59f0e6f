"""Authenticated backups: the manifest is signed with the audit key (outside every backup).

An archive edited after it was made (even consistently: a member replaced and its hash in the
manifest updated) is refused; an archive signed by another PC's key is refused with a Chinese
message saying so; a database holding a trigger, a view or a table the app did not create is
refused, naming them, even when the signature is good.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

from sme_review_desktop.store import archive_signing, audit, backups, keys
from sme_review_desktop.store.database import STORE_FILE, Store


def _repack(src: Path, dst: Path, *, db: bytes | None = None, evidence: bytes | None = None,
            key: bytes | None = None) -> Path:  # fmt: skip
    """Copy an archive, replacing the database or the first evidence member, with the
    manifest's hashes updated to match, re-signed with ``key`` when given."""
    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read("manifest.json"))
        members = {n: zin.read(n) for n in zin.namelist() if n != "manifest.json"}
    if db is not None:
        members[STORE_FILE] = db
        manifest["files"][STORE_FILE] = {"size": len(db), "sha256": hashlib.sha256(db).hexdigest()}
    if evidence is not None:
        name = sorted(n for n in manifest["files"] if n.startswith("evidence/"))[0]
        members[name] = evidence
        manifest["files"][name] = {
            "size": len(evidence),
            "sha256": hashlib.sha256(evidence).hexdigest(),
        }
    if key is not None:
        manifest["signature"] = archive_signing.sign(key, manifest)
    with zipfile.ZipFile(dst, "w") as zout:
        for name, data in members.items():
            zout.writestr(name, data)
        zout.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    return dst


def test_a_consistently_edited_archive_is_refused(demo_store: Store, tmp_path: Path) -> None:
    good = backups.create_archive(demo_store, tmp_path / "好.zip")
    folder = demo_store.key_folder
    assert backups.verify_archive(good, key_folder=folder).ok
    bad = _repack(good, tmp_path / "改.zip", evidence=b"%PDF-1.4 forged")
    report = backups.verify_archive(bad, key_folder=folder)
    assert not report.ok and "签名不符" in "".join(report.problems)
    data_dir = demo_store.data_dir
    before = (data_dir / STORE_FILE).read_bytes()
    demo_store.close()
    assert not backups.restore_archive(bad, data_dir).ok
    assert (data_dir / STORE_FILE).read_bytes() == before


def test_an_archive_from_another_pc_is_refused_in_chinese(
    demo_store: Store, tmp_path: Path
) -> None:
    archive = backups.create_archive(demo_store, tmp_path / "备份.zip")
    other = tmp_path / "另一台"
    keys.secret(other, audit.KEY_NAME)
    report = backups.restore_archive(archive, other)
    assert not report.ok and "另一台电脑" in "".join(report.problems)
    assert not (other / STORE_FILE).exists()
    # a PC with no key at all (a new installation) restores, saying what it could not check
    fresh = backups.restore_archive(archive, tmp_path / "新电脑")
    assert fresh.ok and "没有签名密钥" in "".join(fresh.lines())


def test_a_database_with_a_trigger_is_refused_naming_it(demo_store: Store, tmp_path: Path) -> None:
    archive = backups.create_archive(demo_store, tmp_path / "备份.zip")
    with zipfile.ZipFile(archive) as zf:
        (tmp_path / "db.sqlite3").write_bytes(zf.read(STORE_FILE))
    con = sqlite3.connect(tmp_path / "db.sqlite3")
    con.execute(
        "create trigger hide_decisions after insert on audit_entry begin delete from decision; end"
    )
    con.execute("create view v_spy as select * from audit_entry")
    con.execute("create table extra(x)")
    con.commit()
    con.close()
    key = keys.secret(demo_store.key_folder, audit.KEY_NAME)  # even a correctly signed one
    bad = _repack(
        archive, tmp_path / "植入.zip", db=(tmp_path / "db.sqlite3").read_bytes(), key=key
    )
    report = backups.verify_archive(bad, key_folder=demo_store.key_folder)
    text = "".join(report.problems)
    assert not report.ok
    assert "hide_decisions" in text and "v_spy" in text and "extra" in text and "触发器" in text
