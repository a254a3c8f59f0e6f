"""The rows of the dossier list: one summary per dossier, newest version, computed in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from sme_review_desktop.models import ConditionCheck, Decision, Dossier
from sme_review_desktop.review.evaluation import gc_paused, newest_versions
from sme_review_desktop.review.finding_record import round_findings
from sme_review_desktop.review.findings import Finding
from sme_review_desktop.review.verdict_cache import VerdictCache
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.search_keys import name_key, search_key


@dataclass(frozen=True)
class DossierSummary:
    dossier_id: int
    uscc: str
    platform_name: str
    operator_name: str
    county: str
    platform_type: str
    version: int
    missing_materials: tuple[int, ...]
    suggestion: str  # met / review / unmet
    decided_items: int
    total_items: int
    complete: bool
    score: float | None
    decision: str | None
    # The list's search text (names, code, pinyin initials), made here off the UI thread;
    # empty: the list makes it itself.
    search: str = ""
    findings: tuple[Finding, ...] = ()
    exception: str | None = None  # the reason of a 例外认定 (an approval the record lacked)

    @property
    def findings_label(self) -> str:
        return "、".join(f.label + ("（已说明）" if f.explained else "") for f in self.findings)

    @property
    def blocked(self) -> bool:
        return any(f.stands for f in self.findings)

    @property
    def formal_label(self) -> str:
        n = len(self.missing_materials)
        return f"缺{n}项材料" if n else "材料齐全"


def dossier_summaries(
    store: Store, round_id: int, progress: Callable[[int, int], None] | None = None
) -> list[DossierSummary]:
    """Painted from the verdict cache (review/verdict_cache.py): a version is evaluated only
    where its stored verdict is missing or was computed from anything other than what holds now."""
    with store.read() as session, gc_paused():
        rnd = get_round(session, round_id)
        book = get_rulebook(rnd.rulebook_id)
        conn = session.connection()  # plain rows: 10,000 dossiers as ORM objects took seconds
        decided: dict[int, dict[tuple[int, int], dict[str, str | None]]] = defaultdict(
            lambda: defaultdict(dict)
        )
        for c in conn.execute(
            select(
                ConditionCheck.dossier_id,
                ConditionCheck.article,
                ConditionCheck.item,
                ConditionCheck.part,
                ConditionCheck.decision,
            )
            .join(Dossier)
            .where(Dossier.round_id == round_id)
        ).all():
            decided[c.dossier_id][(c.article, c.item)][c.part] = c.decision
        decisions: dict[int, str] = {}
        exceptions: dict[int, str] = {}
        for dossier_id, decision, exception in conn.execute(
            select(Decision.dossier_id, Decision.decision, Decision.override_reason)
            .join(Dossier)
            .where(Dossier.round_id == round_id)
        ).all():
            decisions[dossier_id] = decision
            if exception:
                exceptions[dossier_id] = exception
        found = round_findings(session, round_id)
        completed = set(
            conn.scalars(
                select(Dossier.id).where(
                    Dossier.round_id == round_id, Dossier.review_complete_at.is_not(None)
                )
            ).all()
        )
        versions = newest_versions(session, round_id)
        from sme_review_desktop.scoring import aggregates_for_round

        scores = aggregates_for_round(session, round_id)
        cache = VerdictCache(session, versions, book, rnd.reference_date)
        rows: list[DossierSummary] = []
        for n, v in enumerate(versions):
            ev = cache.verdict(v)
            items = ev.items
            ticks = decided.get(v.dossier_id)
            done = (
                sum(
                    1
                    for article, item, parts in items
                    if parts and all(ticks.get((article, item), {}).get(p) for p in parts)
                )
                if ticks  # most dossiers of a large round have no ticks yet
                else 0
            )
            rows.append(
                DossierSummary(
                    dossier_id=v.dossier_id,
                    uscc=v.uscc,
                    platform_name=v.platform_name,
                    operator_name=v.operator_name,
                    county=v.county,
                    platform_type=v.platform_type,
                    version=v.number,
                    missing_materials=ev.missing_materials,
                    suggestion=ev.overall,
                    decided_items=done,
                    total_items=len(items),
                    complete=v.dossier_id in completed,
                    score=scores.get(v.dossier_id),
                    decision=decisions.get(v.dossier_id),
                    search=search_key(
                        v.search_key or name_key(v.platform_name, v.operator_name, v.county),
                        v.uscc,
                    ),
                    findings=tuple(found.get(v.dossier_id, ())),
                    exception=exceptions.get(v.dossier_id),
                )
            )
            if progress and n % 200 == 0:
                progress(n, len(versions))
    cache.save(store)  # after the read: the list never waits on its own snapshot
    return rows
