"""A verdict cache that cannot lie: each version's evaluation stored under the key of all it
depends on, read back only while that key is still what it would be computed as now.

The key (``verdict_key``) is the SHA-256 of
- the rule engine's fingerprint: the source of the engine's modules and the field table they
  read (``engine_fingerprint``, once per process), so a corrected engine recomputes;
- the rulebook file's SHA-256 (``Rulebook.sha256``), so an amended measure recomputes;
- the round's reference date;
- the version's inputs to the engine: its figures, 统一社会信用代码, legal form, platform type and
  the material numbers of its evidence (``version_inputs``).
Nothing else reaches the engine (it is pure: ``rules/engine.py`` reads only its arguments), so
an equal key means an equal evaluation. What is stored is what the list shows (系统建议, the
missing materials, the applicable items and their parts); reasons are built only when a
dossier is opened, by the engine itself (docs/decisions.md, Performance).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import pkgutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import CodeType
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from sme_review_desktop.models import CachedVerdict
from sme_review_desktop.review.evaluation import NewestVersion
from sme_review_desktop.rules.engine import Evaluation
from sme_review_desktop.store.database import BUSY_TIMEOUT_MS, Store
from sme_review_desktop.store.paths import resources_dir

log = logging.getLogger(__name__)

# Every module whose code can change a verdict, beside the rules package itself: the numbers
# and labels the engine formats, the YAML reader of the rulebooks and the field table, the
# figures' decoding from the store, the glue that calls the engine, and this module (what it
# stores of an evaluation).
ENGINE_MODULES = (
    "sme_review_desktop.text.numbers",
    "sme_review_desktop.text.numbering",
    "sme_review_desktop.text.yaml_text",
    "sme_review_desktop.importing.figures",
    "sme_review_desktop.review.evaluation",
    "sme_review_desktop.review.verdict_cache",
)
RULES_PACKAGE = "sme_review_desktop.rules"
ENGINE_DATA = ("dossier-fields.yaml",)  # read by rules/fields.py: field types and units
# SQLite: how long a cache write waits for another writer before it gives up (the list must
# not wait the store's 15 s for a cache; the next start stores what this one could not).
WRITE_WAIT_MS = 200


@dataclass(frozen=True)
class ListVerdict:
    """What the dossier list needs of an evaluation: no reasons, no texts."""

    overall: str  # met / review / unmet
    missing_materials: tuple[int, ...]
    # The applicable items as (article, item, their part ids): the list counts those decided.
    items: tuple[tuple[int, int, tuple[str, ...]], ...]

    @classmethod
    def of(cls, ev: Evaluation) -> ListVerdict:
        return cls(
            overall=ev.overall.value,
            missing_materials=tuple(ev.missing_materials),
            items=tuple(
                (i.article, i.item, tuple(p.id for p in i.parts)) for i in ev.items if i.applicable
            ),
        )

    def as_text(self) -> str:
        return json.dumps(
            {
                "overall": self.overall,
                "missing": list(self.missing_materials),
                "items": [[a, i, list(parts)] for a, i, parts in self.items],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_text(cls, text: str) -> ListVerdict:
        """Raises ValueError (or KeyError, TypeError) on a row this code cannot read."""
        data = json.loads(text)
        if data["overall"] not in ("met", "review", "unmet"):
            raise ValueError(data["overall"])
        return cls(
            overall=str(data["overall"]),
            missing_materials=tuple(int(n) for n in data["missing"]),
            items=tuple(
                (int(a), int(i), tuple(str(p) for p in parts)) for a, i, parts in data["items"]
            ),
        )


def module_names() -> list[str]:
    """The rules package's modules and ``ENGINE_MODULES``, in a fixed order."""
    spec = importlib.util.find_spec(RULES_PACKAGE)
    assert spec is not None and spec.submodule_search_locations is not None
    rules = sorted(
        f"{RULES_PACKAGE}.{m.name}" for m in pkgutil.iter_modules(spec.submodule_search_locations)
    )
    return [RULES_PACKAGE, *rules, *ENGINE_MODULES]


def _code_digest(code: CodeType, into: Any) -> None:
    """A code object's instructions, names and constants, where no source is shipped (a frozen
    bundle). ``marshal.dumps`` is not used: its output depends on reference counts."""
    into.update(code.co_code)
    into.update(repr((code.co_names, code.co_varnames, code.co_name)).encode())
    for const in code.co_consts:
        if isinstance(const, CodeType):
            _code_digest(const, into)
        elif isinstance(const, frozenset):  # set order follows string hashing, per process
            into.update(repr(sorted(map(repr, const))).encode())
        else:
            into.update(repr(const).encode())


def module_source(name: str) -> bytes:
    """A module's source text, or where none is shipped, a digest of its compiled code."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(name)
    loader: Any = spec.loader
    source = loader.get_source(name) if hasattr(loader, "get_source") else None
    if source is not None:
        return str(source).encode("utf-8")
    digest = hashlib.sha256(b"code:")
    _code_digest(loader.get_code(name), digest)
    return digest.hexdigest().encode()


def fingerprint(parts: Iterable[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, content in parts:
        digest.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


def engine_sources() -> list[tuple[str, bytes]]:
    """What the engine's fingerprint is made of: each module's source, each data file's bytes."""
    parts = [(name, module_source(name)) for name in module_names()]
    parts += [(f"resources/{n}", (resources_dir() / n).read_bytes()) for n in ENGINE_DATA]
    return parts


@cache
def engine_fingerprint() -> str:
    """The rule engine's fingerprint, computed once per process (about 2 ms)."""
    return fingerprint(engine_sources())


def version_inputs(v: NewestVersion) -> str:
    """Everything of a version the engine reads, as one unambiguous text: the figures as stored
    (their decoding is part of the engine's fingerprint), the 统一社会信用代码, legal form,
    platform type and material numbers. ``repr`` of plain strings, tuples and sorted lists is
    canonical and quotes what it holds, so two different inputs never read alike."""
    return repr(
        (
            v.uscc,
            v.legal_form,
            v.platform_type,
            sorted(v.materials),
            sorted(v.stored.items()),
        )
    )


def verdict_key(engine: str, rulebook_sha256: str, reference_date: date, inputs: str) -> str:
    text = "\x1d".join((engine, rulebook_sha256, reference_date.isoformat(), inputs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(session: Session, version_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The stored (key, verdict) of these versions; what the caller must check against its key."""
    ids = list(version_ids)
    found: dict[int, tuple[str, str]] = {}
    conn = session.connection()
    for start in range(0, len(ids), 5000):  # under SQLite's limit of bound parameters
        chunk = ids[start : start + 5000]
        for vid, key, verdict in conn.execute(
            select(CachedVerdict.version_id, CachedVerdict.key, CachedVerdict.verdict).where(
                CachedVerdict.version_id.in_(chunk)
            )
        ).all():
            found[vid] = (key, verdict)
    return found


class VerdictCache:
    """One round's reading of the cache: ``verdict`` answers from a stored row whose key is the
    one computed now, else evaluates and remembers the result for ``save``."""

    def __init__(self, session: Session, versions: list[NewestVersion], book: Any, when: date):
        self.book, self.when = book, when
        self.engine = engine_fingerprint()
        self.stored = load(session, (v.version_id for v in versions))
        self.fresh: dict[int, tuple[str, ListVerdict]] = {}
        self.hits = 0
        # A round's verdicts repeat (the same items and parts, few patterns of missing
        # materials): each distinct stored text is parsed once.
        self.parsed: dict[str, ListVerdict] = {}

    def verdict(self, v: NewestVersion) -> ListVerdict:
        key = verdict_key(self.engine, self.book.sha256, self.when, version_inputs(v))
        row = self.stored.get(v.version_id)
        if row is not None and row[0] == key:
            text = row[1]
            verdict = self.parsed.get(text)
            if verdict is None:
                try:
                    verdict = self.parsed[text] = ListVerdict.from_text(text)
                except (KeyError, TypeError, ValueError, IndexError):
                    verdict = None  # a row this code cannot read is recomputed like a stale one
            if verdict is not None:
                self.hits += 1
                return verdict
        verdict = ListVerdict.of(v.evaluate(self.book, self.when))
        self.fresh[v.version_id] = (key, verdict)
        return verdict

    def save(self, store: Store) -> None:
        save(store, self.fresh)


def save(store: Store, fresh: Mapping[int, tuple[str, ListVerdict]]) -> None:
    """Store new verdicts, replacing stale rows. Best effort: a cache that cannot be written now
    (another writer holds the store) is written by a later start; nothing is announced, as no
    window shows the cache itself."""
    if not fresh:
        return
    rows = [
        {"version_id": vid, "key": key, "verdict": verdict.as_text()}
        for vid, (key, verdict) in fresh.items()
    ]
    dialect = store.engine.dialect.name
    from sqlalchemy.dialects import postgresql, sqlite

    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(CachedVerdict.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=["version_id"],
        set_={"key": stmt.excluded.key, "verdict": stmt.excluded.verdict},
    )
    try:
        with store.engine.connect() as conn:
            raw: Any = conn.connection.driver_connection  # pragmas outside any transaction
            if dialect == "sqlite":
                raw.execute(f"PRAGMA busy_timeout={WRITE_WAIT_MS}")
                conn = conn.execution_options(sqlite_immediate=True)
            try:
                with conn.begin():
                    conn.execute(stmt, rows)
            finally:
                if dialect == "sqlite":
                    raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except DBAPIError as exc:  # busy, read-only folder: the verdicts were computed all the same
        log.info("verdict cache not written (%d versions): %s", len(rows), exc)
