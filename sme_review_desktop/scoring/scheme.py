"""The round's scoring scheme (评分标准): criteria with their maximum points, kept as a template file too."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sme_review_desktop.errors import UserError
from sme_review_desktop.models import (
    Criterion,
    Expert,
    Score,
)
from sme_review_desktop.rounds import get_round
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import Store

DEFAULT_SCHEME: tuple[tuple[str, int, str], ...] = (
    ("基本条件", 20, "法人资格、运营年限、资产与财务状况、管理制度"),
    ("服务能力", 25, "服务场所设施、人才队伍、集聚服务资源的能力"),
    ("服务业绩", 25, "服务企业数量与质量、用户满意度、增长情况"),
    ("示范带动", 15, "公益性服务、对小微企业的优惠、在区域或行业内的影响"),
    ("特色创新", 15, "服务模式创新、线上线下结合、供需精准对接"),
)


class ScoringError(UserError):
    """A score, scheme or decision the rules do not allow."""


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    max_points: Decimal
    guidance: str = ""


def _decimal(text: object, what: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ScoringError(f"{what}“{text}”不是数字。") from None
    if not value.is_finite():
        raise ScoringError(f"{what}“{text}”不是数字。")
    return value


def criteria(session: Session, round_id: int) -> list[Criterion]:
    return list(
        session.scalars(
            select(Criterion).where(Criterion.round_id == round_id).order_by(Criterion.position)
        )
    )


def has_scores(session: Session, round_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count(Score.id))
            .join(Expert, Expert.id == Score.expert_id)
            .where(Expert.round_id == round_id)
        )
    )


def ensure_scheme(session: Session, round_id: int) -> list[Criterion]:
    """The round's criteria; a round without a scheme gets the default one (totals 100)."""
    found = criteria(session, round_id)
    if found:
        return found
    for n, (name, points, guidance) in enumerate(DEFAULT_SCHEME):
        session.add(
            Criterion(
                round_id=round_id,
                position=n,
                name=name,
                max_points=Decimal(points),
                guidance=guidance,
            )
        )
    session.flush()
    return criteria(session, round_id)


def set_scheme(store: Store, round_id: int, specs: list[CriterionSpec], actor: str) -> None:
    """Replace the scheme; refused once the first score is entered (the scheme is then frozen)."""
    if not specs:
        raise ScoringError("评分方案至少需要一项评分指标。")
    names = [s.name.strip() for s in specs]
    if any(not n for n in names) or len(set(names)) != len(names):
        raise ScoringError("评分指标名称不能为空，也不能重复。")
    if any(s.max_points <= 0 for s in specs):
        raise ScoringError("每项评分指标的满分必须大于0。")
    with store.write() as session:
        rnd = get_round(session, round_id)
        if has_scores(session, round_id):
            raise ScoringError("已有专家评分，评分方案已冻结，不能再修改。")
        before = [{"name": c.name, "max": str(c.max_points)} for c in criteria(session, round_id)]
        session.execute(delete(Criterion).where(Criterion.round_id == round_id))
        for n, s in enumerate(specs):
            session.add(
                Criterion(
                    round_id=round_id,
                    position=n,
                    name=s.name.strip(),
                    max_points=s.max_points,
                    guidance=s.guidance,
                )
            )
        audit.record(
            session,
            actor,
            "scoring.scheme",
            round_id=rnd.id,
            before={"criteria": before},
            after={"criteria": [{"name": s.name, "max": str(s.max_points)} for s in specs]},
        )


def save_scheme_template(path: Path, specs: list[CriterionSpec]) -> None:
    """A reusable scheme (JSON), e.g. under the data folder's 评分方案/."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {"name": s.name, "max_points": str(s.max_points), "guidance": s.guidance} for s in specs
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")


def load_scheme_template(path: Path) -> list[CriterionSpec]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [
            CriterionSpec(r["name"], _decimal(r["max_points"], "满分"), r.get("guidance", ""))
            for r in rows
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ScoringError(f"无法读取评分方案模板 {path.name}：{exc}") from exc


def scheme_specs(store: Store, round_id: int) -> tuple[list[CriterionSpec], bool]:
    """The round's criteria and whether they are frozen (a score exists)."""
    with store.write() as session:
        specs = [
            CriterionSpec(c.name, c.max_points, c.guidance)
            for c in ensure_scheme(session, round_id)
        ]
        return specs, has_scores(session, round_id)
