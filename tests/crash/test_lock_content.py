"""The lock is never visible empty: a process killed right after creating it must not leave a
0-byte store.lock that reads as 「未知计算机」 and blocks the folder for two minutes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sme_review_desktop.store import lock as store_lock


def test_the_lock_appears_with_its_owner_already_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bytes] = []
    real_link = os.link

    def link(src: str | Path, dst: str | Path) -> None:
        seen.append(Path(src).read_bytes())  # what becomes visible at once under the lock name
        real_link(src, dst)

    monkeypatch.setattr(store_lock.os, "link", link)
    held = store_lock.acquire(tmp_path, heartbeat=False)
    try:
        assert seen and json.loads(seen[0])["pid"] == os.getpid()
        assert (tmp_path / store_lock.LOCK_FILE).read_bytes() == seen[0]
        assert [p.name for p in tmp_path.iterdir()] == [store_lock.LOCK_FILE]  # no temp left
    finally:
        held.release()


def test_without_hard_links_the_lock_is_still_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: str | Path, dst: str | Path) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(store_lock.os, "link", no_links)
    held = store_lock.acquire(tmp_path, heartbeat=False)
    try:
        assert (
            json.loads((tmp_path / store_lock.LOCK_FILE).read_text("utf-8"))["pid"] == os.getpid()
        )
        with pytest.raises(store_lock.StoreInUse):
            store_lock.acquire(tmp_path, heartbeat=False)
    finally:
        held.release()
