"""Where the store lives: the data folder's SQLite file, or the bureau's PostgreSQL server.

Server mode (docs/server-mode.md) keeps each PC's data folder local (its settings name that
PC's reviewer and printer offsets) and points it at the shared database and evidence folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sme_review_desktop.store import credentials
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.store.settings import Settings

DATABASE_URL_ENV = "SME_REVIEW_DATABASE_URL"


@dataclass(frozen=True)
class StoreLocation:
    data_dir: Path
    database_url: str | None = None  # None: the SQLite store in the data folder
    evidence_dir: Path | None = None  # None: the data folder's evidence/
    # A login with no password given and none in the keyring: the app asks for it (a PC
    # without a keyring asks at every start) and opens ``with_password``.
    password_missing: bool = False

    def with_password(self, password: str) -> StoreLocation:
        assert self.database_url is not None
        url = credentials.with_password(self.database_url, password)
        return StoreLocation(self.data_dir, url, self.evidence_dir)

    def open(self) -> Store:
        return open_store(self.data_dir, self.database_url, evidence_dir=self.evidence_dir)


def locate(data_dir: Path, database_url: str | None = None) -> StoreLocation:
    """``--database-url``, else ``$SME_REVIEW_DATABASE_URL``, else the settings' ``database_url``.

    The settings' ``evidence_dir`` (the shared folder) applies with a server only: a local
    store keeps its evidence beside it, where backups and restores expect it. A URL without a
    password takes its login's password from the system keyring (store/credentials).
    """
    settings = Settings.load(data_dir)
    url = database_url or os.environ.get(DATABASE_URL_ENV) or settings.database_url or None
    if url is None:
        return StoreLocation(data_dir)
    evidence = Path(settings.evidence_dir).expanduser() if settings.evidence_dir else None
    if credentials.account(url) and not credentials.has_password(url):
        kept = credentials.load(url)
        if kept:
            return StoreLocation(data_dir, credentials.with_password(url, kept), evidence)
        return StoreLocation(data_dir, url, evidence, password_missing=True)
    return StoreLocation(data_dir, url, evidence)
