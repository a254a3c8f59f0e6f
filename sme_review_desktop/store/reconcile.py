"""Reconciling the records with the audit log: a row changed outside the log is found.

The keyed chain (store/audit) proves the log was not rewritten; it says nothing about the
tables beside it. An ``UPDATE decision SET decision='approved'`` typed into the database
leaves the log intact and the record false. So every current decision, expert score and
clause conclusion is compared with the ``after`` of the last audit entry that wrote it: the
log says what the record must be, and where it says otherwise (or says nothing of a record
that holds a conclusion) the row was changed outside the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sme_review_desktop.models import (
    Applicant,
    AuditEntry,
    ConditionCheck,
    Criterion,
    Decision,
    Dossier,
    Expert,
    Score,
)

DECISION_ACTIONS = ("decision.set", "correction.decision")
SCORE_ACTIONS = ("score.enter", "correction.score")
CHECK_ACTIONS = ("check.decide", "check.note")
_SHOWN = 50  # a table rewritten wholesale is named by its first rows, then counted


def _entries(session: Session, actions: Iterable[str]) -> Iterable[AuditEntry]:
    return session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(list(actions))).order_by(AuditEntry.id)
    )


def _names(session: Session) -> dict[int, str]:
    rows = session.execute(
        select(Dossier.id, Applicant.name, Applicant.uscc).join(
            Applicant, Dossier.applicant_id == Applicant.id
        )
    )
    return {d: f"“{name}”（{uscc}）" for d, name, uscc in rows}


def _same_points(logged: Any, current: dict[str, str]) -> bool:
    if not isinstance(logged, dict) or set(logged) != set(current):
        return False
    try:
        return all(Decimal(str(logged[k])) == Decimal(current[k]) for k in current)
    except (InvalidOperation, ValueError):
        return False


def _decisions(session: Session, names: dict[int, str]) -> list[str]:
    last: dict[int, dict[str, Any]] = {}
    for e in _entries(session, DECISION_ACTIONS):
        if e.dossier_id is not None and isinstance(e.after, dict):
            last[e.dossier_id] = e.after
    found = []
    for row in session.scalars(select(Decision).order_by(Decision.dossier_id)):
        who = names.get(row.dossier_id, f"申报材料{row.dossier_id}")
        logged = last.pop(row.dossier_id, None)
        if logged is None:
            found.append(f"{who}的认定决定“{row.decision}”没有任何审计记录（在系统之外写入）")
        elif (logged.get("decision"), logged.get("reason", "")) != (row.decision, row.reason):
            found.append(
                f"{who}的认定决定现为“{row.decision}”，与最后一条审计记录"
                f"（“{logged.get('decision')}”）不符：在系统之外被改动过"
            )
    for dossier_id in last:
        if dossier_id in names:  # a dossier deleted with its round takes its decision along
            found.append(f"{names[dossier_id]}的认定决定已不在数据库中：在系统之外被删除")
    return found


def _scores(session: Session, names: dict[int, str]) -> list[str]:
    experts = {
        (round_id, name): expert_id
        for expert_id, round_id, name in session.execute(
            select(Expert.id, Expert.round_id, Expert.name)
        )
    }
    expert_names = {v: k[1] for k, v in experts.items()}
    last: dict[tuple[int, int], Any] = {}
    for e in _entries(session, SCORE_ACTIONS):
        after = e.after if isinstance(e.after, dict) else {}
        expert_id = experts.get((e.round_id or 0, str(after.get("expert"))))
        if expert_id is not None and e.dossier_id is not None:
            last[(expert_id, e.dossier_id)] = after.get("points")
    current: dict[tuple[int, int], dict[str, str]] = {}
    rows = session.execute(
        select(Score.expert_id, Score.dossier_id, Criterion.name, Score.points).join(
            Criterion, Score.criterion_id == Criterion.id
        )
    )
    for expert_id, dossier_id, criterion, points in rows:
        current.setdefault((expert_id, dossier_id), {})[criterion] = str(points)
    found = []
    for key in sorted(set(current) | {k for k, v in last.items() if v}):
        points = current.get(key, {})
        logged = last.get(key)
        if logged is None and not points:
            continue
        if logged is None or not _same_points(logged, points):
            expert_id, dossier_id = key
            who = names.get(dossier_id, f"申报材料{dossier_id}")
            found.append(
                f"专家“{expert_names.get(expert_id, expert_id)}”对{who}的评分与最后一条审计记录不符"
                f"（现为{points or '无'}，记录为{logged or '无'}）：在系统之外被改动过"
            )
    return found


def _checks(session: Session, names: dict[int, str]) -> list[str]:
    last: dict[tuple[int, int, int, str], dict[str, Any]] = {}
    for e in _entries(session, CHECK_ACTIONS):
        after = e.after if isinstance(e.after, dict) else {}
        clause = after.get("clause")
        if e.dossier_id is not None and isinstance(clause, list) and len(clause) == 3:
            last[(e.dossier_id, int(clause[0]), int(clause[1]), str(clause[2]))] = after
    found = []
    for c in session.scalars(select(ConditionCheck).order_by(ConditionCheck.id)):
        logged = last.get((c.dossier_id, c.article, c.item, c.part))
        if logged is None:
            if c.decision is None and not c.note:
                continue  # an untouched clause: nothing concluded, nothing to log
            state = {"decision": None, "note": ""}
        else:
            state = {"decision": logged.get("decision"), "note": logged.get("note") or ""}
        if (c.decision, c.note or "") != (state["decision"], state["note"]):
            label = f"第{c.article}条第{c.item}项" + (f"（{c.part}）" if c.part else "")
            who = names.get(c.dossier_id, f"申报材料{c.dossier_id}")
            found.append(
                f"{who}{label}的审核结论现为“{c.decision or '未审核'}”，与最后一条审计记录"
                f"（“{state['decision'] or '未审核'}”）不符：在系统之外被改动过"
            )
    return found


def reconcile(session: Session) -> list[str]:
    """Every decision, score and clause conclusion that differs from its last audit entry."""
    names = _names(session)
    found = _decisions(session, names) + _scores(session, names) + _checks(session, names)
    if len(found) > _SHOWN:
        found = [*found[:_SHOWN], f"……另有{len(found) - _SHOWN}处记录与审计记录不符"]
    return found
