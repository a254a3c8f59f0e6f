"""Evaluating a round's dossiers: the newest version of each, through the rule engine."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from . import uscc as uscc_rules
from .figures import typed_figures
from .models import Dossier, DossierVersion, Round
from .rounds import get_round
from .rules.engine import Applicant, Evaluation, evaluate
from .rules.rulebook import Rulebook, get_rulebook
from .store import Store


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
    applicant = Applicant(
        uscc=code,
        legal_form=version.legal_form or None,
        implied_legal_form=uscc_rules.implied_legal_form(code),
        platform_type=version.platform_type or None,
    )
    present = {f.material_number for f in version.evidence if f.material_number is not None}
    return evaluate(book, figures, applicant, rnd.reference_date, present)


def _newest_versions(session: Session, round_id: int) -> list[DossierVersion]:
    dossiers = session.scalars(
        select(Dossier)
        .where(Dossier.round_id == round_id)
        .options(
            selectinload(Dossier.applicant),
            selectinload(Dossier.versions).selectinload(DossierVersion.figures),
            selectinload(Dossier.versions).selectinload(DossierVersion.evidence),
        )
        .order_by(Dossier.id)
    )
    return [d.versions[-1] for d in dossiers if d.versions]


def evaluate_round(store: Store, round_id: int) -> list[DossierEvaluation]:
    with store.read() as session:
        rnd = get_round(session, round_id)
        book = get_rulebook(rnd.rulebook_id)
        return [
            DossierEvaluation(
                dossier_id=v.dossier_id,
                uscc=v.dossier.applicant.uscc,
                platform_name=v.platform_name,
                version=v.number,
                evaluation=evaluate_version(book, rnd, v),
            )
            for v in _newest_versions(session, round_id)
        ]
