"""Queries the statistics share: newest versions, the rule engine's verdicts, the clauses.

Counting is done by the database (group-by and count queries over the newest version of each
dossier) and never by loading every dossier as ORM objects. The one exception is what the rule
engine decides — the app's suggestion (系统建议) and which clauses it finds unmet — which is not
stored: it is computed from the declared figures, read as plain (version, key, value) rows, and
kept in a process-wide cache keyed by the version (versions never change once imported), so
only new imports are evaluated again when the overview refreshes."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from sme_review_desktop.importing.figures import decode
from sme_review_desktop.models import (
    Applicant,
    DeclaredFigure,
    Dossier,
    DossierVersion,
    EvidenceFile,
    Round,
)
from sme_review_desktop.overview.stats_model import OP_SIGNS
from sme_review_desktop.rules.engine import Applicant as EngineApplicant
from sme_review_desktop.rules.engine import Verdict, evaluate
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.rules.rulebook import Part, Rulebook
from sme_review_desktop.rules.uscc import implied_legal_form
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbers import plain


def _newest(round_id: int | None) -> Subquery:
    """(dossier_id, number) of the newest version of each dossier, of one round or all."""
    q = select(
        DossierVersion.dossier_id.label("dossier_id"),
        func.max(DossierVersion.number).label("number"),
    ).group_by(DossierVersion.dossier_id)
    if round_id is not None:
        q = q.join(Dossier, Dossier.id == DossierVersion.dossier_id).where(
            Dossier.round_id == round_id
        )
    return q.subquery()


def versions_query(round_id: int | None, *columns: Any) -> Select[Any]:
    """A select of ``columns`` over the newest version of each dossier (DossierVersion joined)."""
    newest = _newest(round_id)
    return select(*columns).join_from(
        DossierVersion,
        newest,
        and_(
            DossierVersion.dossier_id == newest.c.dossier_id,
            DossierVersion.number == newest.c.number,
        ),
    )


def formal_complete(round_id: int, book: Rulebook) -> Select[Any]:
    """Dossier ids whose newest version has every required material (形式审查 passed)."""
    required = [m.number for m in book.materials if m.required]
    if not required:
        return versions_query(round_id, DossierVersion.dossier_id)
    return (
        versions_query(round_id, DossierVersion.dossier_id)
        .join(EvidenceFile, EvidenceFile.version_id == DossierVersion.id)
        .where(EvidenceFile.material_number.in_(required))
        .group_by(DossierVersion.dossier_id)
        .having(func.count(func.distinct(EvidenceFile.material_number)) == len(required))
    )


def pairs(session: Session, query: Select[Any]) -> dict[Any, int]:
    """A two-column query (key, count) as a dict."""
    return {key: int(n or 0) for key, n in session.execute(query)}


def count_of(session: Session, query: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


@dataclass(frozen=True)
class _Verdicts:
    overall: str
    unmet: frozenset[tuple[int, int, str]]


_CACHE: dict[tuple[Any, ...], _Verdicts] = {}


_CACHE_LOCK = threading.Lock()


_CACHE_LIMIT = 100_000  # versions; a few hundred bytes each


def _chunks(values: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _evaluate_versions(
    session: Session, book: Rulebook, rnd: Round, rows: Sequence[Any]
) -> dict[int, _Verdicts]:
    """Run the engine on versions (rows of id, legal_form, platform_type, uscc)."""
    figures: dict[int, dict[str, Any]] = defaultdict(dict)
    materials: dict[int, set[int]] = defaultdict(set)
    ids = [r.id for r in rows]
    for chunk in _chunks(ids):
        for vid, key, value in session.execute(
            select(DeclaredFigure.version_id, DeclaredFigure.key, DeclaredFigure.value).where(
                DeclaredFigure.version_id.in_(chunk)
            )
        ):
            figures[vid][key] = decode(key, value)
        for vid, number in session.execute(
            select(EvidenceFile.version_id, EvidenceFile.material_number)
            .where(EvidenceFile.version_id.in_(chunk), EvidenceFile.material_number.is_not(None))
            .distinct()
        ):
            materials[vid].add(number)
    out: dict[int, _Verdicts] = {}
    for r in rows:
        applicant = EngineApplicant(
            uscc=r.uscc,
            legal_form=r.legal_form or None,
            implied_legal_form=implied_legal_form(r.uscc),
            platform_type=r.platform_type or None,
        )
        ev = evaluate(book, figures[r.id], applicant, rnd.reference_date, materials[r.id])
        unmet = frozenset(
            (item.article, item.item, part.id)
            for item in ev.items
            if item.applicable
            for part in item.parts
            if part.verdict is Verdict.UNMET
        )
        out[r.id] = _Verdicts(ev.overall.value, unmet)
    return out


def verdicts_for(
    store: Store, session: Session, rnd: Round, book: Rulebook
) -> dict[int, _Verdicts]:
    """The engine's verdicts on the newest version of each dossier of the round, by dossier."""
    rows = session.execute(
        versions_query(
            rnd.id,
            DossierVersion.id,
            DossierVersion.dossier_id,
            DossierVersion.imported_at,
            DossierVersion.legal_form,
            DossierVersion.platform_type,
            Applicant.uscc,
        )
        .join(Dossier, Dossier.id == DossierVersion.dossier_id)
        .join(Applicant, Applicant.id == Dossier.applicant_id)
    ).all()
    # A version never changes once imported; a restored backup may reuse an id, but then not
    # with the same import time. The round's reference date and the measure's text go in too.
    where = (str(store.engine.url), str(store.data_dir), book.sha256, rnd.reference_date)

    def key(r: Any) -> tuple[Any, ...]:
        stamp = r.imported_at.isoformat() if isinstance(r.imported_at, datetime) else r.imported_at
        return (*where, r.id, stamp, r.uscc, r.legal_form, r.platform_type)

    with _CACHE_LOCK:
        known = {r.id: _CACHE[key(r)] for r in rows if key(r) in _CACHE}
    missing = [r for r in rows if r.id not in known]
    if missing:
        fresh = _evaluate_versions(session, book, rnd, missing)
        with _CACHE_LOCK:
            if len(_CACHE) + len(fresh) > _CACHE_LIMIT:
                _CACHE.clear()
            for r in missing:
                _CACHE[key(r)] = fresh[r.id]
        known.update(fresh)
    return {r.dossier_id: known[r.id] for r in rows}


def _threshold(part: Part) -> str | None:
    fields = field_catalogue()

    def unit(key: str | None) -> str:
        return (fields[key].unit or "") if key and key in fields else ""

    sign = OP_SIGNS.get(part.op, part.op)
    if part.judge:
        return None
    if part.check == "compare" and part.value is not None:
        text = f"{sign}{plain(part.value)}{unit(part.field)}"
        if part.relaxed:
            forms = "、".join(part.relaxed.legal_forms)
            text += f"（{forms}{sign}{plain(part.relaxed.value)}{unit(part.field)}）"
        return text
    if part.check == "ratio" and part.value is not None:
        return f"占比{sign}{plain(part.value)}%"
    if part.check == "years_since" and part.value is not None:
        return f"运营{sign}{plain(part.value)}年"
    if part.check == "growth":
        return "较上年增长"
    if part.check == "flag":
        return "是"
    if part.check == "region":
        return "本市登记"
    if part.check == "any_of":
        groups = [
            "且".join(t for t in (_threshold(p) for p in group) if t) for group in part.groups
        ]
        return "；或".join(g for g in groups if g) or None
    return None


@dataclass(frozen=True)
class _Clause:
    order: int
    text: str
    threshold: str | None


def clauses(book: Rulebook) -> dict[tuple[int, int, str], _Clause]:
    """Every clause a dossier can fall short of, in the measure's order."""
    out: dict[tuple[int, int, str], _Clause] = {}

    def add(key: tuple[int, int, str], text: str, threshold: str | None) -> None:
        if key not in out:
            out[key] = _Clause(len(out), text, threshold)

    for art in book.conditions:
        if art.rule == "each_declared":
            lead = [i for i in art.items if i.function is None]
            counts = "".join(f"，{t}≥{n}项" for t, n in art.min_declared_by_type.items())
            threshold = f"≥{art.min_declared}项{counts}，每项均须达标"
            add(
                (art.article, 0, "functions"),
                lead[-1].title if lead else "申报服务功能数量",
                threshold,
            )
        elif art.rule != "all":
            lead = [i for i in art.items if i.function is None]
            title = lead[-1].title if lead else "至少满足一项功能要求"
            add((art.article, 0, "functions"), title, "至少一项功能达标")
        for item in art.items:
            add((item.article, item.item, ""), item.title, None)
            number = 0 if art.rule != "all" and item.function is None else item.item
            for part in item.parts:
                add((item.article, number, part.id), part.text, _threshold(part))
    return out
