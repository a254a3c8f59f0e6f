"""Backups: automatic copies of the store, and whole archives (store + evidence) to restore from.

Automatic backups are SQLite online-backup copies in ``data_dir/backups`` named
``{kind}-{YYYYmmdd-HHMMSS}.sqlite3``: one per working day, and one before every import batch,
round lock and migration; they are pruned after ``Settings.backups_keep_days``. Evidence files
need no automatic copy: they are content-addressed and never changed or deleted.

An archive (备份与恢复) is one zip: ``manifest.json`` (size and SHA-256 of every member),
``store.sqlite3``, ``settings.json`` and ``evidence/``. It is checked whole before anything is
replaced, and a restore first backs up the store it replaces.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from sme_review_desktop import __version__
from sme_review_desktop.errors import StoreError, UserError
from sme_review_desktop.models import EvidenceBlob
from sme_review_desktop.store import audit, keys
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import STORE_FILE, Store, backup_sqlite, head_revision
from sme_review_desktop.store.evidence import EvidenceStore, hash_file
from sme_review_desktop.store.settings import SETTINGS_FILE

FORMAT = "sme-review-backup"
MANIFEST = "manifest.json"
SCRATCH_PREFIX = "sme-backup-"
CHUNK = 1 << 20
_STAMP = re.compile(r"-(\d{8}-\d{6})\.sqlite3$")

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class BackupError(UserError):
    """An archive is incomplete or damaged, or a backup could not be written."""


class BackupCancelled(BackupError):
    pass


@dataclass(frozen=True)
class BackupFile:
    path: Path
    kind: str
    at: datetime
    size: int


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def auto_backup(store: Store, kind: str, *, now: datetime | None = None) -> Path | None:
    """A consistent copy of the SQLite store; None for a server database (pg_dump's job)."""
    db = store.data_dir / STORE_FILE
    if not store.is_sqlite or not db.exists():
        return None
    now = now or datetime.now()
    target = store.backups_dir / f"{kind}-{_stamp(now)}.sqlite3"
    n = 1
    while target.exists():  # two backups within a second: keep both
        n += 1
        target = store.backups_dir / f"{kind}-{_stamp(now)}-{n}.sqlite3"
    try:
        backup_sqlite(db, target)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"无法写入自动备份 {target}：{exc}") from exc
    audit.save_anchor(store.key_folder, _anchor_of(store.key_folder, target), f"自动备份（{kind}）")
    return target


def _anchor_of(key_folder: Path, db: Path) -> dict[str, Any] | None:
    """The audit head of the SQLite file ``db`` as an anchor, keyed when this PC has the key."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            row = con.execute(
                "select id, hash from audit_entry order by id desc limit 1"
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    chain = audit.load_key(key_folder)
    out: dict[str, Any] = {"id": int(row[0]), "hash": str(row[1])}
    if chain.key is not None:
        out |= {"mac": chain.anchor_mac(out["id"], out["hash"]), "key_id": chain.key_id}
    return out


def manifest_anchors(folder: Path) -> list[dict[str, Any]]:
    """The audit heads recorded in the manifests of the archives in ``folder`` (backups/)."""
    found = []
    for archive in sorted(folder.glob("*.zip")) if folder.is_dir() else []:
        try:
            with zipfile.ZipFile(archive) as zf:
                manifest = json.loads(zf.read(MANIFEST))
            head = manifest.get("audit_head")
        except (OSError, KeyError, ValueError, AttributeError, zipfile.BadZipFile):
            continue
        if isinstance(head, dict):
            found.append(
                {**head, "source": f"备份“{archive.name}”", "at": manifest.get("created_at", "")}
            )
    return found


def list_backups(store: Store) -> list[BackupFile]:
    """Automatic backups in the data folder, newest first."""
    found = []
    for path in store.backups_dir.glob("*.sqlite3"):
        m = _STAMP.search(path.name) or re.search(r"-(\d{8}-\d{6})-\d+\.sqlite3$", path.name)
        if not m:
            continue
        at = datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
        kind = path.name.split("-", 1)[0]
        found.append(BackupFile(path, kind, at, path.stat().st_size))
    return sorted(found, key=lambda b: b.at, reverse=True)


def daily_backup(store: Store, *, now: datetime | None = None) -> Path | None:
    """The first start of a day backs the store up; later starts that day do nothing."""
    now = now or datetime.now()
    if any(b.kind == "每日" and b.at.date() == now.date() for b in list_backups(store)):
        return None
    return auto_backup(store, "每日", now=now)


def prune(store: Store, keep_days: int, *, today: date | None = None) -> list[Path]:
    """Delete automatic backups older than ``keep_days``; the newest one always stays."""
    cutoff = (today or date.today()) - timedelta(days=keep_days)
    backups = list_backups(store)
    removed = []
    for b in backups[1:]:
        if b.at.date() < cutoff:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


# archives --------------------------------------------------------------------------------
@dataclass
class ArchiveReport:
    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    healed: list[str] = field(default_factory=list)  # damaged files in the folder, replaced
    notes: list[str] = field(default_factory=list)  # what could not be checked, and why

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unsound(self) -> list[str]:
        """Evidence the archive could not hold: damaged or missing when it was made."""
        return unsound_lines(self.manifest)

    def lines(self) -> list[str]:
        m = self.manifest
        head = [
            f"备份文件：{self.path}",
            f"创建时间：{m.get('created_at', '未知')}　软件版本：{m.get('app_version', '未知')}",
            f"申报材料 {m.get('counts', {}).get('dossiers', '?')} 份，"
            f"证明材料文件 {m.get('counts', {}).get('evidence', '?')} 个",
        ]
        healed = [f"已用备份中的完好文件替换{len(self.healed)}个已损坏的证明材料文件。"] * bool(
            self.healed
        )
        head += self.notes
        if self.ok and self.unsound:
            return [
                *head,
                f"检查结果：可以恢复；备份时有{len(self.unsound)}个证明材料文件已损坏或缺失，"
                "未包含在备份中（恢复后“完整性检查”会列出它们，请从更早的备份或原申报材料找回）：",
                *self.unsound,
                *healed,
            ]
        if self.ok:
            return [*head, "检查结果：完整，可以恢复。", *healed]
        return [*head, f"检查结果：发现{len(self.problems)}处问题，不能恢复：", *self.problems]


def unsound_lines(manifest: dict[str, Any]) -> list[str]:
    damaged = manifest.get("damaged") or {}
    missing = manifest.get("missing") or []
    return [f"  · 已损坏（内容与校验值不符）：{n}" for n in sorted(damaged)] + [
        f"  · 缺失：{n}" for n in sorted(missing)
    ]


@dataclass(frozen=True)
class BackupResult:
    """What ``write_archive`` wrote, and the evidence it could not (damaged or missing)."""

    path: Path
    damaged: list[str]
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not (self.damaged or self.missing)

    def lines(self) -> list[str]:
        if self.complete:
            return [f"已备份到：{self.path}"]
        return [
            f"已备份到：{self.path}",
            f"但有{len(self.damaged) + len(self.missing)}个证明材料文件未能备份"
            "（数据库和其余文件已完整备份，可以恢复）：",
            *unsound_lines({"damaged": dict.fromkeys(self.damaged), "missing": self.missing}),
            "请运行“完整性检查”，按提示从更早的备份或原申报材料找回这些文件。",
        ]


def _hash_into(src: IO[bytes], dst: IO[bytes] | None, on_bytes: Callable[[int], None]) -> str:
    h = hashlib.sha256()
    while chunk := src.read(CHUNK):
        h.update(chunk)
        if dst is not None:
            dst.write(chunk)
        on_bytes(len(chunk))
    return h.hexdigest()


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def _stepper(
    total: int, progress: ProgressFn | None, cancelled: CancelFn | None, message: str
) -> Callable[[int], None]:
    """A counter of bytes done that reports to ``progress`` and stops with BackupCancelled
    (``message``) once ``cancelled`` says so."""
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)
        if cancelled and cancelled():
            raise BackupCancelled(message)

    return step


def create_archive(
    store: Store,
    target: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> Path:
    """``write_archive``'s path (an archive is written even when some evidence is unsound)."""
    return write_archive(store, target, progress, cancelled).path


def _blob_names(db: Path) -> set[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {str(r[0]) for r in con.execute("select sha256 from evidence_blob")}
    finally:
        con.close()


def write_archive(
    store: Store,
    target: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> BackupResult:
    """Write store + evidence + settings into one zip; nothing under ``target`` on failure.

    Every evidence file is read once, hashed while it is written, and compared with its name
    (its SHA-256). A damaged or missing file does not make the archive unrestorable: the
    manifest lists it under ``damaged``/``missing`` (not under ``files``, which a restore
    places), the rest is written whole, and the result names it.
    """
    if not store.is_sqlite:
        raise BackupError(
            "共享服务器（PostgreSQL）模式下请用 pg_dump 备份数据库，证明材料目录另行复制。"
        )
    on_disk = {p.name: p for p in store.evidence_dir.glob("??/*") if p.is_file()}
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX) as scratch:
        db = backup_sqlite(store.data_dir / STORE_FILE, Path(scratch) / STORE_FILE)
        recorded = _blob_names(db)
        head = _anchor_of(store.key_folder, db)
        missing = sorted(f"evidence/{sha[:2]}/{sha}" for sha in recorded - on_disk.keys())
        evidence = [on_disk[name] for name in sorted(on_disk)]
        members: list[tuple[str, Path]] = [(STORE_FILE, db)]
        settings = store.data_dir / SETTINGS_FILE
        if settings.exists():
            members.append((SETTINGS_FILE, settings))
        members += [(f"evidence/{p.parent.name}/{p.name}", p) for p in evidence]
        total = sum(p.stat().st_size for _, p in members) or 1
        step = _stepper(total, progress, cancelled, "已取消备份，未生成备份文件。")

        files: dict[str, dict[str, Any]] = {}
        damaged: dict[str, dict[str, Any]] = {}
        try:
            with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
                for name, path in members:
                    # Evidence is mostly PDF and images: compressing it again gains nothing.
                    method = zipfile.ZIP_DEFLATED if name == STORE_FILE else zipfile.ZIP_STORED
                    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
                    info.compress_type = method
                    try:
                        with path.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
                            sha = _hash_into(src, dst, step)
                    except OSError as exc:
                        if not name.startswith("evidence/") or exc.errno == errno.ENOSPC:
                            raise
                        missing.append(name)  # unreadable (bad sector, no rights): as missing
                        continue
                    size = info.file_size
                    if name.startswith("evidence/") and sha != path.name:
                        # Kept for whoever investigates, but never placed by a restore.
                        damaged[name] = {"size": size, "sha256": sha}
                        continue
                    files[name] = {"size": size, "sha256": sha}
                manifest = {
                    "format": FORMAT,
                    "version": 1,
                    "app_version": __version__,
                    "revision": head_revision(),
                    "created_at": datetime.now().isoformat(timespec="seconds"),
                    "counts": {
                        "dossiers": _count(db, "select count(*) from dossier"),
                        "evidence": sum(n.startswith("evidence/") for n in files),
                        "audit_entries": _count(db, "select count(*) from audit_entry"),
                    },
                    "audit_head": head,
                    "files": files,
                    "damaged": damaged,
                    "missing": sorted(missing),
                }
                manifest["signature"] = _sign(
                    keys.secret(store.key_folder, audit.KEY_NAME), manifest
                )
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        except OSError as exc:
            raise BackupError(f"无法写入备份文件 {target}：{exc.strerror or exc}") from exc
    audit.save_anchor(store.key_folder, head, f"备份“{target.name}”")
    return BackupResult(target, sorted(damaged), sorted(missing))


def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    return b"manifest|" + json.dumps(
        body, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")


def _sign(key: bytes, manifest: dict[str, Any]) -> dict[str, str]:
    """The manifest's keyed digest (the audit key): it lists every member's SHA-256, so it
    authenticates the whole archive."""
    return {
        "key_id": audit.key_id(key),
        "hmac": hmac.new(key, _canonical(manifest), hashlib.sha256).hexdigest(),
    }


def _check_signature(
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
    expected = _sign(chain.key, manifest)["hmac"]
    if not hmac.compare_digest(str(signature.get("hmac", "")), expected):
        return ["备份清单的签名不符：备份在创建后被改动过，不能恢复。"]
    return []


# What a restored database may hold: the app's tables (and SQLite's own indexes for them).
def _foreign_objects(con: sqlite3.Connection) -> list[str]:
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


def verify_archive(
    path: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
    *,
    extract_to: Path | None = None,
    key_folder: Path | None = None,
) -> ArchiveReport:
    """Check every member against the manifest, the database itself, and every evidence blob
    the database names; optionally extract while checking (what restore does)."""
    report = ArchiveReport(path)
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.problems.append(f"不是有效的备份文件（无法作为 zip 打开）：{exc}")
        return report
    with zf:
        try:
            manifest = json.loads(zf.read(MANIFEST))
        except (KeyError, ValueError, zipfile.BadZipFile):
            report.problems.append(
                "备份文件缺少清单（manifest.json）或清单已损坏：不是本系统的完整备份。"
            )
            return report
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            report.problems.append("清单格式不符：不是本系统的备份文件。")
            return report
        report.manifest = manifest
        report.problems += _check_signature(manifest, key_folder, report)
        if report.problems:
            return report
        files: dict[str, dict[str, Any]] = manifest.get("files") or {}
        if STORE_FILE not in files:
            report.problems.append("备份中没有数据库文件 store.sqlite3。")
        names = set(zf.namelist())
        total = sum(int(f.get("size", 0)) for f in files.values()) or 1
        step = _stepper(total, progress, cancelled, "已取消。")

        for name, meta in files.items():
            if name not in names:
                report.problems.append(f"缺少文件：{name}")
                continue
            if ".." in Path(name).parts or Path(name).is_absolute():
                report.problems.append(f"文件路径不安全，已拒绝：{name}")
                continue
            out = (extract_to / name) if extract_to else None
            try:
                with zf.open(name) as src:
                    if out is not None:
                        out.parent.mkdir(parents=True, exist_ok=True)
                        with out.open("wb") as dst:
                            sha = _hash_into(src, dst, step)
                    else:
                        sha = _hash_into(src, None, step)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                report.problems.append(f"文件已损坏，无法读出：{name}（{exc}）")
                continue
            if sha != meta.get("sha256"):
                report.problems.append(f"文件内容与清单不符（可能已损坏或被改动）：{name}")
            elif name.startswith("evidence/") and Path(name).name != sha:
                report.problems.append(f"证明材料文件名与其内容不符：{name}")
        if report.problems or STORE_FILE not in files:
            return report
        report.problems += _check_database(zf, manifest, extract_to)
    return report


def _check_database(
    zf: zipfile.ZipFile, manifest: dict[str, Any], extracted: Path | None
) -> list[str]:
    files: dict[str, dict[str, Any]] = manifest.get("files") or {}
    # Evidence the manifest says was damaged or missing when the archive was made is known
    # to be absent; anything else the database names must be there.
    accounted = set(files) | set(manifest.get("damaged") or {}) | set(manifest.get("missing") or [])
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sme-verify-") as scratch:
        db = extracted / STORE_FILE if extracted else Path(scratch) / STORE_FILE
        if extracted is None:
            with zf.open(STORE_FILE) as src, db.open("wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                status = [r[0] for r in con.execute("PRAGMA integrity_check")]
                foreign = _foreign_objects(con)
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


def restore_archive(
    path: Path,
    data_dir: Path,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ArchiveReport:
    """Replace the store in ``data_dir`` (closed by the caller) with the archive's, if complete.

    The archive is extracted and checked in a staging folder first; only a complete archive
    replaces anything, and the replaced store is kept as a 恢复前 backup. Evidence is merged:
    blobs are content-addressed, so adding the archive's never changes an existing one.
    """
    staging = data_dir / f".restore-{_stamp(datetime.now())}"
    staging.mkdir(parents=True)
    try:
        report = verify_archive(path, progress, cancelled, extract_to=staging, key_folder=data_dir)
        if not report.ok:
            return report
        db = data_dir / STORE_FILE
        if db.exists():
            backup_sqlite(db, data_dir / "backups" / f"恢复前-{_stamp(datetime.now())}.sqlite3")
        for name in report.manifest["files"]:
            if not name.startswith("evidence/"):
                continue
            target = data_dir / name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / name, target)
            elif hash_file(target) != target.name:
                # A damaged file in the folder is replaced by the archive's verified bytes.
                os.replace(staging / name, target)
                report.healed.append(name)
        settings = staging / SETTINGS_FILE
        if settings.exists() and not (data_dir / SETTINGS_FILE).exists():
            os.replace(settings, data_dir / SETTINGS_FILE)  # this PC's own settings stay
        # Old WAL files would be replayed into the restored database: they go first.
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.replace(staging / STORE_FILE, db)
        # The log now ends where the archive's did: anchors taken since describe the replaced
        # store. A "restore" anchor marks that, so they are not held against the restored one.
        head = report.manifest.get("audit_head")
        audit.save_anchor(
            data_dir, head if isinstance(head, dict) else _anchor_of(data_dir, db), "restore"
        )
        return report
    except OSError as exc:
        raise StoreError(f"恢复失败，未作改动：{exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def archives_holding(data_dir: Path, names: set[str]) -> dict[str, list[Path]]:
    """For each evidence member name (``evidence/ab/abcd…``), the archives in the data folder's
    ``backups/`` whose manifest lists it as sound, newest first. Reads manifests only."""
    found: dict[str, list[Path]] = {}
    folder = data_dir / "backups"
    if not names or not folder.is_dir():
        return found
    archives = sorted(folder.glob("*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
    for archive in archives:
        try:
            with zipfile.ZipFile(archive) as zf:
                manifest = json.loads(zf.read(MANIFEST))
            listed = manifest.get("files") or {}
        except (OSError, KeyError, ValueError, AttributeError, zipfile.BadZipFile):
            continue
        for name in names & set(listed):
            found.setdefault(name, []).append(archive)
    return found


def heal_from_archive(
    store: Store, archive: Path, progress: ProgressFn | None = None
) -> tuple[list[str], list[str]]:
    """Put back, from ``archive``, every evidence file of the store that is missing or damaged,
    without touching the database. Returns (healed, still unsound) member names."""
    evidence = EvidenceStore(store.evidence_dir)
    with store.read() as session:
        shas = list(session.scalars(select(EvidenceBlob.sha256)))
    bad = {f"evidence/{s[:2]}/{s}" for s in shas if not evidence.verify(s)}
    healed: list[str] = []
    try:
        zf = zipfile.ZipFile(archive)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"不是有效的备份文件（无法作为 zip 打开）：{exc}") from exc
    with zf:
        try:
            listed = json.loads(zf.read(MANIFEST)).get("files") or {}
        except (KeyError, ValueError, AttributeError) as exc:
            raise BackupError("备份文件缺少清单或清单已损坏。") from exc
        todo = sorted(bad & set(listed))
        for n, name in enumerate(todo):
            sha = Path(name).name
            staging = evidence.new_staging()
            try:
                with zf.open(name) as src:
                    got, _ = staging.add(src)  # type: ignore[arg-type]  # a zip stream reads as a file
                if got == sha:
                    staging.commit()
                    healed.append(name)
            except (OSError, zipfile.BadZipFile, EOFError):
                pass
            finally:
                staging.discard()
            if progress:
                progress(n + 1, len(todo))
    return healed, sorted(bad - set(healed))
