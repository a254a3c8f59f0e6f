"""One store, one writer: a lock file in the data folder says which program holds the store.

SQLite on a network share cannot be trusted to lock by itself (its locks do not cross SMB
reliably, and WAL needs shared memory), so a second program on any PC must be refused before
it opens the database. The lock is a file created exclusively (honoured by SMB and local disks
alike) naming the host, user and process; the holder touches it every ``HEARTBEAT`` seconds,
so a lock left by a crashed or powered-off PC goes stale after ``STALE_AFTER`` and is taken over.
"""

from __future__ import annotations

import getpass
import json
import os
import platform
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sme_review_desktop.errors import StoreError
from sme_review_desktop.store.atomic import pid_running

LOCK_FILE = "store.lock"
HEARTBEAT = 30.0
STALE_AFTER = 120.0


class StoreInUse(StoreError):
    """Another running program holds this data folder."""


def _owner() -> dict[str, Any]:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    return {
        "host": platform.node(),
        "user": user,
        "pid": os.getpid(),
        "since": datetime.now().isoformat(timespec="seconds"),
    }


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _stale(path: Path, holder: dict[str, Any]) -> bool:
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return True
    if age > STALE_AFTER:
        return True
    same_host = holder.get("host") == platform.node()
    pid = holder.get("pid")
    return same_host and isinstance(pid, int) and pid != os.getpid() and not pid_running(pid)


@dataclass
class InstanceLock:
    path: Path
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT):
            try:
                os.utime(self.path)
            except OSError:
                return  # the share went away: the next write will say so clearly

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
        holder = _read(self.path)
        if holder and holder.get("pid") == os.getpid() and holder.get("host") == platform.node():
            self.path.unlink(missing_ok=True)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def describe(holder: dict[str, Any]) -> str:
    who = holder.get("user") or "未知用户"
    host = holder.get("host") or "未知计算机"
    since = str(holder.get("since", "")).replace("T", " ")
    return f"计算机“{host}”上的用户“{who}”（进程 {holder.get('pid', '?')}，自 {since} 起）"


def _create(path: Path) -> None:
    """Create the lock with its owner already written, or raise FileExistsError.

    The owner is written to a private file first and linked into place, so no one ever sees
    an empty lock (a 0-byte lock read as 「未知计算机」 and blocked for two minutes). Where the
    share cannot make hard links, the lock is created exclusively and written at once.
    """
    body = json.dumps(_owner(), ensure_ascii=False).encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    try:
        os.write(fd, body)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
        return
    except FileExistsError:
        raise
    except OSError:
        pass  # no hard links here (some SMB shares): exclusive create, written at once
    finally:
        tmp.unlink(missing_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    try:
        os.write(fd, body)
    finally:
        os.close(fd)


def acquire(data_dir: Path, *, heartbeat: bool = True) -> InstanceLock:
    """Take the data folder for this process, or raise StoreInUse naming who holds it."""
    path = data_dir / LOCK_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    for _attempt in range(2):
        try:
            _create(path)
        except FileExistsError:
            holder = _read(path)
            if holder is None:
                continue  # released between our two calls
            if not _stale(path, holder):
                raise StoreInUse(
                    f"数据目录 {data_dir} 正由{describe(holder)}使用。同一数据目录同一时间只能由一个程序打开，"
                    "以免数据损坏：请先关闭那边的程序再打开。如确认那边已不在运行，"
                    f"约{int(STALE_AFTER // 60)}分钟后即可打开。"
                ) from None
            path.unlink(missing_ok=True)  # stale: the holder crashed or its PC went off
            continue
        lock = InstanceLock(path)
        if heartbeat:
            lock._thread = threading.Thread(target=lock._beat, name="store-lock", daemon=True)
            lock._thread.start()
        return lock
    raise StoreInUse(f"数据目录 {data_dir} 正被另一个程序同时打开，请稍后再试。")
