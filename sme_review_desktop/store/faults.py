"""Faults of the machine rather than of the input: a full disk, a read-only folder.

They arrive as OSError (writing a file) or as a database error (SQLite's SQLITE_FULL
「database or disk is full」, PostgreSQL's class 53100 disk_full), and must end in one Chinese
message, never a traceback. These helpers tell them apart from other failures.
"""

from __future__ import annotations

import errno
import sqlite3

from sqlalchemy.exc import DBAPIError

from sme_review_desktop.errors import StoreError

_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_FULL_TEXTS = ("database or disk is full", "no space left on device", "disk full")

DISK_FULL_MESSAGE = "磁盘空间不足，未写入任何内容：请清理磁盘（或换用空间充足的数据目录）后重试。"


class DiskFull(StoreError):
    """The disk (or quota) is full; what was being written was rolled back whole."""

    def __init__(self, message: str = DISK_FULL_MESSAGE) -> None:
        super().__init__(message)


def is_disk_full(exc: BaseException) -> bool:
    """True for a full disk or quota, as an OSError or as a database driver's error."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DiskFull):
            return True
        if isinstance(current, OSError) and current.errno in _FULL_ERRNOS:
            return True
        if getattr(current, "sqlstate", None) == "53100" or getattr(current, "pgcode", None) == (
            "53100"
        ):
            return True
        if isinstance(current, (sqlite3.Error, DBAPIError)) and any(
            t in str(current).lower() for t in _FULL_TEXTS
        ):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def is_read_only(exc: BaseException) -> bool:
    """True for a write refused by the file system (read-only mount, no write permission)."""
    return isinstance(exc, OSError) and exc.errno in _READ_ONLY_ERRNOS
