"""The approval gate: 拟认定 follows from the record, or is an exception with a reason.

Every path that records an approval (the meeting view, any window, ``sme-review decide``) goes
through ``check_approval``, so none can certify a dossier nobody reviewed or scored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sme_review_desktop.models import (
    ConditionCheck,
    Conflict,
    Criterion,
    Decision,
    Dossier,
    DossierVersion,
    Expert,
    Round,
    Score,
)
from sme_review_desktop.review.evaluation import evaluate_version
from sme_review_desktop.review.finding_record import dossier_findings, round_findings
from sme_review_desktop.review.findings import Finding
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.scheme import ScoringError
from sme_review_desktop.text.numbering import clause_label

MIN_OVERRIDE_CHARS = 10


class ApprovalRefused(ScoringError):
    """拟认定 refused: the record does not support it (and no valid exception was given).

    ``overridable`` is False for a legal bar, which no 例外认定 can lift.
    """

    def __init__(self, message: str, *, overridable: bool = True) -> None:
        super().__init__(message)
        self.overridable = overridable


@dataclass(frozen=True)
class Unmet:
    """One condition of an approval the record does not meet."""

    code: str
    message: str
    overridable: bool = True


@dataclass(frozen=True)
class ScoreProgress:
    done: int  # experts who scored every criterion
    expected: int  # 0: the round has no experts, nothing is expected

    @property
    def complete(self) -> bool:
        return self.done >= self.expected

    @property
    def label(self) -> str:
        return f"{self.done}/{self.expected}位专家"


def score_progress(session: Session, rnd: Round) -> dict[int, ScoreProgress]:
    """Per dossier: complete expert scores against those expected.

    Expected: every expert without a conflict; a round's ``expected_experts`` may lower it.
    """
    experts = list(session.scalars(select(Expert.id).where(Expert.round_id == rnd.id)))
    criteria = (
        session.scalar(select(func.count(Criterion.id)).where(Criterion.round_id == rnd.id)) or 0
    )
    conflicts: dict[int, int] = defaultdict(int)
    for dossier_id, n in session.execute(
        select(Conflict.dossier_id, func.count(Conflict.id))
        .join(Expert, Expert.id == Conflict.expert_id)
        .where(Expert.round_id == rnd.id)
        .group_by(Conflict.dossier_id)
    ):
        conflicts[dossier_id] = n
    done: dict[int, int] = defaultdict(int)
    for dossier_id, _expert, n in session.execute(
        select(Score.dossier_id, Score.expert_id, func.count(Score.id))
        .join(Expert, Expert.id == Score.expert_id)
        .where(Expert.round_id == rnd.id)
        .group_by(Score.dossier_id, Score.expert_id)
    ):
        if criteria and n >= criteria:
            done[dossier_id] += 1
    setting = rnd.settings.get("expected_experts")
    out: dict[int, ScoreProgress] = {}
    for dossier_id in session.scalars(select(Dossier.id).where(Dossier.round_id == rnd.id)):
        eligible = len(experts) - conflicts[dossier_id]
        expected = min(setting, eligible) if isinstance(setting, int) else eligible
        out[dossier_id] = ScoreProgress(done[dossier_id], max(expected, 0))
    return out


def _review_unmet(session: Session, rnd: Round, dossier: Dossier) -> list[Unmet]:
    """Conditions 1–3: the walk-through of the newest version, and the formal review."""
    book = get_rulebook(rnd.rulebook_id)
    version = session.scalars(
        select(DossierVersion)
        .where(DossierVersion.dossier_id == dossier.id)
        .order_by(DossierVersion.number.desc())
    ).first()
    assert version is not None
    evaluation = evaluate_version(book, rnd, version)
    checks = {
        (c.article, c.item, c.part): c
        for c in session.scalars(
            select(ConditionCheck).where(ConditionCheck.dossier_id == dossier.id)
        )
    }
    undecided: list[str] = []
    recheck: list[str] = []
    unmet: list[str] = []
    pending: list[str] = []
    for item in evaluation.items:
        if not item.applicable:
            continue
        label = clause_label(item.article, item.item)
        states = [checks.get((item.article, item.item, p.id)) for p in item.parts]
        if not states or any(c is None or c.decision is None for c in states):
            undecided.append(label)
            continue
        if any(c is not None and c.needs_recheck for c in states):
            recheck.append(label)
        decisions = {c.decision for c in states if c is not None}
        if item.required and "unmet" in decisions:
            unmet.append(label)
        elif item.required and "fix" in decisions:
            pending.append(label)
    out: list[Unmet] = []
    if undecided:
        out.append(Unmet("review_incomplete", f"逐条审核未完成：{_list(undecided)}尚无审核结论"))
    if recheck:
        out.append(
            Unmet("review_recheck", f"第{version.number}版数据有变，{_list(recheck)}需重新核对")
        )
    if unmet:
        out.append(Unmet("item_unmet", f"评审人认定{_list(unmet)}不符合"))
    if pending:
        out.append(Unmet("item_fix", f"{_list(pending)}待补正，尚未补正"))
    if evaluation.missing_materials:
        numbers = "、".join(f"{n}" for n in evaluation.missing_materials)
        out.append(Unmet("materials_missing", f"形式审查未通过：缺少必备材料第{numbers}项"))
    return out


def _list(labels: list[str]) -> str:
    return "、".join(labels[:6]) + (f"等{len(labels)}项" if len(labels) > 6 else "")


def approval_unmet(session: Session, rnd: Round, dossier: Dossier) -> list[Unmet]:
    """Every condition of 拟认定 the dossier's newest version does not meet, in order."""
    out = _review_unmet(session, rnd, dossier)
    progress = score_progress(session, rnd).get(dossier.id)
    if progress is not None and progress.expected and not progress.complete:
        out.append(Unmet("scores_incomplete", f"专家评分未齐：已有{progress.label}的完整评分"))
    for f in dossier_findings(session, dossier):
        if f.stands:
            out.append(Unmet(f.code, f"{f.label}：{f.message}", f.overridable))
    return out


def check_approval(
    session: Session, rnd: Round, dossier: Dossier, override: str | None
) -> list[Unmet]:
    """Refuse 拟认定 unless the record supports it, or an exception's reason covers what it
    lacks; returns what the exception covers (empty: no exception needed)."""
    unmet = approval_unmet(session, rnd, dossier)
    if not unmet:
        return []
    names = "；".join(f"{n}. {u.message}" for n, u in enumerate(unmet, start=1))
    bars = [u for u in unmet if not u.overridable]
    if bars:
        raise ApprovalRefused(
            f"不能拟认定，存在法定不得认定的情形（不可例外认定）：{names}", overridable=False
        )
    if override is None:
        raise ApprovalRefused(
            f"不能拟认定，以下条件未满足：{names}。如确需认定，请以例外认定写明理由"
            f"（不少于{MIN_OVERRIDE_CHARS}字）。"
        )
    if len(override.strip()) < MIN_OVERRIDE_CHARS:
        raise ApprovalRefused(
            f"例外认定的理由至少{MIN_OVERRIDE_CHARS}个字（现为{len(override.strip())}个字）：{names}"
        )
    return unmet


@dataclass(frozen=True)
class FlaggedApproval:
    """An approval to show before the 公示 starts or the round is locked."""

    dossier_id: int
    uscc: str
    platform_name: str
    exception: str | None  # the 例外认定 reason
    stale: Finding | None

    def as_json(self) -> dict[str, object]:
        return {
            "uscc": self.uscc,
            "platform_name": self.platform_name,
            "exception": self.exception,
            "stale": self.stale.message if self.stale else None,
        }

    @property
    def text(self) -> str:
        parts = []
        if self.exception:
            parts.append(f"例外认定（理由：{self.exception}）")
        if self.stale:
            parts.append(f"须重新确认：{self.stale.message}")
        return f"{self.uscc} {self.platform_name}：" + "；".join(parts)


def flagged_approvals(session: Session, round_id: int) -> list[FlaggedApproval]:
    """Every approval of the round that is an exception or whose record changed since."""
    approvals = {
        d.dossier_id: d
        for d in session.scalars(
            select(Decision)
            .join(Dossier, Dossier.id == Decision.dossier_id)
            .where(Dossier.round_id == round_id, Decision.decision == "approved")
        )
    }
    if not approvals:
        return []
    found = round_findings(session, round_id, list(approvals))
    out: list[FlaggedApproval] = []
    for dossier_id, decision in sorted(approvals.items()):
        stale = next((f for f in found.get(dossier_id, []) if f.code == "stale_decision"), None)
        if decision.override_reason is None and stale is None:
            continue
        dossier = session.get(Dossier, dossier_id)
        assert dossier is not None
        out.append(
            FlaggedApproval(
                dossier_id,
                dossier.applicant.uscc,
                dossier.versions[-1].platform_name,
                decision.override_reason,
                stale,
            )
        )
    return out


def round_exceptions(session: Session, round_id: int) -> dict[int, str]:
    """The round's approvals recorded as exceptions (例外认定), with their reasons."""
    return {
        dossier_id: reason or ""
        for dossier_id, reason in session.execute(
            select(Decision.dossier_id, Decision.override_reason)
            .join(Dossier, Dossier.id == Decision.dossier_id)
            .where(
                Dossier.round_id == round_id,
                Decision.decision == "approved",
                Decision.override_reason.is_not(None),
            )
        ).tuples()
    }
