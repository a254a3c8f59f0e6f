"""A demo store taken through whole rounds, so every chart of the 概览 has something to show.

聊城 (round 1): reviewers tick some clauses 不符合, five experts score every dossier (one harsh,
one lenient, one conflict, one total far from the others), the panel decides, the list is
publicised, one objection is upheld, the rest are certified; in the register one certificate is
revoked and some quarterly reports arrive. 西安 (round 2): two dossiers certified a year later.
Everything goes through the same services the app uses.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from approval_helpers import approve, review_all
from sqlalchemy import select

from sme_review_desktop.models import Applicant, Dossier
from sme_review_desktop.publicity.service import add_objection, finalize, start_publicity
from sme_review_desktop.register.platforms import mark_report, register_rows, revoke
from sme_review_desktop.review.walkthrough import set_decision
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.scoring.scheme import DEFAULT_SCHEME
from sme_review_desktop.store.database import Store

LIAOCHENG, XIAN = 1, 2
AS_OF = date(2027, 8, 1)  # the day the tests look at the register
EXPERTS = ("张明", "李华", "王芳", "赵强", "刘洋")
# Each expert's leaning, added to a dossier's base total: 赵强 is harsh, 王芳 lenient.
LEANING = {"张明": 0, "李华": 2, "王芳": 8, "赵强": -12, "刘洋": -1}
BASE_TOTALS = (86, 81, 62, 70, 74, 77, 58, 66, 88, 72, 55, 64)
# (dossier index, decision) — the rest stay undecided.
DECISIONS = {
    0: "approved",
    1: "approved",
    8: "approved",
    5: "approved",
    4: "approved",
    2: "rejected",
    6: "rejected",
    10: "rejected",
    3: "pool",
    7: "pool",
}


def codes(store: Store, round_id: int) -> list[str]:
    """The round's applicants' codes, in import order (the demo's order)."""
    with store.read() as session:
        return list(
            session.scalars(
                select(Applicant.uscc)
                .join(Dossier, Dossier.applicant_id == Applicant.id)
                .where(Dossier.round_id == round_id)
                .order_by(Dossier.id)
            )
        )


def dossier_ids(store: Store, round_id: int) -> list[int]:
    with store.read() as session:
        return list(
            session.scalars(
                select(Dossier.id).where(Dossier.round_id == round_id).order_by(Dossier.id)
            )
        )


def _points(total: Decimal) -> dict[str, Decimal | None]:
    """Spread a total over the default scheme in proportion to each criterion's maximum."""
    out: dict[str, Decimal | None] = {}
    left = total
    for n, (name, maximum, _) in enumerate(DEFAULT_SCHEME):
        if n == len(DEFAULT_SCHEME) - 1:
            value = left
        else:
            value = (total * maximum / 100).quantize(Decimal("0.5"), rounding=ROUND_HALF_UP)
        value = max(Decimal(0), min(Decimal(maximum), value))
        out[name] = value
        left -= value
    return out


def build_scenario(store: Store) -> None:
    actor = "秘书"
    lc_codes, lc_ids = codes(store, LIAOCHENG), dossier_ids(store, LIAOCHENG)
    # Reviewers: 年服务中小企业80家以上 unmet for 茌平 (the app agrees) and for 鲁西 (the app
    # finds it met); a judgment clause unmet for 阳谷; one clause ticked 符合 (never counted).
    set_decision(store, lc_ids[3], 7, 3, "smes", "unmet", "张评审", app_verdict="unmet")
    set_decision(store, lc_ids[1], 7, 3, "smes", "unmet", "张评审", app_verdict="met")
    set_decision(store, lc_ids[4], 7, 1, "legal_person", "unmet", "张评审")
    set_decision(store, lc_ids[0], 7, 1, "legal_person", "met", "张评审")

    for name in EXPERTS:
        add_expert(store, LIAOCHENG, name, actor, organisation="聊城大学")
    declare_conflict(store, LIAOCHENG, "刘洋", lc_codes[9], "曾任该单位顾问", actor)
    for n, code in enumerate(lc_codes):
        for name in EXPERTS:
            if name == "刘洋" and n == 9:
                continue
            total = BASE_TOTALS[n] + LEANING[name]
            if name == "李华" and n == 5:
                total += 20  # far from the others: the outlier flag
            enter_scores(store, LIAOCHENG, name, code, _points(Decimal(total)), actor)
    for n, decision in DECISIONS.items():
        if decision != "approved":
            decide(store, LIAOCHENG, lc_codes[n], decision, "评审组意见", "组长")
        elif n in (1, 4):  # a reviewer ticked 不符合: the panel overrules, as an exception
            review_all(store, LIAOCHENG, lc_codes[n])
            decide(
                store,
                LIAOCHENG,
                lc_codes[n],
                "approved",
                "评审组意见",
                "组长",
                override="专家组复核现场后认为该项实际符合",
            )
        else:
            approve(store, LIAOCHENG, lc_codes[n], "评审组意见", "组长")

    start_publicity(store, LIAOCHENG, date(2026, 9, 1), actor, assume_weekends=True)
    add_objection(
        store,
        LIAOCHENG,
        lc_codes[4],
        date(2026, 9, 3),
        "服务场所与申报不符",
        actor,
        outcome="经核实异议成立",
        upheld=True,
    )
    finalize(store, LIAOCHENG, date(2026, 10, 12), "局长")

    xian_codes = codes(store, XIAN)
    for code in xian_codes[:2]:
        approve(store, XIAN, code, "评审合格", "组长")
    decide(store, XIAN, xian_codes[2], "rejected", "不符合条件", "组长")
    start_publicity(store, XIAN, date(2026, 12, 1), actor, assume_weekends=True)
    finalize(store, XIAN, date(2027, 1, 10), "局长")

    rows = [r for r in register_rows(store, AS_OF) if r.round_name.startswith("2026年度聊城")]
    revoke(store, rows[0].number, date(2027, 5, 6), "服务质量检查不合格", "局长")
    for period in ("2026Q4", "2027Q1", "2027Q2"):
        mark_report(store, rows[1].number, period, date(2027, 1, 5), actor)
    mark_report(store, rows[2].number, "2026Q4", date(2026, 12, 20), actor)
