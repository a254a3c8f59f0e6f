"""What the review meeting looks at, per dossier: key figures, suggestions, formal review, scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from sme_review_desktop.models import ConditionCheck, Dossier
from sme_review_desktop.review.evaluation import evaluate_round
from sme_review_desktop.review.finding_record import round_findings
from sme_review_desktop.review.findings import FINDING_LABELS, Finding
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.approval import (
    ScoreProgress,
    approval_unmet,
    round_exceptions,
    score_progress,
)
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
    # The reviewer's conclusion per clause label (符合/不符合/待补正, "" while undecided), beside
    # the system's suggestion; the score's progress; findings; what 拟认定 would lack now.
    conclusions: dict[str, str] = field(default_factory=dict)
    progress: ScoreProgress = field(default_factory=lambda: ScoreProgress(0, 0))
    findings: list[Finding] = field(default_factory=list)
    exception: str | None = None
    unmet: list[str] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        """The expected expert scores are not all in: the score is 暂计 and has no rank."""
        return bool(self.progress.expected) and not self.progress.complete


_CONCLUSION_LABELS = {"met": "符合", "unmet": "不符合", "fix": "待补正"}


def _conclusions(
    checks: list[ConditionCheck], items: list[tuple[int, int, tuple[str, ...]]]
) -> dict[tuple[int, int], str]:
    by_clause = {(c.article, c.item, c.part): c.decision for c in checks}
    out: dict[tuple[int, int], str] = {}
    for article, item, parts in items:
        decisions = [by_clause.get((article, item, p)) for p in parts]
        if decisions and None not in decisions:
            worst = next((d for d in ("unmet", "fix") if d in decisions), "met")
            out[article, item] = _CONCLUSION_LABELS[worst]
    return out


def meeting_slides(store: Store, round_id: int) -> list[Slide]:
    from sme_review_desktop.importing.figures import typed_figures
    from sme_review_desktop.models import DossierVersion

    with store.read() as session:
        rnd = get_round(session, round_id)
        book = get_rulebook(rnd.rulebook_id)
        progress = score_progress(session, rnd)
        found = round_findings(session, round_id)
        checks: dict[int, list[ConditionCheck]] = {}
        for c in session.scalars(
            select(ConditionCheck).join(Dossier).where(Dossier.round_id == round_id)
        ):
            checks.setdefault(c.dossier_id, []).append(c)
        exceptions = round_exceptions(session, round_id)
        unmet = {
            # Findings are shown as such: here only what the review and the scores lack.
            d.id: [
                u.message for u in approval_unmet(session, rnd, d) if u.code not in FINDING_LABELS
            ]
            for d in session.scalars(select(Dossier).where(Dossier.round_id == round_id))
        }
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
        items = [i for i in ev.evaluation.items if i.applicable]
        concluded = _conclusions(
            checks.get(ev.dossier_id, []),
            [(i.article, i.item, tuple(p.id for p in i.parts)) for i in items],
        )
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
                conclusions={i.label: concluded.get((i.article, i.item), "") for i in items},
                progress=progress.get(ev.dossier_id, ScoreProgress(0, 0)),
                findings=found.get(ev.dossier_id, []),
                exception=exceptions.get(ev.dossier_id),
                unmet=unmet.get(ev.dossier_id, []),
            )
        )
    return slides
