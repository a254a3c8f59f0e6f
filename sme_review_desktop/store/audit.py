"""The audit log: who changed what, when, before → after, each entry chained to the last.

Two chains, one after the other. Entries written before this installation had an audit key
are chained with plain SHA-256 (anyone can recompute them, so they show accidents, not
tampering). From the first entry written with a key (``keys/audit.key``, outside the database
and every backup; store/keys.py) each entry's ``hash`` is HMAC-SHA256 under that key: rewriting,
inserting or replaying entries without the key is found by ``verify_chain``. Where the keyed
chain starts is written outside the database (``keys/audit-chain.json``) when the key is made,
so it cannot be moved by editing the database. Anchors (the head's id, hash and keyed digest)
are kept in every backup manifest and in ``keys/audit-anchors.jsonl``; a log shorter than an
anchor, or whose entry differs from it, has been truncated, rolled back or rewritten.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sme_review_desktop.models import AuditEntry
from sme_review_desktop.models.base import utcnow
from sme_review_desktop.store import keys

GENESIS = "0" * 64
KEY_NAME = "audit"
CHAIN_FILE = "audit-chain.json"
ANCHORS_FILE = "audit-anchors.jsonl"


def _body(
    prev: str,
    at: datetime,
    actor: str,
    action: str,
    payload: dict[str, Any],
    os_account: str | None = None,
) -> bytes:
    # SQLite hands datetimes back without their zone: hash the naive UTC time either way.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    # Entries from before the OS account was recorded have none, and hash as they always did.
    extra = {} if os_account is None else {"os_account": os_account}
    return json.dumps(
        {
            "prev": prev,
            "at": at.isoformat(timespec="seconds"),
            "actor": actor,
            "action": action,
            **payload,
            **extra,
        },
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    ).encode("utf-8")


def _digest(prev: str, at: datetime, actor: str, action: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256(_body(prev, at, actor, action, payload)).hexdigest()


def _mac(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


# the key and where the keyed chain starts ---------------------------------------------------
@dataclass(frozen=True)
class ChainKey:
    """This installation's audit key, and the first entry id it signs (None: no key here)."""

    key: bytes | None
    keyed_from: int | None
    key_id: str = ""  # a public fingerprint of the key, to tell keys apart in messages

    def anchor_mac(self, entry_id: int, entry_hash: str) -> str:
        assert self.key is not None
        return _mac(self.key, f"anchor|{entry_id}|{entry_hash}".encode())


def key_id(key: bytes) -> str:
    return hashlib.sha256(b"key-id|" + key).hexdigest()[:16]


def _chain_file(folder: Path) -> Path:
    return keys.keys_dir(folder) / CHAIN_FILE


def load_key(folder: Path) -> ChainKey:
    """The key and start point, without creating anything (read-only commands)."""
    key = keys.existing_secret(folder, KEY_NAME)
    if key is None:
        return ChainKey(None, None)
    try:
        start = json.loads(_chain_file(folder).read_text(encoding="utf-8"))
        keyed_from = int(start["keyed_from"])
    except (OSError, ValueError, KeyError, TypeError):
        keyed_from = None  # the key exists but its start was lost: verify_chain says so
    return ChainKey(key, keyed_from, key_id(key))


_KNOWN: dict[Path, ChainKey] = {}


def _ensure_key(folder: Path, next_id: int) -> ChainKey:
    """The key, created on the first write that needs it; the keyed chain starts at
    ``next_id`` (the entry about to be written), recorded beside the key."""
    cached = _KNOWN.get(folder)
    if cached is not None:
        return cached
    current = load_key(folder)
    if current.key is not None and current.keyed_from is not None:
        _KNOWN[folder] = current  # neither changes once made: read once per process
        return current
    key = keys.secret(folder, KEY_NAME)
    target = _chain_file(folder)
    if not target.exists():
        record = {
            "keyed_from": next_id,
            "key_id": key_id(key),
            "created_at": datetime.now().isoformat(timespec="seconds"),
            "note": "此前的审计记录以普通哈希相连；自此条起以本目录中的密钥签名。",
        }
        tmp = target.with_name(f".{CHAIN_FILE}.{os.getpid()}.part")
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        with contextlib.suppress(FileExistsError):
            os.link(tmp, target)  # the first writer's start point wins
        tmp.unlink(missing_ok=True)
    return load_key(folder)


def os_account(windows: bool = os.name == "nt") -> str:
    """This program's operating-system account: ``DOMAIN\\user`` on Windows, else the user name."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): say so, do not guess
        user = f"uid{os.getuid()}" if hasattr(os, "getuid") else "未知账户"
    domain = os.environ.get("USERDOMAIN", "") if windows else ""
    return f"{domain}\\{user}" if domain else user


def _server_head(session: Session) -> tuple[int, str, str | None] | None:
    """On a server set up by store/server_roles: the chain's head and this login's registered
    name, from the server (an expert may not read the audit table). None elsewhere."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return None
    if session.scalar(text("SELECT to_regproc('public.sme_review_audit_head')")) is None:
        return None
    row = session.execute(text("SELECT * FROM sme_review_audit_head()")).one()
    return int(row.head_id), str(row.head_hash), row.actor


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    round_id: int | None = None,
    dossier_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction (so it commits or rolls back with the change).

    On a server set up with roles the actor is the login's registered name, whatever the
    caller passed: the server's trigger writes that name and the link to the entry before,
    and the keyed digest computed here is over the same values (docs/decisions.md).
    """
    server = _server_head(session)
    if server is not None:
        last_id, prev, registered = server
        actor = registered or actor
    else:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
        last_id, prev = (last.id, last.hash) if last else (0, GENESIS)
    account = os_account()
    at = utcnow().replace(microsecond=0)
    payload = {"round_id": round_id, "dossier_id": dossier_id, "before": before, "after": after}
    body = _body(prev, at, actor, action, payload, account)
    folder = session.info.get("key_folder")
    if folder is not None:
        chain = _ensure_key(Path(folder), last_id + 1)
        assert chain.key is not None
        digest = _mac(chain.key, body)
    else:  # a session not opened by Store.write (none in the app): plain, and flagged later
        digest = hashlib.sha256(body).hexdigest()
    entry = AuditEntry(
        at=at,
        actor=actor,
        action=action,
        round_id=round_id,
        dossier_id=dossier_id,
        before=before,
        after=after,
        prev_hash=prev,
        hash=digest,
        os_account=account,
    )
    session.add(entry)
    session.flush()
    return entry


# verifying --------------------------------------------------------------------------------
def verify_chain(session: Session, chain: ChainKey | None = None) -> list[str]:
    """Problems with the chain, in Chinese; empty when every entry still hashes as written.

    Entries before the keyed start are checked by the plain chain; from it on, against the key.
    Without ``chain`` (or on a PC without the key) the keyed part is checked for linkage only,
    and the report says the key is not here.
    """
    if chain is None and session.info.get("key_folder") is not None:
        chain = load_key(Path(session.info["key_folder"]))
    problems: list[str] = []
    prev = GENESIS
    keyed_from = chain.keyed_from if chain else None
    key = chain.key if chain else None
    if key is not None and keyed_from is None:
        problems.append(
            f"本目录有审计密钥，但签名起点记录（keys/{CHAIN_FILE}）缺失或已损坏：无法判断哪些记录应有签名。"
        )
    unverifiable = False
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        payload = {
            "round_id": entry.round_id,
            "dossier_id": entry.dossier_id,
            "before": entry.before,
            "after": entry.after,
        }
        body = _body(prev, entry.at, entry.actor, entry.action, payload, entry.os_account)
        linked = entry.prev_hash == prev
        plain = entry.hash == hashlib.sha256(body).hexdigest()
        keyed = keyed_from is not None and entry.id >= keyed_from
        why = "与前后记录不连贯：可能在系统外被改动"
        if keyed and key is not None:
            sound = linked and hmac.compare_digest(entry.hash, _mac(key, body))
            why = "密钥签名不符：可能在系统外被改写、插入或重放"
        elif unverifiable or (key is None and chain is not None and not plain):
            # Signed where this PC has no key: only the links can be checked.
            if not unverifiable:
                unverifiable = True
                problems.append(
                    f"审计记录自第{entry.id}条起以密钥签名，但本机没有该密钥"
                    f"（数据目录的 keys/{KEY_NAME}.key），无法核对签名：数据可能来自另一台电脑"
                    "（如从其他电脑的备份恢复）。请把原电脑数据目录中的 keys 文件夹复制过来后再检查。"
                )
            sound = linked
        else:
            sound = linked and plain
        if not sound:
            problems.append(f"审计记录第{entry.id}条（{entry.action}）{why}。")
        prev = entry.hash
    return problems


# anchors ----------------------------------------------------------------------------------
def head(session: Session) -> tuple[int, str] | None:
    server = _server_head(session)  # an expert login may not read the audit table itself
    if server is not None:
        return (server[0], server[1]) if server[0] else None
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    return (last.id, last.hash) if last else None


def anchor(session: Session, chain: ChainKey) -> dict[str, Any] | None:
    """The head as an anchor: id, hash and (with the key) its keyed digest."""
    top = head(session)
    if top is None:
        return None
    out: dict[str, Any] = {"id": top[0], "hash": top[1]}
    if chain.key is not None:
        out["mac"] = chain.anchor_mac(*top)
        out["key_id"] = chain.key_id
    return out


def save_anchor(folder: Path, found: dict[str, Any] | None, source: str) -> None:
    """Append an anchor to ``keys/audit-anchors.jsonl`` (outside the database and backups)."""
    if found is None:
        return
    home = keys.keys_dir(folder)
    line = {**found, "source": source, "at": datetime.now().isoformat(timespec="seconds")}
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        with (home / ANCHORS_FILE).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    except OSError:
        pass  # an anchor is extra evidence; a read-only folder must not stop the work


def saved_anchors(folder: Path) -> list[dict[str, Any]]:
    try:
        text = (keys.keys_dir(folder) / ANCHORS_FILE).read_text(encoding="utf-8")
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):
            item = json.loads(line)
            if isinstance(item, dict) and "id" in item and "hash" in item:
                out.append(item)
    return out


def check_anchors(session: Session, chain: ChainKey, anchors: list[dict[str, Any]]) -> list[str]:
    """Each anchor must still be in the log as recorded: a missing or different entry means
    the log was truncated, rolled back or rewritten after the anchor was taken. A restore is
    itself recorded as an anchor of source "restore": anchors older than the last restore
    describe the store that restore replaced and are not held against it."""
    problems: list[str] = []
    valid: list[tuple[int, str, str, dict[str, Any]]] = []
    for a in anchors:
        try:
            entry_id, entry_hash = int(a["id"]), str(a["hash"])
        except (KeyError, TypeError, ValueError):
            continue
        where = f"{a.get('source', '')}（{a.get('at', '')}）"
        signed_here = chain.key is not None and a.get("key_id") == chain.key_id
        if signed_here and not hmac.compare_digest(
            str(a.get("mac", "")), chain.anchor_mac(entry_id, entry_hash)
        ):
            problems.append(f"审计锚点{where}签名不符：锚点被改动过，不予采信。")
            continue
        valid.append((entry_id, entry_hash, where, a))
    restores = [i for i, (*_, a) in enumerate(valid) if a.get("source") == "restore"]
    top = session.scalar(select(func.max(AuditEntry.id))) or 0
    for entry_id, entry_hash, where, _ in valid[restores[-1] :] if restores else valid:
        if entry_id > top:
            problems.append(
                f"审计记录只有{top}条，但{where}时已有第{entry_id}条："
                "记录被截短，或数据库被换成了更早的副本。"
            )
            continue
        found = session.get(AuditEntry, entry_id)
        if found is None or found.hash != entry_hash:
            problems.append(f"审计记录第{entry_id}条与{where}时记下的不同：记录在此后被改写。")
    return problems


def audit_check_code(store: Any) -> str:
    """The 审计校验码 a document prints: 8 hex characters of the keyed digest of the audit
    head at printing time ("XXXX-XXXX"); anyone holding the key can recompute it from the log
    to show the document was printed from this, unaltered, record. Without a key or an entry:
    an empty string."""
    chain = load_key(store.key_folder)
    with store.read() as session:
        top = head(session)
    if chain.key is None or top is None:
        return ""
    code = _mac(chain.key, f"check-code|{top[0]}|{top[1]}".encode())[:8].upper()
    return f"{code[:4]}-{code[4:]}"
