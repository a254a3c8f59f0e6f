"""The local store: pragmas, migrations with a backup first, data-folder resolution."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from approval_helpers import approve
from server_databases import sqlite_only
from sqlalchemy import select, text

from sme_review_desktop.errors import StoreError
from sme_review_desktop.store.database import Store, head_revision, open_store
from sme_review_desktop.store.paths import DATA_DIR_ENV, data_dir


@sqlite_only("PRAGMAs")
def test_sqlite_store_runs_in_wal_with_foreign_keys(store: Store) -> None:
    with store.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 10_000


def test_head_constant_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from sme_review_desktop.store.database import _alembic_config

    assert ScriptDirectory.from_config(_alembic_config()).get_heads() == [head_revision()]


def test_opening_a_store_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    open_store(folder).close()
    code = (
        "import sys; from pathlib import Path; from sme_review_desktop.store.database import open_store; "
        f"open_store(Path({str(folder)!r})).close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_new_store_is_at_the_newest_migration(store: Store) -> None:
    with store.read() as session:
        rev = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    assert rev == head_revision()


def test_store_at_another_revision_is_backed_up_before_migrating(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    open_store(folder).close()
    db = folder / "store.sqlite3"
    assert not (folder / "backups").exists()  # a store at head is opened without a copy
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'older'")
    with pytest.raises(Exception):  # noqa: B017 - Alembic cannot find 'older'
        open_store(folder)
    backups = list((folder / "backups").glob("升级前备份-older-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("older",)


def test_store_from_an_older_release_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from sme_review_desktop.store.database import _alembic_config

    folder = tmp_path / "data"
    folder.mkdir()
    engine = create_engine(f"sqlite:///{folder / 'store.sqlite3'}")
    cfg = _alembic_config()
    with engine.begin() as conn:  # the store as release 0001 left it, with a round in it
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "INSERT INTO rulebook (id, title, sha256, loaded_at) VALUES ('x', 't', 's', '2026-01-01')"
            )
        )
    engine.dispose()
    store = open_store(folder)
    with store.read() as session:
        assert (
            session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            == head_revision()
        )
        assert session.execute(text("SELECT count(*) FROM rulebook")).scalar() == 1
        session.execute(text("SELECT upheld FROM objection"))  # the new column exists
    store.close()
    backups = list((folder / "backups").glob("升级前备份-0001-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM rulebook").fetchone() == (1,)


def test_foreign_database_is_refused_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    with sqlite3.connect(folder / "store.sqlite3") as conn:
        conn.execute("CREATE TABLE something_else (x)")
    with pytest.raises(StoreError, match="不是本系统的数据库"):
        open_store(folder)


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "env"))
    assert data_dir() == (tmp_path / "env").resolve()
    assert data_dir(tmp_path / "flag") == (tmp_path / "flag").resolve()
    monkeypatch.delenv(DATA_DIR_ENV)
    assert "sme-review-desktop" in str(data_dir())


def _keys(store: Store) -> dict[str, str | None]:
    with store.read() as session:
        return {
            name: key
            for name, key in session.execute(
                text("SELECT platform_name, search_key FROM dossier_version")
            ).all()
        }


def test_import_stores_each_versions_search_key_with_pinyin_initials(demo_store: Store) -> None:
    keys = _keys(demo_store)
    bearing = next(name for name in keys if name.startswith("临清轴承"))
    assert "lqzc" in (keys[bearing] or "")
    assert all(keys.values())


@sqlite_only("downgrades the file with Alembic")
def test_upgrading_to_0005_fills_the_search_keys_of_existing_versions(demo_store: Store) -> None:
    from alembic import command

    from sme_review_desktop.store.database import _alembic_config
    from sme_review_desktop.text.search_keys import name_key

    folder = demo_store.data_dir
    cfg = _alembic_config()
    with demo_store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    demo_store.close()
    store = open_store(folder)
    try:
        with store.read() as session:
            rows = session.execute(
                text("SELECT platform_name, operator_name, county, search_key FROM dossier_version")
            ).all()
        assert rows
        assert all(
            r.search_key == name_key(r.platform_name, r.operator_name, r.county) for r in rows
        )
        assert list((folder / "backups").glob("升级前备份-0004-*.sqlite3"))
    finally:
        store.close()


@sqlite_only("downgrades the file with Alembic")
def test_upgrading_to_0006_dates_each_decision_to_its_version(demo_store: Store) -> None:
    """A decision stored before 0006 is dated to the newest version imported before it."""
    from alembic import command

    from sme_review_desktop.models import Decision
    from sme_review_desktop.scoring.decisions import decide
    from sme_review_desktop.store.database import _alembic_config

    approve(demo_store, 1, _first_code(demo_store))
    decide(demo_store, 2, _first_code(demo_store, 2), "rejected", "不符合", "组长")
    folder = demo_store.data_dir
    cfg = _alembic_config()
    with demo_store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    demo_store.close()
    store = open_store(folder)
    try:
        with store.read() as session:
            rows = session.scalars(select(Decision)).all()
            assert [(d.decided_on_version, d.override_reason) for d in rows] == [
                (1, None),
                (1, None),
            ]
    finally:
        store.close()


def _first_code(store: Store, round_id: int = 1) -> str:
    from sme_review_desktop.overview.dossier_list import dossier_summaries

    return dossier_summaries(store, round_id)[0].uscc
