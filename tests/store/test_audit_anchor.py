"""The audit log is anchored outside the database.

Someone with write access to the database (but not to the data folder's keys/) rewrites an
entry and recomputes every plain SHA-256 link after it, deletes the newest entries, or puts an
earlier copy of the database back. The plain chain cannot see any of that; the keyed chain
and the anchors (backup manifests, keys/audit-anchors.jsonl) must.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import zipfile
from pathlib import Path
from typing import Any

from sme_review_desktop.store import audit, backups, keys
from sme_review_desktop.store.database import STORE_FILE, Store, open_store
from sme_review_desktop.store.integrity import check_store


def _rechain_plainly(db: Path, change: dict[int, str] | None = None, drop_after: int = 0) -> None:
    """What an attacker without the key can do: edit rows, then recompute every plain hash."""
    con = sqlite3.connect(db)
    if drop_after:
        con.execute("delete from audit_entry where id > ?", (drop_after,))
    for entry_id, actor in (change or {}).items():
        con.execute("update audit_entry set actor = ? where id = ?", (actor, entry_id))
    prev = audit.GENESIS
    rows = con.execute(
        "select id, at, actor, action, round_id, dossier_id, before, after from audit_entry order by id"
    ).fetchall()
    for entry_id, at, actor, action, round_id, dossier_id, before, after in rows:
        from datetime import datetime

        payload: dict[str, Any] = {
            "round_id": round_id,
            "dossier_id": dossier_id,
            "before": json.loads(before) if before else None,
            "after": json.loads(after) if after else None,
        }
        digest = audit._digest(prev, datetime.fromisoformat(at), actor, action, payload)
        con.execute(
            "update audit_entry set prev_hash = ?, hash = ? where id = ?", (prev, digest, entry_id)
        )
        prev = digest
    con.commit()
    con.close()


def _reopen(store: Store) -> Store:
    folder = store.data_dir
    store.close()
    return open_store(folder)


def test_the_key_is_private_and_never_in_a_backup(demo_store: Store, tmp_path: Path) -> None:
    key = keys.key_path(demo_store.key_folder, audit.KEY_NAME)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    archive = backups.create_archive(demo_store, tmp_path / "备份.zip")
    with zipfile.ZipFile(archive) as zf:
        assert not [n for n in zf.namelist() if "key" in n]
        head = json.loads(zf.read("manifest.json"))["audit_head"]
    assert set(head) == {"id", "hash", "mac", "key_id"}
    assert keys.secret(demo_store.key_folder, "other") != keys.secret(
        demo_store.key_folder, "audit"
    )


def test_a_rewritten_and_rechained_log_is_found(demo_store: Store) -> None:
    assert check_store(demo_store).ok
    db = demo_store.data_dir / STORE_FILE
    store = _reopen(demo_store)
    store.close()
    _rechain_plainly(db, {3: "冒名者"})
    store = open_store(db.parent)
    problems = check_store(store).audit
    store.close()
    assert any("第3条" in p and "密钥签名不符" in p for p in problems), problems


def test_a_truncated_log_is_found_against_the_backup_anchor(
    demo_store: Store, tmp_path: Path
) -> None:
    backups.create_archive(demo_store, demo_store.backups_dir / "备份.zip")
    with demo_store.read() as session:
        top = audit.head(session)
    assert top is not None
    db = demo_store.data_dir / STORE_FILE
    demo_store.close()
    _rechain_plainly(db, drop_after=top[0] - 2)
    # the attacker also removes the anchors file: the backup manifest still remembers
    (db.parent / "keys" / audit.ANCHORS_FILE).unlink()
    store = open_store(db.parent)
    problems = check_store(store).audit
    store.close()
    assert any("截短" in p and "备份.zip" in p for p in problems), problems


def test_an_earlier_copy_of_the_database_put_back_is_found(demo_store: Store) -> None:
    db = demo_store.data_dir / STORE_FILE
    early = db.with_name("early.sqlite3")
    shutil.copy(db, early)
    from datetime import date

    from sme_review_desktop.rounds import create_round

    create_round(demo_store, "liaocheng-2021", "再一批", date(2027, 6, 30), "t")
    assert check_store(demo_store).ok  # anchors the newer head
    demo_store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(early, db)
    store = open_store(db.parent)
    problems = check_store(store).audit
    store.close()
    assert any("更早的副本" in p for p in problems), problems


def test_a_store_without_a_key_migrates_at_a_recorded_point(store: Store) -> None:
    """Entries written before the key existed stay on the plain chain; the keyed chain starts
    at the next entry, and where is written down beside the key."""
    from datetime import date

    from sme_review_desktop.rounds import create_round

    # An installation before the key existed: entries chained plainly (a session that does
    # not come from Store.write carries no key folder), no keys/ folder.
    with store._sessions() as session:
        for n in range(3):
            audit.record(session, "旧版本", "legacy.entry", after={"n": n})
        session.commit()
    assert not (store.key_folder / "keys").exists()
    with store.read() as session:
        plain_top = audit.head(session)
    assert plain_top is not None
    create_round(store, "liaocheng-2021", "二批", date(2026, 6, 30), "t")
    start = json.loads((store.key_folder / "keys" / audit.CHAIN_FILE).read_text("utf-8"))
    assert start["keyed_from"] == plain_top[0] + 1
    report = check_store(store)
    assert report.ok, report.audit


def test_audit_check_code(demo_store: Store) -> None:
    from datetime import date

    from sme_review_desktop.rounds import create_round

    code = audit.audit_check_code(demo_store)
    assert len(code) == 9 and code[4] == "-"
    assert audit.audit_check_code(demo_store) == code  # stable while the log is
    create_round(demo_store, "liaocheng-2021", "再一批", date(2027, 6, 30), "t")
    assert audit.audit_check_code(demo_store) != code
