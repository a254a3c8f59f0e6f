"""Writing output files so that a failure never leaves a broken file under the target name.

The file is written beside the target as ``.<name>.<host>-<pid>.<random>.part``, flushed to disk
and renamed over the target in one step, so the target is always either the old file or the
whole new one. A writer that is killed (SIGKILL, a power cut, the PDF library crashing the
process) cannot remove its own temporary file; the next write into the same folder removes such
leftovers once it can tell their writer is gone: written on this PC by a process that no longer
runs, or older than a day (a writer on another PC sharing the folder, or a reused process id).
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PART_PATTERN = re.compile(
    r"^\.(?P<name>.+)\.(?P<host>[0-9a-f]{6})-(?P<pid>\d+)\.[0-9a-f]{8}\.part$"
)
STALE_AFTER_SECONDS = 24 * 3600
HOST = hashlib.sha256(platform.node().encode("utf-8")).hexdigest()[:6]


if sys.platform == "win32":
    import ctypes
    from ctypes import wintypes

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)

    def pid_running(pid: int) -> bool:
        """Whether a process with this id runs now (os.kill(pid, 0) would kill it on Windows)."""
        if pid <= 0:
            return False
        handle = _kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists, under another user
        try:
            code = wintypes.DWORD()
            if not _kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            _kernel32.CloseHandle(handle)

else:

    def pid_running(pid: int) -> bool:
        """Whether a process with this id runs now (a zombie counts until it is reaped)."""
        if pid <= 0:
            return False  # 0 and negative ids address process groups, never one writer
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # e.g. PermissionError: it exists, under another user
        return True


def part_name(target: Path) -> str:
    return f".{target.name}.{HOST}-{os.getpid()}.{secrets.token_hex(4)}.part"


def is_stale(part: Path, now: float | None = None) -> bool:
    """A temporary file of ours whose writer is certainly gone."""
    match = PART_PATTERN.match(part.name)
    if match is None:
        return False
    try:
        age = (time.time() if now is None else now) - part.stat().st_mtime
    except OSError:
        return False
    if age > STALE_AFTER_SECONDS:
        return True
    return match["host"] == HOST and not pid_running(int(match["pid"]))


def sweep_stale_parts(folder: Path) -> list[Path]:
    """Remove temporary files that killed writers left in ``folder``; returns what was removed."""
    removed: list[Path] = []
    try:
        candidates = [p for p in folder.iterdir() if p.name.endswith(".part")]
    except OSError:
        return removed
    for part in candidates:
        if is_stale(part):
            try:
                part.unlink()
            except OSError:
                continue  # held open or already gone: the next write tries again
            removed.append(part)
    return removed


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; Windows cannot open a folder for this and needs not."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some network file systems refuse it; the rename is still atomic
    finally:
        os.close(fd)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it replaces ``target`` only on success."""
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    sweep_stale_parts(folder)
    while True:
        tmp = folder / part_name(target)
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
            break
        except FileExistsError:
            continue
    try:
        yield tmp
        _fsync_file(tmp)  # a power cut after the rename must not leave an empty target
        os.replace(tmp, target)
        _fsync_dir(folder)
    finally:
        tmp.unlink(missing_ok=True)
