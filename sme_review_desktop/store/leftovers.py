"""What a killed backup, verify or restore leaves behind, swept when the store next opens.

A backup copies the database into a scratch folder in the system's temp folder; a verify
unpacks one there; a restore unpacks the archive into ``.restore-…`` in the data folder. Each
is removed when its command ends, but SIGKILL or a power cut ends nothing, and a full copy of
the bureau's database would sit in the temp folder for good. Their names carry the writer's
process id, so the sweep removes only those whose process is gone (on this PC), or that are
older than a day (named before the process id was, or a reused id).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from sme_review_desktop.store.atomic import STALE_AFTER_SECONDS, pid_running

BACKUP_SCRATCH = "sme-backup-"  # store/backups: the database copy of an archive being written
VERIFY_SCRATCH = "sme-verify-"  # store/archive_check: the database of an archive being checked
RESTORE_STAGING = ".restore-"  # store/backups: an archive being restored, in the data folder
LOCK_TEMP = re.compile(r"^\.store\.lock\.(?P<pid>\d+)\.[0-9a-f]+$")  # store/lock's private copy
_PID = re.compile(r"-p(?P<pid>\d+)-")


def scratch_prefix(prefix: str) -> str:
    """``prefix`` with this process's id, for a scratch folder the sweep can tell is alive."""
    return f"{prefix}p{os.getpid()}-"


def _abandoned(path: Path, pid: int | None) -> bool:
    if pid is not None:
        return pid != os.getpid() and not pid_running(pid)
    try:
        return time.time() - path.stat().st_mtime > STALE_AFTER_SECONDS
    except OSError:
        return False


def _pid_in(name: str) -> int | None:
    m = _PID.search(name)
    return int(m.group("pid")) if m else None


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        return False  # someone else's, or a read-only folder: left for a later start
    return True


def sweep(data_dir: Path, temp_dir: Path | None = None) -> list[Path]:
    """Remove the leftovers of killed backups, verifies and restores; returns what went.

    Never raises: a read-only data folder, or a temp folder shared with other users whose
    scratch folders are not ours to remove, simply keeps them.
    """
    removed: list[Path] = []
    temp = temp_dir or Path(tempfile.gettempdir())
    candidates: list[tuple[Path, int | None]] = []
    uid = os.getuid() if hasattr(os, "getuid") else None
    with contextlib.suppress(OSError):
        for entry in temp.iterdir():
            if (
                entry.name.startswith((BACKUP_SCRATCH, VERIFY_SCRATCH))
                and entry.is_dir()
                and (uid is None or entry.stat().st_uid == uid)  # another user's is theirs
            ):
                candidates.append((entry, _pid_in(entry.name)))
    with contextlib.suppress(OSError):
        for entry in data_dir.iterdir():
            if entry.name.startswith(RESTORE_STAGING):
                candidates.append((entry, _pid_in(entry.name)))
            elif m := LOCK_TEMP.match(entry.name):
                candidates.append((entry, int(m.group("pid"))))
    with contextlib.suppress(OSError):
        # backup_sqlite's partial copy of an automatic backup (no process id in its name)
        candidates += [(p, None) for p in (data_dir / "backups").glob("*.sqlite3.part")]
    for path, pid in candidates:
        if _abandoned(path, pid) and _remove(path):
            removed.append(path)
    return removed
