"""The verdict cache cannot lie: the list shows a stored verdict only under the key of exactly
what it would be computed from now (engine code, rulebook file, reference date, figures)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from sme_review_desktop.models import CachedVerdict, DeclaredFigure, Dossier, Round
from sme_review_desktop.overview.dossier_list import DossierSummary, dossier_summaries
from sme_review_desktop.review import verdict_cache
from sme_review_desktop.review.evaluation import evaluate_round, newest_versions
from sme_review_desktop.rules import rulebook
from sme_review_desktop.store.database import Store

FAKE = '{"overall":"met","missing":[99],"items":[]}'  # no real dossier reads like this


def _round(store: Store) -> int:
    with store.read() as s:
        return int(
            s.scalar(
                select(Dossier.round_id).group_by(Dossier.round_id).order_by(func.count().desc())
            )
        )


def _listed(store: Store, round_id: int) -> dict[int, tuple[str, tuple[int, ...]]]:
    return {
        s.dossier_id: (s.suggestion, s.missing_materials)
        for s in dossier_summaries(store, round_id)
    }


def _engine(store: Store, round_id: int) -> dict[int, tuple[str, tuple[int, ...]]]:
    """What the engine says now, nothing cached."""
    return {
        e.dossier_id: (e.evaluation.overall.value, tuple(e.evaluation.missing_materials))
        for e in evaluate_round(store, round_id)
    }


def _keys(store: Store) -> dict[int, str]:
    with store.read() as s:
        return dict(s.execute(select(CachedVerdict.version_id, CachedVerdict.key)).tuples().all())


def _plant(store: Store, round_id: int, key: str | None = None) -> tuple[int, int]:
    """Overwrite the first dossier's cached verdict with FAKE, under ``key`` (default: the key
    the cache itself stored, valid now). Returns (dossier id, version id)."""
    with store.read() as s:
        v = newest_versions(s, round_id)[0]
    values: dict[str, Any] = {"verdict": FAKE}
    if key is not None:
        values["key"] = key
    with store.engine.begin() as conn:
        changed = conn.execute(
            update(CachedVerdict).where(CachedVerdict.version_id == v.version_id).values(**values)
        ).rowcount
    assert changed == 1
    return v.dossier_id, v.version_id


@pytest.fixture
def primed(demo_store: Store) -> Iterator[tuple[Store, int]]:
    round_id = _round(demo_store)
    dossier_summaries(demo_store, round_id)  # fills the cache
    yield demo_store, round_id


def test_first_listing_fills_the_cache_with_what_the_engine_says(demo_store: Store) -> None:
    round_id = _round(demo_store)
    assert _keys(demo_store) == {}
    assert _listed(demo_store, round_id) == _engine(demo_store, round_id)
    with demo_store.read() as s:
        assert set(_keys(demo_store)) == {v.version_id for v in newest_versions(s, round_id)}


def test_a_row_under_the_valid_key_is_what_the_list_shows(primed: tuple[Store, int]) -> None:
    """The cache is really read (so the tests below, where it must not be, can fail)."""
    store, round_id = primed
    dossier_id, _ = _plant(store, round_id)
    assert _listed(store, round_id)[dossier_id] == ("met", (99,))


def test_a_stale_row_is_never_used_and_is_replaced(primed: tuple[Store, int]) -> None:
    store, round_id = primed
    valid = _keys(store)
    _dossier_id, version_id = _plant(store, round_id, key="0" * 64)
    assert _listed(store, round_id) == _engine(store, round_id)
    assert _keys(store)[version_id] == valid[version_id]


@pytest.mark.parametrize(
    "text",
    [
        '{"overall":"met"}',
        "not json",
        '{"overall":"maybe","missing":[],"items":[]}',
        '{"overall":"met","missing":["x"],"items":[]}',
        '{"overall":"met","missing":[],"items":[[1]]}',
    ],
)
def test_a_row_this_code_cannot_read_is_recomputed(primed: tuple[Store, int], text: str) -> None:
    store, round_id = primed
    _dossier_id, version_id = _plant(store, round_id)
    with store.engine.begin() as conn:
        conn.execute(
            update(CachedVerdict).where(CachedVerdict.version_id == version_id).values(verdict=text)
        )
    assert _listed(store, round_id) == _engine(store, round_id)


def test_a_changed_engine_recomputes(
    primed: tuple[Store, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, round_id = primed
    _dossier_id, _version_id = _plant(store, round_id)
    before = _keys(store)
    monkeypatch.setattr(verdict_cache, "engine_fingerprint", lambda: "a corrected engine")
    assert _listed(store, round_id) == _engine(store, round_id)
    after = _keys(store)
    assert set(after) == set(before) and all(after[v] != before[v] for v in before)


def test_a_changed_rulebook_file_recomputes(
    primed: tuple[Store, int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Even a change the engine cannot see (a comment) changes the file's hash: recomputed."""
    store, round_id = primed
    dossier_id, _version_id = _plant(store, round_id)
    books = tmp_path / "rulebooks"
    shutil.copytree(rulebook.rulebooks_dir(), books)
    for path in books.glob("*.yaml"):
        path.write_bytes(path.read_bytes() + b"\n# amended\n")
    monkeypatch.setattr(rulebook, "rulebooks_dir", lambda: books)
    rulebook.all_rulebooks.cache_clear()
    try:
        assert _listed(store, round_id)[dossier_id] != ("met", (99,))
        assert _listed(store, round_id) == _engine(store, round_id)
    finally:
        rulebook.all_rulebooks.cache_clear()


def test_a_changed_reference_date_recomputes(primed: tuple[Store, int]) -> None:
    store, round_id = primed
    dossier_id, _ = _plant(store, round_id)
    with store.engine.begin() as conn:
        conn.execute(
            update(Round).where(Round.id == round_id).values(reference_date=date(2019, 1, 1))
        )
    listed = _listed(store, round_id)
    assert listed[dossier_id] != ("met", (99,))
    assert listed == _engine(store, round_id)


def test_changed_figures_recompute(primed: tuple[Store, int]) -> None:
    store, round_id = primed
    dossier_id, version_id = _plant(store, round_id)
    with store.engine.begin() as conn:
        conn.execute(
            update(DeclaredFigure)
            .where(DeclaredFigure.version_id == version_id, DeclaredFigure.key == "smes_served")
            .values(value="1")
        )
    listed = _listed(store, round_id)
    assert listed[dossier_id] != ("met", (99,))
    assert listed == _engine(store, round_id)


def test_the_engine_fingerprint_covers_its_code_and_field_table() -> None:
    names = [name for name, _ in verdict_cache.engine_sources()]
    for module in (
        "sme_review_desktop.rules.engine",
        "sme_review_desktop.rules.rulebook",
        "sme_review_desktop.rules.fields",
        "sme_review_desktop.rules.uscc",
        "sme_review_desktop.importing.figures",
        "sme_review_desktop.review.evaluation",
        "resources/dossier-fields.yaml",
    ):
        assert module in names
    sources = verdict_cache.engine_sources()
    assert verdict_cache.fingerprint(sources) == verdict_cache.engine_fingerprint()
    engine = names.index("sme_review_desktop.rules.engine")
    name, source = sources[engine]
    changed = [*sources[:engine], (name, source.replace(b">=", b">", 1)), *sources[engine + 1 :]]
    assert verdict_cache.fingerprint(changed) != verdict_cache.engine_fingerprint()


def test_the_fingerprint_without_source_still_follows_the_code() -> None:
    """A frozen bundle ships compiled code only: its digest changes with the code as well."""

    def digest(src: str) -> str:
        h = __import__("hashlib").sha256()
        verdict_cache._code_digest(compile(src, "m.py", "exec"), h)
        return h.hexdigest()

    # A constant set's order follows string hashing, which differs per process.
    assert digest("def f(v):\n    return v in {'乙', '甲', 'c'}\n") == digest(
        "def f(v):\n    return v in {'c', '甲', '乙'}\n"
    )
    assert digest("def f(v):\n    return v >= 3\n") != digest("def f(v):\n    return v > 3\n")
    assert digest("def f(v):\n    return v >= 3\n") != digest("def f(v):\n    return v >= 4\n")


def test_inputs_hold_every_engine_input_unambiguously(primed: tuple[Store, int]) -> None:
    from dataclasses import replace

    store, round_id = primed
    with store.read() as s:
        v = newest_versions(s, round_id)[0]
    base = verdict_cache.version_inputs(v)
    variants: list[Any] = [
        replace(v, stored={**v.stored, "smes_served": "1"}),
        replace(v, stored={**v.stored, "smes_served": "10"}),
        replace(v, stored={**v.stored, "smes_served": None}),
        replace(v, stored={**v.stored, "smes_served": "None"}),
        replace(v, stored={**v.stored, "new_field": "1"}),
        replace(v, stored={k: t for k, t in v.stored.items() if k != "smes_served"}),
        replace(v, materials=v.materials | {42}),
        replace(v, uscc=v.uscc[:-1] + "Y"),
        replace(v, legal_form=v.legal_form + "（改）"),
        replace(v, platform_type=v.platform_type + "（改）"),
        # a separator inside a value cannot make two inputs read alike
        replace(v, legal_form=v.legal_form + "', '", platform_type=v.platform_type),
    ]
    inputs = [verdict_cache.version_inputs(x) for x in variants]
    assert base not in inputs and len(set(inputs)) == len(inputs)
    assert verdict_cache.version_inputs(replace(v, stored=dict(reversed(v.stored.items())))) == base


def test_a_busy_store_still_lists_and_caches_later(demo_store: Store) -> None:
    """Another writer holds the store: the list is computed all the same, the cache written by
    the next listing."""
    round_id = _round(demo_store)
    if not demo_store.is_sqlite:
        pytest.skip("SQLite's writer lock")
    with demo_store.engine.connect() as other:
        raw: Any = other.connection.driver_connection
        raw.execute("BEGIN IMMEDIATE")
        assert _listed(demo_store, round_id) == _engine(demo_store, round_id)
        raw.execute("ROLLBACK")
    assert _keys(demo_store) == {}
    dossier_summaries(demo_store, round_id)
    assert _keys(demo_store)


def test_a_deleted_version_takes_its_cached_verdict_with_it(primed: tuple[Store, int]) -> None:
    store, round_id = primed
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM dossier WHERE round_id = :r"), {"r": round_id})
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(CachedVerdict)) == 0


def test_summaries_keep_their_shape(primed: tuple[Store, int]) -> None:
    store, round_id = primed
    first = dossier_summaries(store, round_id)
    again = dossier_summaries(store, round_id)  # from the cache
    assert first == again and all(isinstance(s, DossierSummary) for s in again)
    assert any(s.total_items for s in again)
