"""Checking an archived database before it replaces the store."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from sme_review_desktop.store.archive_report import CHUNK
from sme_review_desktop.store.archive_signing import foreign_objects
from sme_review_desktop.store.database import STORE_FILE, head_revision
from sme_review_desktop.store.leftovers import VERIFY_SCRATCH, scratch_prefix


def check_database(
    zf: zipfile.ZipFile, manifest: dict[str, Any], extracted: Path | None
) -> list[str]:
    files: dict[str, dict[str, Any]] = manifest.get("files") or {}
    # Evidence the manifest says was damaged or missing when the archive was made is known
    # to be absent; anything else the database names must be there.
    accounted = set(files) | set(manifest.get("damaged") or {}) | set(manifest.get("missing") or [])
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix=scratch_prefix(VERIFY_SCRATCH)) as scratch:
        db = extracted / STORE_FILE if extracted else Path(scratch) / STORE_FILE
        if extracted is None:
            with zf.open(STORE_FILE) as src, db.open("wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                status = [r[0] for r in con.execute("PRAGMA integrity_check")]
                foreign = foreign_objects(con)
                blobs = {r[0] for r in con.execute("select sha256 from evidence_blob")}
                (revision,) = con.execute("select version_num from alembic_version").fetchone()
            finally:
                con.close()
        except sqlite3.Error as exc:
            return [f"备份中的数据库无法读取：{exc}"]
        if status != ["ok"]:
            problems.append("备份中的数据库未通过完整性检查：" + "；".join(status[:5]))
        if foreign:
            problems.append(
                "备份中的数据库含有本系统不会创建的对象，可能被植入了在本机执行的内容，不予恢复："
                + "、".join(foreign[:10])
            )
        missing = sorted(b for b in blobs if f"evidence/{b[:2]}/{b}" not in accounted)
        if missing:
            problems.append(
                f"数据库登记的证明材料有{len(missing)}个不在备份中（如 {missing[0][:12]}…）：备份不完整。"
            )
        if str(revision) > head_revision():
            problems.append("此备份由更新版本的软件创建，请先升级本软件再恢复。")
    return problems
