"""Secrets kept beside the data but outside the database and every backup.

``secret(folder, name)`` is a random 32-byte key in ``folder/keys/{name}.key``, created on first
use with owner-only rights (0600, in a 0700 folder). The folder is the data folder (local
store) or the shared evidence folder (server mode: every PC must use the same key). A backup
never contains ``keys/``: whoever restores a backup elsewhere cannot sign as this installation.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import uuid
from pathlib import Path

from sme_review_desktop.errors import StoreError

KEYS_DIR = "keys"
KEY_BYTES = 32


def keys_dir(folder: Path) -> Path:
    return folder / KEYS_DIR


def key_path(folder: Path, name: str) -> Path:
    return keys_dir(folder) / f"{name}.key"


def publish(path: Path, data: bytes) -> None:
    """Write a new key file whole (0600, in a 0700 folder) to a private temporary file and link
    it into place: a reader never sees half a key, and of two processes creating it at once the
    second keeps the first one's (its own is dropped). Raises OSError."""
    home = path.parent
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = home / f".{path.name}.{uuid.uuid4().hex}.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process was first: use theirs
    except FileExistsError:
        pass
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def existing_secret(folder: Path, name: str) -> bytes | None:
    """The key if it exists (read-only commands never create one)."""
    try:
        text = key_path(folder, name).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"无法读取密钥文件 {key_path(folder, name)}：{exc}") from exc
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise StoreError(f"密钥文件 {key_path(folder, name)} 已损坏（长度不符）。")
    return key


def secret(folder: Path, name: str) -> bytes:
    """The key named ``name``, created (0600) if there is none yet.

    The key is written whole to a private temporary file and then linked into place, so a
    reader never sees a half-written key and two processes creating it at once agree on one.
    """
    key = existing_secret(folder, name)
    if key is not None:
        return key
    try:
        publish(key_path(folder, name), secrets.token_hex(KEY_BYTES).encode("ascii"))
    except OSError as exc:
        raise StoreError(
            f"无法创建密钥文件 {key_path(folder, name)}：{exc.strerror or exc}"
        ) from exc
    key = existing_secret(folder, name)
    assert key is not None
    return key
