"""The evidence store: files kept byte for byte, content-addressed by SHA-256.

Files are first written to a staging folder named after the import; the import's transaction
records the blobs; only then are the staged files moved into place. ``recover`` runs when the
store opens and finishes or discards whatever a killed process left in staging, so a crash
leaves neither a missing file nor an orphan.

In server mode the evidence folder is shared by every PC, so a staging folder is named after
its writer (host and process) and ``recover`` leaves alone the ones whose writer may still run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from sme_review_desktop.errors import UserError
from sme_review_desktop.store.atomic import HOST, STALE_AFTER_SECONDS, pid_running

CHUNK = 1024 * 1024


class EvidenceCorrupt(UserError):
    """A stored evidence file no longer matches its SHA-256."""


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging_root = root / ".staging"

    def blob_path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def new_staging(self) -> Staging:
        return Staging(self, self.staging_root / f"{HOST}-{os.getpid()}-{uuid.uuid4().hex}")

    @staticmethod
    def abandoned(folder: Path) -> bool:
        """A staging folder whose import is certainly over: its process on this PC is gone,
        or it is older than a day (another PC's, or a reused process id)."""
        host, _, rest = folder.name.partition("-")
        pid = rest.partition("-")[0]
        try:
            if time.time() - folder.stat().st_mtime > STALE_AFTER_SECONDS:
                return True
        except OSError:
            return False
        if not pid.isdigit():
            return True  # named before writers were recorded
        return host == HOST and not pid_running(int(pid))

    def recover(self, is_recorded: Callable[[str], bool]) -> int:
        """Finish or discard staged files a killed import left; returns how many were touched."""
        if not self.staging_root.exists():
            return 0
        touched = 0
        for folder in self.staging_root.iterdir():
            if folder.is_dir() and not self.abandoned(folder):
                continue
            for staged in folder.glob("*") if folder.is_dir() else []:
                touched += 1
                if is_recorded(staged.name) and not self.blob_path(staged.name).exists():
                    self._place(staged)
            shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() else folder.unlink()
        return touched

    def _place(self, staged: Path, made: set[Path] | None = None) -> None:
        """Move a staged file to its blob path; ``made`` remembers folders already created
        (a mkdir per file was a tenth of an import's time per package)."""
        target = self.blob_path(staged.name)
        if made is None or target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            if made is not None:
                made.add(target.parent)
        os.replace(staged, target)

    def open_verified(self, sha256: str) -> bytes:
        """The file's bytes, after checking them against the stored hash."""
        path = self.blob_path(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise EvidenceCorrupt(
                f"证明材料文件缺失（{sha256[:12]}…）：请运行完整性检查或从备份恢复。"
            ) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise EvidenceCorrupt(
                f"证明材料文件已被改动，与导入时的校验值不符（{sha256[:12]}…）：不予显示，请从备份恢复。"
            )
        return data

    def verify(self, sha256: str) -> bool:
        path = self.blob_path(sha256)
        if not path.is_file():
            return False
        return hash_file(path) == sha256

    def all_blob_names(self) -> Iterable[str]:
        if not self.root.exists():
            return []
        return (p.name for p in self.root.glob("??/*") if p.is_file())


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Staging:
    """Files of one import, written and hashed before the transaction that records them."""

    def __init__(self, store: EvidenceStore, folder: Path) -> None:
        self.store = store
        self.folder = folder
        self.staged: dict[str, Path] = {}
        self._folder_made = False

    def add(self, src: BinaryIO) -> tuple[str, int]:
        """Copy a stream into staging while hashing it; returns (sha256, size)."""
        if not self._folder_made:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._folder_made = True
        tmp = self.folder / f"incoming-{uuid.uuid4().hex}"
        digest = hashlib.sha256()
        size = 0
        with tmp.open("wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
        sha = digest.hexdigest()
        if sha in self.staged or self.store.verify(sha):
            tmp.unlink()
        else:
            final = self.folder / sha
            os.replace(tmp, final)
            self.staged[sha] = final
        return sha, size

    def commit(self) -> None:
        """After the transaction committed: move staged files into place."""
        made: set[Path] = set()
        for staged in self.staged.values():
            # A file already in place is kept only if it is sound: a damaged or half-written
            # one is replaced by these verified bytes (the store heals on import).
            if self.store.verify(staged.name):
                staged.unlink()
            else:
                self.store._place(staged, made)
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        self._folder_made = False
