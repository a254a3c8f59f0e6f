"""Shared fixtures. Qt runs offscreen: set before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from sme_review_desktop.demo import load_demo
from sme_review_desktop.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "data")
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
def demo_store(demo_template: Path, tmp_path: Path) -> Iterator[Store]:
    import shutil

    target = tmp_path / "data"
    shutil.copytree(demo_template, target)
    store = open_store(target)
    yield store
    store.close()
