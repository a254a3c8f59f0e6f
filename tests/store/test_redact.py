"""Passwords never appear in messages: a server that cannot be reached is named without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from sme_review_desktop.errors import StoreError
from sme_review_desktop.store.database import open_store, redact


def test_redact() -> None:
    url = "postgresql+psycopg://reviewer:s3cr%40t@10.0.0.5:5432/sme"
    assert "s3cr" not in redact(url) and "reviewer" in redact(url)
    assert redact("failed for s3cr@t", url) == "failed for ***"
    assert redact("not a url at all") == "not a url at all"


def test_an_unreachable_server_is_named_without_its_password(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = "postgresql+psycopg://reviewer:TopSecret99@127.0.0.1:9/sme?connect_timeout=2"
    with pytest.raises(StoreError) as raised:
        open_store(tmp_path, url)
    assert "TopSecret99" not in raised.value.message and "reviewer" in raised.value.message
