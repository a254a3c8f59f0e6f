"""Fresh PostgreSQL databases per test, when ``SME_TEST_DATABASE_URL`` names a test server.

``scripts/pg_test_server.sh start`` prints such a URL. Each test gets its own database, made by
copying a template that is migrated (or filled with the demo data) once per session, so a
test starts in milliseconds and never sees another test's rows. Evidence stays in tmp_path.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from sme_review_desktop.store.database import Store, open_store

URL_ENV = "SME_TEST_DATABASE_URL"
PREFIX = "sme_test_"


def server_url() -> str | None:
    return os.environ.get(URL_ENV) or None


class ServerDatabases:
    """Creates and drops databases on the test server; templates are made once and kept."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url = make_url(url)
        self.folder = folder  # the templates' data folders (their evidence)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.templates: dict[str, str] = {}
        self.created: list[str] = []
        with self.admin.connect() as conn:
            self.version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
        self._drop_leftovers()

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def _drop_leftovers(self) -> None:
        """Databases a killed earlier session left behind."""
        with self.admin.connect() as conn:
            names = conn.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": PREFIX + "%"}
            ).scalars()
            for name in list(names):
                conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of ``template`` if given); returns its URL."""
        name = f"{PREFIX}{uuid.uuid4().hex[:12]}"
        # FILE_COPY (PostgreSQL 15+) copies a small template in half the time of WAL_LOG.
        copy = f' TEMPLATE "{template}"' if template else ""
        if template and self.version >= 150000:
            copy += " STRATEGY FILE_COPY"
        self._execute(f'CREATE DATABASE "{name}"{copy}')
        self.created.append(name)
        return self.url_of(name)

    def template(self, key: str, fill: Callable[[Store], object]) -> tuple[Path, str]:
        """A template's data folder and database: migrated, then ``fill``-ed, once per session."""
        data_dir = self.folder / key
        if key not in self.templates:
            url = self.create()
            store = open_store(data_dir, url)
            try:
                fill(store)
            finally:
                store.close()  # a template must have no connections when it is copied
            self.templates[key] = make_url(url).database or ""
        return data_dir, self.templates[key]

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def close(self) -> None:
        for name in list(self.created):
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()
        self.admin.dispose()


def sqlite_only(reason: str) -> pytest.MarkDecorator:
    """Skip a test that is about SQLite itself when the suite runs on PostgreSQL."""
    return pytest.mark.skipif(server_url() is not None, reason=f"只适用于SQLite：{reason}")
