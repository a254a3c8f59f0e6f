"""Evaluating a round's dossiers: the newest version of each, through the rule engine."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Set
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

from sqlalchemy import String, and_, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, Subquery

from sme_review_desktop.importing.figures import decode, typed_figures
from sme_review_desktop.models import Applicant as ApplicantRow
from sme_review_desktop.models import DeclaredFigure, Dossier, DossierVersion, EvidenceFile, Round
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules import uscc as uscc_rules
from sme_review_desktop.rules.engine import Applicant, Evaluation, Value, evaluate
from sme_review_desktop.rules.rulebook import Rulebook, get_rulebook
from sme_review_desktop.store.database import Store


@dataclass(frozen=True)
class DossierEvaluation:
    dossier_id: int
    uscc: str
    platform_name: str
    version: int
    evaluation: Evaluation

    def as_json(self) -> dict[str, object]:
        ev = self.evaluation
        return {
            "uscc": self.uscc,
            "platform_name": self.platform_name,
            "version": self.version,
            "overall": ev.overall.value,
            "items": [
                {
                    "article": i.article,
                    "item": i.item,
                    "verdict": i.verdict.value,
                    "reasons": list(i.reasons),
                    "title": i.title,
                    "required": i.required,
                }
                for i in ev.items
                if i.applicable
            ],
            "not_declared": [
                {"article": i.article, "item": i.item} for i in ev.items if not i.applicable
            ],
            "missing_materials": list(ev.missing_materials),
            "warnings": list(ev.warnings),
        }


def evaluate_version(book: Rulebook, rnd: Round, version: DossierVersion) -> Evaluation:
    figures = typed_figures(version.figures)
    code = version.dossier.applicant.uscc
    present = {f.material_number for f in version.evidence if f.material_number is not None}
    return _evaluate(
        book, rnd.reference_date, figures, code, version.legal_form, version.platform_type, present
    )


def _evaluate(
    book: Rulebook,
    reference_date: date,
    figures: dict[str, Value],
    code: str,
    legal_form: str,
    platform_type: str,
    present: Set[int],
) -> Evaluation:
    applicant = Applicant(
        uscc=code,
        legal_form=legal_form or None,
        implied_legal_form=uscc_rules.implied_legal_form(code),
        platform_type=platform_type or None,
    )
    return evaluate(book, figures, applicant, reference_date, present)


@dataclass(frozen=True)
class NewestVersion:
    """A dossier's newest version as the engine and the lists need it, read in bulk."""

    version_id: int
    dossier_id: int
    number: int
    uscc: str
    platform_name: str
    operator_name: str
    county: str
    platform_type: str
    legal_form: str
    # The figures as stored (their canonical text), decoded only when the engine needs them:
    # a list painted from the verdict cache never decodes 300,000 values.
    stored: dict[str, str | None]
    materials: frozenset[int]
    search_key: str | None = None  # stored at import (search_text.name_key)

    @cached_property
    def figures(self) -> dict[str, Value]:
        return {key: _decoded(key, text) for key, text in self.stored.items()}

    def evaluate(self, book: Rulebook, reference_date: date) -> Evaluation:
        return _evaluate(
            book,
            reference_date,
            self.figures,
            self.uscc,
            self.legal_form,
            self.platform_type,
            self.materials,
        )


@lru_cache(maxsize=1 << 16)
def _decoded(key: str, text: str | None) -> Value:
    """Many values repeat across a round (yes/no, years, common amounts): decode each once.
    Values are immutable (Decimal, date, bool, str), so sharing them is safe."""
    return decode(key, text)


def newest_version_join(round_id: int) -> tuple[Subquery, ColumnElement[bool]]:
    """Each dossier of the round with its newest version's number, and the condition that
    joins ``DossierVersion`` to it: a query picks that version's row in one join."""
    newest = (
        select(DossierVersion.dossier_id, func.max(DossierVersion.number).label("number"))
        .join(Dossier, Dossier.id == DossierVersion.dossier_id)
        .where(Dossier.round_id == round_id)
        .group_by(DossierVersion.dossier_id)
        .subquery()
    )
    on_newest = and_(
        DossierVersion.dossier_id == newest.c.dossier_id,
        DossierVersion.number == newest.c.number,
    )
    return newest, on_newest


def newest_versions(session: Session, round_id: int) -> list[NewestVersion]:
    """Each dossier's newest version in the round, by dossier id, in three plain queries.

    Plain rows, not ORM objects: loading 10,000 dossiers with their figures as objects took
    tens of seconds, most of it SQLAlchemy's bookkeeping.
    """
    newest, on_newest = newest_version_join(round_id)
    ids = select(DossierVersion.id).join(newest, on_newest)
    conn = session.connection()  # Core rows: the ORM's per-row bookkeeping is not needed
    figures: dict[int, dict[str, str | None]] = defaultdict(dict)
    for vid, key, text in conn.execute(
        select(DeclaredFigure.version_id, DeclaredFigure.key, DeclaredFigure.value).where(
            DeclaredFigure.version_id.in_(ids)
        )
    ).all():  # all at once: iterating a result fetches one row per call
        figures[vid][key] = text
    # One row per version with its material numbers joined, not one per evidence file.
    materials: dict[int, frozenset[int]] = {
        vid: frozenset(int(n) for n in numbers.split(","))
        for vid, numbers in conn.execute(
            select(
                EvidenceFile.version_id,
                func.aggregate_strings(cast(EvidenceFile.material_number, String), ","),
            )
            .where(EvidenceFile.version_id.in_(ids), EvidenceFile.material_number.is_not(None))
            .group_by(EvidenceFile.version_id)
        ).all()
    }
    rows = conn.execute(
        select(
            DossierVersion.id,
            DossierVersion.dossier_id,
            DossierVersion.number,
            ApplicantRow.uscc,
            DossierVersion.platform_name,
            DossierVersion.operator_name,
            DossierVersion.county,
            DossierVersion.platform_type,
            DossierVersion.legal_form,
            DossierVersion.search_key,
        )
        .join(newest, on_newest)
        .join(Dossier, Dossier.id == DossierVersion.dossier_id)
        .join(ApplicantRow, ApplicantRow.id == Dossier.applicant_id)
        .order_by(DossierVersion.dossier_id)
    ).all()
    return [
        NewestVersion(
            version_id=r.id,
            dossier_id=r.dossier_id,
            number=r.number,
            uscc=r.uscc,
            platform_name=r.platform_name,
            operator_name=r.operator_name,
            county=r.county,
            platform_type=r.platform_type,
            legal_form=r.legal_form,
            stored=figures[r.id],
            materials=materials.get(r.id, frozenset()),
            search_key=r.search_key,
        )
        for r in rows
    ]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a round's results pile up.

    The results hold no cycles, but every collection walks all objects kept so far: with the
    collector running, a 10,000-dossier round took twice as long.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def evaluate_round(store: Store, round_id: int) -> list[DossierEvaluation]:
    with store.read() as session, gc_paused():
        rnd = get_round(session, round_id)
        book = get_rulebook(rnd.rulebook_id)
        return [
            DossierEvaluation(
                dossier_id=v.dossier_id,
                uscc=v.uscc,
                platform_name=v.platform_name,
                version=v.number,
                evaluation=v.evaluate(book, rnd.reference_date),
            )
            for v in newest_versions(session, round_id)
        ]
