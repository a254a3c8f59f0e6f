"""Approving the way the record allows it: the walk-through concluded item by item, then 拟认定.

Tests that need an approval as their setting use these instead of bypassing the gate
(scoring/approval): the data they approve is made legitimate first.
"""

from __future__ import annotations

from typing import Any

from sme_review_desktop.review.walkthrough import load_workspace, set_decision
from sme_review_desktop.rounds import find_dossier
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.store.database import Store


def review_all(
    store: Store, round_id: int, uscc: str, conclusion: str = "met", actor: str = "评审人"
) -> None:
    """Conclude every clause of the newest version nobody concluded yet (default 符合); the
    reviewer's earlier ticks stay."""
    with store.read() as session:
        dossier_id = find_dossier(session, round_id, uscc).id
    ws = load_workspace(store, dossier_id)
    for item in ws.items():
        for part in item.parts:
            if ws.check(item.article, item.item, part.id).decision is None:
                set_decision(
                    store,
                    dossier_id,
                    item.article,
                    item.item,
                    part.id,
                    conclusion,
                    actor,
                    app_verdict=part.verdict.value,
                    version=ws.version,
                )


def approve(
    store: Store,
    round_id: int,
    uscc: str,
    reason: str = "评审合格",
    actor: str = "组长",
    **kwargs: Any,
) -> str | None:
    """Review the dossier item by item, then record 拟认定."""
    review_all(store, round_id, uscc)
    return decide(store, round_id, uscc, "approved", reason, actor, **kwargs)
