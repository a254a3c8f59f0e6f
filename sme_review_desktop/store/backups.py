"""Backups: automatic copies of the store, and whole archives (store + evidence) to restore from.

Automatic backups are SQLite online-backup copies in ``data_dir/backups`` named
``{kind}-{YYYYmmdd-HHMMSS}.sqlite3``: one per working day, and one before every import batch,
round lock and migration; they are pruned after ``Settings.backups_keep_days``. Evidence files
need no automatic copy: they are content-addressed and never changed or deleted.

An archive (备份与恢复) is one zip: ``manifest.json`` (size and SHA-256 of every member),
``store.sqlite3``, ``settings.json`` and ``evidence/``. It is checked whole before anything is
replaced, and a restore first backs up the store it replaces."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from sme_review_desktop import __version__
from sme_review_desktop.errors import StoreError, UserError
from sme_review_desktop.store import audit, keys, leftovers
from sme_review_desktop.store.archive_check import check_database
from sme_review_desktop.store.archive_report import CHUNK, ArchiveReport, BackupResult
from sme_review_desktop.store.archive_signing import check_signature, sign
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import STORE_FILE, Store, backup_sqlite, head_revision
from sme_review_desktop.store.evidence import hash_file
from sme_review_desktop.store.settings import SETTINGS_FILE

FORMAT = "sme-review-backup"


MANIFEST = "manifest.json"


SCRATCH_PREFIX = leftovers.BACKUP_SCRATCH  # swept at the next start when a backup is killed


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
    with tempfile.TemporaryDirectory(prefix=leftovers.scratch_prefix(SCRATCH_PREFIX)) as scratch:
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
                manifest["signature"] = sign(
                    keys.secret(store.key_folder, audit.KEY_NAME), manifest
                )
                zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        except OSError as exc:
            raise BackupError(f"无法写入备份文件 {target}：{exc.strerror or exc}") from exc
    audit.save_anchor(store.key_folder, head, f"备份“{target.name}”")
    return BackupResult(target, sorted(damaged), sorted(missing))


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
        report.problems += check_signature(manifest, key_folder, report)
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
        report.problems += check_database(zf, manifest, extract_to)
    return report


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
    staging = data_dir / f"{leftovers.RESTORE_STAGING}{_stamp(datetime.now())}-p{os.getpid()}-"
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
