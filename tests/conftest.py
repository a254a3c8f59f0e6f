"""Shared fixtures. Qt runs offscreen: set before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from server_databases import ServerDatabases, server_url

from sme_review_desktop.demo import load_demo
from sme_review_desktop.store.database import Store, open_store


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that use a store fixture: the rest ran on SQLite."""
    if server_url():
        keep = [i for i in items if "server_databases" in getattr(i, "fixturenames", ())]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


@pytest.fixture(scope="session")
def server_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerDatabases | None]:
    """With SME_TEST_DATABASE_URL set, store fixtures run on PostgreSQL (server_databases.py)."""
    url = server_url()
    databases = ServerDatabases(url, tmp_path_factory.mktemp("server")) if url else None
    yield databases
    if databases:
        databases.close()


@pytest.fixture
def database_url(server_databases: ServerDatabases | None) -> Iterator[str | None]:
    """None (SQLite in the data folder), or a fresh migrated database on the test server."""
    if server_databases is None:
        yield None
        return
    url = server_databases.create(server_databases.template("empty", lambda _: None)[1])
    yield url
    server_databases.drop(url)


@pytest.fixture
def store(tmp_path: Path, database_url: str | None) -> Iterator[Store]:
    s = open_store(tmp_path / "data", database_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store is built once and copied per test: importing 24 packages takes seconds."""
    folder = tmp_path_factory.mktemp("demo")
    store = open_store(folder)
    load_demo(store)
    store.close()
    return folder


@pytest.fixture
def demo_store(
    request: pytest.FixtureRequest, tmp_path: Path, server_databases: ServerDatabases | None
) -> Iterator[Store]:
    import shutil

    target = tmp_path / "data"
    url = None
    if server_databases is None:
        shutil.copytree(request.getfixturevalue("demo_template"), target)
    else:
        source, template = server_databases.template("demo", load_demo)
        shutil.copytree(source, target)
        url = server_databases.create(template)
    store = open_store(target, url)
    yield store
    store.close()
    if server_databases and url:
        server_databases.drop(url)
