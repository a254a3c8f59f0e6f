"""A backup archive's signature (the audit key, kept outside every archive) and the schema objects a restored database may not bring."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from pathlib import Path
from typing import Any

from sme_review_desktop.store import audit
from sme_review_desktop.store.archive_report import ArchiveReport


def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return b"manifest|" + json.dumps(
        body, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def sign(key: bytes, manifest: dict[str, Any]) -> dict[str, str]:
    """The manifest's keyed digest (the audit key): it lists every member's SHA-256, so it
    authenticates the whole archive."""
    return {
        "key_id": audit.key_id(key),
        "hmac": hmac.new(key, _canonical(manifest), hashlib.sha256).hexdigest(),
    }


def check_signature(
    manifest: dict[str, Any], key_folder: Path | None, report: ArchiveReport
) -> list[str]:
    signature = manifest.get("signature")
    chain = audit.load_key(key_folder) if key_folder is not None else audit.ChainKey(None, None)
    if not isinstance(signature, dict):
        report.notes.append("此备份没有签名（由旧版本软件创建），无法确认创建后未被改动。")
        return []
    if chain.key is None:
        report.notes.append(
            "本机没有签名密钥（数据目录的 keys 文件夹），无法核对此备份的签名；"
            "如有原电脑的 keys 文件夹，请先复制到本机数据目录再恢复。"
        )
        return []
    if signature.get("key_id") != chain.key_id:
        return [
            "此备份由另一台电脑（或另一个数据目录）创建，签名密钥与本机不同"
            f"（备份的密钥 {str(signature.get('key_id', ''))[:8]}，本机 {chain.key_id[:8]}），"
            "无法确认备份未被改动，不予恢复。如确为本单位的备份，请把创建它的电脑上数据目录中的"
            " keys 文件夹复制到本机数据目录后再恢复。"
        ]
    expected = sign(chain.key, manifest)["hmac"]
    if not hmac.compare_digest(str(signature.get("hmac", "")), expected):
        return ["备份清单的签名不符：备份在创建后被改动过，不能恢复。"]
    return []


# What a restored database may hold: the app's tables (and SQLite's own indexes for them).
def foreign_objects(con: sqlite3.Connection) -> list[str]:
    from sme_review_desktop.models import Base

    tables = set(Base.metadata.tables) | {"alembic_version"}
    indexes = {i.name for t in Base.metadata.tables.values() for i in t.indexes if i.name}
    kinds = {"trigger": "触发器", "view": "视图", "table": "数据表", "index": "索引"}
    found = []
    for kind, name, table in con.execute("select type, name, tbl_name from sqlite_master"):
        if kind == "table" and name in tables:
            continue
        if (
            kind == "index"
            and table in tables
            and (name in indexes or name.startswith(("sqlite_autoindex_", "ix_", "uq_")))
        ):
            continue
        if name.startswith("sqlite_") and kind == "table":
            continue  # sqlite_sequence, sqlite_stat1: SQLite's own
        found.append(f"{kinds.get(kind, kind)}“{name}”")
    return found
