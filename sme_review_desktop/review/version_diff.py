"""Comparing two versions of a dossier (补正): figures, files and the system's verdicts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sme_review_desktop.errors import NotFound, UserError
from sme_review_desktop.models import DossierVersion, EvidenceFile
from sme_review_desktop.review.evaluation import evaluate_version
from sme_review_desktop.rounds import find_dossier, get_round
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store.database import Store


@dataclass(frozen=True)
class VersionDiff:
    from_version: int
    to_version: int
    figures: list[dict[str, str | None]]  # key, label, from, to (the declared text)
    added: list[str]
    removed: list[str]
    changed: list[str]  # same path, other bytes
    items: list[dict[str, object]]  # article, item, from, to (the system's verdicts)

    def as_json(self) -> dict[str, object]:
        return {
            "from": self.from_version,
            "to": self.to_version,
            "figures": self.figures,
            "files": {"added": self.added, "removed": self.removed, "changed": self.changed},
            "items": self.items,
        }

    @property
    def empty(self) -> bool:
        return not (self.figures or self.added or self.removed or self.changed or self.items)


def diff_versions(
    store: Store, round_id: int, uscc: str, from_n: int | None = None, to_n: int | None = None
) -> VersionDiff:
    """What changed from version ``from_n`` to ``to_n`` (default: the last two)."""
    with store.read() as session:
        dossier = find_dossier(session, round_id, uscc)
        versions = {
            v.number: v
            for v in session.scalars(
                select(DossierVersion)
                .where(DossierVersion.dossier_id == dossier.id)
                .options(
                    selectinload(DossierVersion.figures),
                    selectinload(DossierVersion.evidence).selectinload(EvidenceFile.blob),
                )
            )
        }
        numbers = sorted(versions)
        if to_n is None:
            to_n = numbers[-1]
        if from_n is None:
            earlier = [n for n in numbers if n < to_n]
            if not earlier:
                raise UserError(f"该申报材料只有第{numbers[0]}版，没有可比较的版本。")
            from_n = earlier[-1]
        for n in (from_n, to_n):
            if n not in versions:
                have = "、".join(f"第{k}版" for k in numbers)
                raise NotFound(f"该申报材料没有第{n}版（现有{have}）。")
        old, new = versions[from_n], versions[to_n]
        catalogue = field_catalogue()
        before = {f.key: f.value for f in old.figures}
        after = {f.key: f.value for f in new.figures}
        order = list(catalogue) + sorted((set(before) | set(after)) - set(catalogue))
        figures = [
            {
                "key": key,
                "label": catalogue[key].label if key in catalogue else key,
                "from": before.get(key),
                "to": after.get(key),
            }
            for key in order
            if (key in before or key in after) and before.get(key) != after.get(key)
        ]
        old_files = {f.rel_path: f.sha256 for f in old.evidence}
        new_files = {f.rel_path: f.sha256 for f in new.evidence}
        rnd = get_round(session, round_id)
        book = get_rulebook(rnd.rulebook_id)
        old_items = {(i.article, i.item): i for i in evaluate_version(book, rnd, old).items}
        new_items = {(i.article, i.item): i for i in evaluate_version(book, rnd, new).items}
        items: list[dict[str, object]] = []
        for key in sorted(set(old_items) | set(new_items)):
            a, b = old_items.get(key), new_items.get(key)
            va = a.verdict.value if a and a.applicable else None
            vb = b.verdict.value if b and b.applicable else None
            if va != vb:
                items.append({"article": key[0], "item": key[1], "from": va, "to": vb})
        return VersionDiff(
            from_n,
            to_n,
            figures,
            sorted(set(new_files) - set(old_files)),
            sorted(set(old_files) - set(new_files)),
            sorted(p for p in set(old_files) & set(new_files) if old_files[p] != new_files[p]),
            items,
        )
