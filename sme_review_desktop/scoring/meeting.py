"""What the review meeting looks at, per dossier: key figures, suggestions, formal review, scores."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sme_review_desktop.review.evaluation import evaluate_round
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.summary import DossierScores, score_summary
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbers import plain

KEY_FIGURES = (
    "total_assets_wan",
    "smes_served",
    "smes_served_prev",
    "satisfaction_pct",
    "staff_total",
    "public_welfare_pct",
    "partner_institutions",
)


@dataclass(frozen=True)
class Slide:
    dossier_id: int
    uscc: str
    platform_name: str
    figures: list[tuple[str, str]]  # label, value with unit
    suggestions: list[tuple[str, str, str]]  # clause label, title, verdict label
    overall: str
    missing_materials: tuple[int, ...]
    scores: DossierScores


def meeting_slides(store: Store, round_id: int) -> list[Slide]:
    from sme_review_desktop.importing.figures import typed_figures
    from sme_review_desktop.models import DossierVersion

    with store.read() as session:
        book = get_rulebook(get_round(session, round_id).rulebook_id)
    fields = field_catalogue()
    summaries = {s.dossier_id: s for s in score_summary(store, round_id)}
    slides = []
    for ev in evaluate_round(store, round_id):
        with store.read() as session:
            version = (
                session.query(DossierVersion)
                .filter_by(dossier_id=ev.dossier_id, number=ev.version)
                .one()
            )
            figures = typed_figures(version.figures)
        shown = []
        for key in KEY_FIGURES:
            if key in book.form_fields:
                value = figures.get(key)
                text = (
                    "未填报"
                    if value is None
                    else f"{plain(value) if isinstance(value, Decimal) else value}{fields[key].unit or ''}"
                )
                shown.append((fields[key].label, text))
        slides.append(
            Slide(
                dossier_id=ev.dossier_id,
                uscc=ev.uscc,
                platform_name=ev.platform_name,
                figures=shown,
                suggestions=[
                    (i.label, i.title, i.verdict.label) for i in ev.evaluation.items if i.applicable
                ],
                overall=ev.evaluation.overall.label,
                missing_materials=ev.evaluation.missing_materials,
                scores=summaries[ev.dossier_id],
            )
        )
    return slides
