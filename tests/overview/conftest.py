"""The scenario store: the demo data taken through whole rounds (scenario.py), once per session.

On SQLite the scenario is built once and copied per test; with a test server
(SME_TEST_DATABASE_URL) it is built on each test's fresh demo database instead.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sme_review_desktop.store.database import Store, open_store

from .scenario import build_scenario


@pytest.fixture(scope="session")
def scenario_template(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("scenario") / "data"
    shutil.copytree(demo_template, folder)
    store = open_store(folder)
    build_scenario(store)
    store.close()
    return folder


@pytest.fixture
def scenario_store(
    request: pytest.FixtureRequest, tmp_path: Path, server_databases: object
) -> Iterator[Store]:
    if server_databases is not None:
        store: Store = request.getfixturevalue("demo_store")
        build_scenario(store)
        yield store
        return
    target = tmp_path / "scenario"
    shutil.copytree(request.getfixturevalue("scenario_template"), target)
    store = open_store(target)
    yield store
    store.close()
