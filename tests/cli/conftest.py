"""The CLI runs as a subprocess: on the PostgreSQL run it finds its database in the environment."""

from __future__ import annotations

import pytest

from sme_review_desktop.store.location import DATABASE_URL_ENV


@pytest.fixture(autouse=True)
def cli_database(database_url: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh database per test on the test server (SME_TEST_DATABASE_URL); else SQLite."""
    if database_url is None:
        monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    else:
        monkeypatch.setenv(DATABASE_URL_ENV, database_url)
