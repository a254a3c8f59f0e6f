"""拟认定 follows from the record (issue 18): every condition refuses alone, with its name,
an exception needs a reason of 10 characters, 不予认定 and 纳入培育库 need nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from approval_helpers import approve, review_all
from sqlalchemy import select

from sme_review_desktop.models import AuditEntry, Decision
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.review.conclusions import item_states, set_item_conclusion
from sme_review_desktop.rounds import update_settings
from sme_review_desktop.scoring.approval import ApprovalRefused
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.scoring.scheme import DEFAULT_SCHEME
from sme_review_desktop.store.database import Store

LIAOCHENG, XIAN = 1, 2
FULL = {name: Decimal(10) for name, _, _ in DEFAULT_SCHEME}


def _code(store: Store, round_id: int, n: int) -> str:
    return dossier_summaries(store, round_id)[n].uscc


def _refusal(store: Store, round_id: int, uscc: str, **kwargs: object) -> str:
    with pytest.raises(ApprovalRefused) as caught:
        decide(store, round_id, uscc, "approved", "评审合格", "组长", **kwargs)  # type: ignore[arg-type]
    return caught.value.message


@pytest.mark.parametrize("round_id", [LIAOCHENG, XIAN])
def test_every_item_must_be_concluded_on_the_newest_version(
    demo_store: Store, round_id: int
) -> None:
    code = _code(demo_store, round_id, 1)
    assert "逐条审核未完成" in _refusal(demo_store, round_id, code)
    _, states = item_states(demo_store, round_id, code)
    for s in states[:-1]:
        set_item_conclusion(demo_store, round_id, code, f"{s.article}.{s.item}", "met", "甲")
    last = states[-1]
    message = _refusal(demo_store, round_id, code)
    assert "逐条审核未完成" in message and "1. " in message and "2. " not in message
    set_item_conclusion(demo_store, round_id, code, f"{last.article}.{last.item}", "met", "甲")
    assert decide(demo_store, round_id, code, "approved", "评审合格", "组长") is None


@pytest.mark.parametrize(("conclusion", "named"), [("unmet", "不符合"), ("supplement", "待补正")])
def test_a_required_item_concluded_unmet_or_pending_refuses(
    demo_store: Store, conclusion: str, named: str
) -> None:
    code = _code(demo_store, LIAOCHENG, 1)
    review_all(demo_store, LIAOCHENG, code)
    set_item_conclusion(demo_store, LIAOCHENG, code, "7.3", conclusion, "甲")
    message = _refusal(demo_store, LIAOCHENG, code)
    assert "第七条（三）" in message and named in message


def test_a_xian_function_item_is_not_required(demo_store: Store) -> None:
    """西安 第十三条 (rule 8): a declared function that misses its item does not sink it."""
    code = _code(demo_store, XIAN, 5)  # 培训 without 备案资质, 信息服务 met
    review_all(demo_store, XIAN, code)
    set_item_conclusion(demo_store, XIAN, code, "13.4", "unmet", "甲")
    assert decide(demo_store, XIAN, code, "approved", "评审合格", "组长") is None


@pytest.mark.parametrize(
    ("round_id", "n", "missing"), [(LIAOCHENG, 11, "12、13、14"), (XIAN, 11, "1")]
)
def test_missing_required_material_refuses(
    demo_store: Store, round_id: int, n: int, missing: str
) -> None:
    code = _code(demo_store, round_id, n)
    review_all(demo_store, round_id, code)
    message = _refusal(demo_store, round_id, code)
    assert "形式审查未通过" in message and f"第{missing}" in message
    assert "逐条审核" not in message  # reviewed: only what is unmet is named


def _experts(store: Store, code: str) -> None:
    for name in ("王一", "李二", "张三"):
        add_expert(store, LIAOCHENG, name, "秘书")
    declare_conflict(store, LIAOCHENG, "张三", code, "曾任顾问", "秘书")


def test_expected_scores_are_every_expert_without_a_conflict(demo_store: Store) -> None:
    code = _code(demo_store, LIAOCHENG, 1)
    review_all(demo_store, LIAOCHENG, code)
    _experts(demo_store, code)
    enter_scores(demo_store, LIAOCHENG, "王一", code, FULL, "秘书")
    assert "专家评分未齐：已有1/2位专家" in _refusal(demo_store, LIAOCHENG, code)
    # An expert who scored only some criteria has not scored.
    enter_scores(demo_store, LIAOCHENG, "李二", code, {DEFAULT_SCHEME[0][0]: Decimal(5)}, "秘书")
    assert "已有1/2位专家" in _refusal(demo_store, LIAOCHENG, code)
    enter_scores(demo_store, LIAOCHENG, "李二", code, FULL, "秘书")
    assert decide(demo_store, LIAOCHENG, code, "approved", "评审合格", "组长") is None


@pytest.mark.parametrize(("expected", "approved"), [(1, True), (2, False), (3, False)])
def test_a_round_may_lower_the_expected_scores(
    demo_store: Store, expected: int, approved: bool
) -> None:
    code = _code(demo_store, LIAOCHENG, 1)
    review_all(demo_store, LIAOCHENG, code)
    _experts(demo_store, code)
    enter_scores(demo_store, LIAOCHENG, "王一", code, FULL, "秘书")
    update_settings(demo_store, LIAOCHENG, {"expected_experts": str(expected)}, "秘书")
    if approved:
        assert decide(demo_store, LIAOCHENG, code, "approved", "评审合格", "组长") is None
    else:  # 3 is capped at the 2 without a conflict
        assert "已有1/2位专家" in _refusal(demo_store, LIAOCHENG, code)


def test_every_unmet_condition_is_named_at_once(demo_store: Store) -> None:
    code = _code(demo_store, XIAN, 11)  # 高陵: no materials at all
    add_expert(demo_store, XIAN, "王一", "秘书")
    message = _refusal(demo_store, XIAN, code)
    for named in ("1. 逐条审核未完成", "2. 形式审查未通过", "3. 专家评分未齐"):
        assert named in message


@pytest.mark.parametrize(
    ("reason", "ok"), [("九个字的理由理由理", False), ("十个字的理由理由理由", True)]
)
def test_an_exception_needs_a_reason_of_ten_characters(
    demo_store: Store, reason: str, ok: bool
) -> None:
    code = _code(demo_store, LIAOCHENG, 2)
    if not ok:
        assert "至少10个字（现为9个字）" in _refusal(demo_store, LIAOCHENG, code, override=reason)
        return
    assert decide(demo_store, LIAOCHENG, code, "approved", "", "组长", override=reason) == reason
    with demo_store.read() as session:
        row = session.scalars(select(Decision)).one()
        assert (row.decision, row.override_reason, row.decided_on_version) == (
            "approved",
            reason,
            1,
        )
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.after is not None
        assert entry.after["exception"] == reason
        assert any("逐条审核未完成" in u for u in entry.after["unmet"])


def test_an_override_the_record_does_not_need_is_no_exception(demo_store: Store) -> None:
    code = _code(demo_store, LIAOCHENG, 1)
    assert approve(demo_store, LIAOCHENG, code, override="不需要例外但写了理由") is None
    with demo_store.read() as session:
        assert session.scalars(select(Decision.override_reason)).one() is None


@pytest.mark.parametrize("decision", ["rejected", "pool"])
def test_rejection_and_the_pool_are_possible_at_any_time(demo_store: Store, decision: str) -> None:
    code = _code(demo_store, LIAOCHENG, 11)  # nothing reviewed, materials missing
    decide(demo_store, LIAOCHENG, code, decision, "材料不全", "组长")
    with demo_store.read() as session:
        assert session.scalars(select(Decision.decision)).one() == decision
