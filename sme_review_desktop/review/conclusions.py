"""Item conclusions from the CLI: a reviewer's 符合/不符合/待补正 on a whole item, and the state.

The walk-through ticks clauses one at a time; a round run from the command line concludes an
item at once (every clause the same), in one transaction with one audit entry per clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sme_review_desktop.errors import NotFound, UserError
from sme_review_desktop.models import ConditionCheck, Dossier, DossierVersion
from sme_review_desktop.models.base import utcnow
from sme_review_desktop.review.evaluation import evaluate_version
from sme_review_desktop.review.walkthrough import ReviewLocked
from sme_review_desktop.rounds import find_dossier, get_round
from sme_review_desktop.rules.engine import ItemResult
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import Store

# The CLI's words for the walk-through's decisions (supplement = 待补正).
CONCLUSIONS = {"met": "met", "unmet": "unmet", "supplement": "fix"}
_ITEM = re.compile(r"^\s*(\d{1,3})\s*[.．]\s*(\d{1,3})\s*$")


def parse_item(text: str) -> tuple[int, int]:
    match = _ITEM.match(text)
    if not match:
        raise UserError(f"条目应写成“条.项”，如 7.1 表示第七条（一）：{text}")
    return int(match.group(1)), int(match.group(2))


def _newest_items(session: Session, dossier: Dossier) -> tuple[int, list[ItemResult]]:
    version = session.scalars(
        select(DossierVersion)
        .where(DossierVersion.dossier_id == dossier.id)
        .order_by(DossierVersion.number.desc())
    ).first()
    assert version is not None
    rnd = get_round(session, dossier.round_id)
    evaluation = evaluate_version(get_rulebook(rnd.rulebook_id), rnd, version)
    return version.number, [i for i in evaluation.items if i.applicable]


def set_item_conclusion(
    store: Store,
    round_id: int,
    uscc: str,
    item_text: str,
    conclusion: str,
    actor: str,
    note: str | None = None,
) -> int:
    """Conclude every clause of an item of the newest version; returns how many clauses."""
    if conclusion not in CONCLUSIONS:
        raise UserError(
            f"审核结论只能是 met（符合）、unmet（不符合）或 supplement（待补正）：{conclusion}"
        )
    decision = CONCLUSIONS[conclusion]
    article, number = parse_item(item_text)
    with store.write() as session:
        dossier = find_dossier(session, round_id, uscc)
        if dossier.round.locked_at is not None:
            raise ReviewLocked("该批次已锁定，审核结论不能再修改；如需更正请走“更正”流程。")
        if dossier.review_complete_at is not None:
            raise ReviewLocked("该申报材料已标记为审核完成；如需修改，请先撤销“审核完成”。")
        version, items = _newest_items(session, dossier)
        item = next((i for i in items if (i.article, i.item) == (article, number)), None)
        if item is None:
            known = "、".join(f"{i.article}.{i.item}" for i in items)
            raise NotFound(f"第{version}版没有需要审核的条目 {item_text}；可审核的条目：{known}")
        parts: list[tuple[str, str | None]] = [(p.id, p.verdict.value) for p in item.parts]
        if note is not None:
            parts.append(("", None))  # the item's note lives on its whole-item row
        for part, verdict in parts:
            check = session.scalars(
                select(ConditionCheck).where(
                    ConditionCheck.dossier_id == dossier.id,
                    ConditionCheck.article == article,
                    ConditionCheck.item == number,
                    ConditionCheck.part == part,
                )
            ).first()
            if check is None:
                check = ConditionCheck(
                    dossier_id=dossier.id, article=article, item=number, part=part, note=""
                )
                session.add(check)
            before = {"decision": check.decision, "note": check.note}
            if part or not item.parts:
                check.decision, check.app_verdict = decision, verdict
                check.decided_by, check.decided_at = actor, utcnow()
                check.decided_on_version, check.needs_recheck = version, False
            if note is not None and part == "":
                check.note = note
            audit.record(
                session,
                actor,
                "check.decide" if part else "check.note",
                round_id=round_id,
                dossier_id=dossier.id,
                before={"clause": [article, number, part], **before},
                after={
                    "clause": [article, number, part],
                    "decision": check.decision,
                    "note": check.note,
                },
            )
        return len(item.parts)


@dataclass(frozen=True)
class ItemState:
    article: int
    item: int
    title: str
    required: bool
    suggestion: str  # the app's verdict
    conclusion: str | None  # met / unmet / supplement, None until every clause is decided
    needs_recheck: bool
    note: str

    def as_json(self) -> dict[str, object]:
        return {
            "article": self.article,
            "item": self.item,
            "title": self.title,
            "required": self.required,
            "suggestion": self.suggestion,
            "conclusion": self.conclusion,
            "needs_recheck": self.needs_recheck,
            "note": self.note,
        }


def item_states(store: Store, round_id: int, uscc: str) -> tuple[int, list[ItemState]]:
    """The newest version's items with the app's suggestion and the reviewer's conclusion."""
    with store.read() as session:
        dossier = find_dossier(session, round_id, uscc)
        version, items = _newest_items(session, dossier)
        checks = {
            (c.article, c.item, c.part): c
            for c in session.scalars(
                select(ConditionCheck).where(ConditionCheck.dossier_id == dossier.id)
            )
        }
        back = {v: k for k, v in CONCLUSIONS.items()}
        out = []
        for i in items:
            rows = [checks.get((i.article, i.item, p.id)) for p in i.parts]
            decisions = [r.decision if r else None for r in rows]
            conclusion = None
            if decisions and None not in decisions:
                worst = next((d for d in ("unmet", "fix") if d in decisions), "met")
                conclusion = back[worst]
            whole = checks.get((i.article, i.item, ""))
            out.append(
                ItemState(
                    i.article,
                    i.item,
                    i.title,
                    i.required,
                    i.verdict.value,
                    conclusion,
                    any(r is not None and r.needs_recheck for r in rows),
                    whole.note if whole else "",
                )
            )
        return version, out
