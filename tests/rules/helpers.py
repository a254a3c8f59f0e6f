"""What the tests of both measures share: finding a clause's result and its rulebook definition."""

from __future__ import annotations

from sme_review_desktop.rules.engine import Evaluation, PartResult
from sme_review_desktop.rules.rulebook import Part, Rulebook


def part(ev: Evaluation, article: int, item: int, part_id: str) -> PartResult:
    for p in ev.item(article, item).parts:
        if p.id == part_id:
            return p
    raise KeyError((article, item, part_id))


def rule_part(
    book: Rulebook, article: int, item: int, part_id: str, inner: str | None = None
) -> Part:
    """The rulebook's definition of a part; ``inner`` names a compare inside an any_of part."""
    for ci in book.condition_items():
        if (ci.article, ci.item) != (article, item):
            continue
        for p in ci.parts:
            if p.id != part_id:
                continue
            if inner is None:
                return p
            for group in p.groups:
                for q in group:
                    if q.id == inner:
                        return q
    raise KeyError((article, item, part_id, inner))


def has_judgment(book: Rulebook, article: int, item: int) -> bool:
    """Whether the item has a clause only a reviewer can decide (a relaxation's clause aside)."""
    for ci in book.condition_items():
        if (ci.article, ci.item) == (article, item):
            return any(p.judge and not p.relaxed_only for p in ci.parts)
    raise KeyError((article, item))
