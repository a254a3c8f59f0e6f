"""西安 2018 (第十二、十三、十四条) through the rule engine: every threshold at, below and above.

The thresholds are written here from the measure's text, not read from the rulebook, so a wrong
number in ``xian-2018.yaml`` makes a test fail. Reading rules: docs/measures.md (以上, 不少于
include the number; 超过 excludes it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

import pytest

from sme_review_desktop.rules import uscc
from sme_review_desktop.rules.engine import (
    Applicant,
    Evaluation,
    Value,
    Verdict,
    evaluate,
)
from sme_review_desktop.rules.rulebook import (
    ConditionArticle,
    ConditionItem,
    Rulebook,
    get_rulebook,
)

from . import helpers

BOOK = get_rulebook("xian-2018")
rule_part = partial(helpers.rule_part, BOOK)
has_judgment = partial(helpers.has_judgment, BOOK)
part = helpers.part
REF = date(2025, 4, 30)

YANTA = uscc.build("91", "610113", "MA6U0001")  # 雁塔区企业
CITY = uscc.build("91", "610100", "MA6U0002")  # 西安市本级
ZHOUZHI = uscc.build("91", "610124", "MA6U0003")  # 周至县
TONGCHUAN = uscc.build("91", "610200", "MA6U0004")  # 铜川市: another city of 陕西
LIAOCHENG = uscc.build("91", "371500", "MA3C0001")
INSTITUTION = uscc.build("12", "610100", "49412345")  # 事业单位 in 西安

FUNCTIONS = ("func_info", "func_tech", "func_startup", "func_training", "func_finance")

BASE: dict[str, Value] = {
    "established_on": date(2019, 5, 10),
    "total_assets_wan": Decimal("300"),
    "smes_served": Decimal("90"),
    "smes_served_prev": Decimal("70"),
    "service_revenue_wan": Decimal("260"),
    "satisfaction_pct": Decimal("92"),
    "service_area_m2": Decimal("450"),
    "public_welfare_pct": Decimal("25"),
    "staff_total": Decimal("20"),
    "staff_qualified": Decimal("18"),
    "partner_institutions": Decimal("5"),
    "info_offline_smes": Decimal("80"),
    "info_activities": Decimal("6"),
    "tech_activities": Decimal("6"),
    "startup_activities": Decimal("6"),
    "training_person_times": Decimal("1500"),
    "training_qualified": True,
    "finance_activities": Decimal("8"),
    "finance_amount_yi": Decimal("2"),
    **dict.fromkeys(FUNCTIONS, True),
}


def applicant(code: str = YANTA, legal_form: str | None = "企业") -> Applicant:
    return Applicant(code, legal_form, uscc.implied_legal_form(code), None)


def run(
    changes: Mapping[str, Value] | None = None,
    who: Applicant | None = None,
    ref: date = REF,
    materials: tuple[int, ...] = (),
    book: Rulebook = BOOK,
) -> Evaluation:
    """Evaluate BASE with ``changes``; a change to None leaves the figure undeclared."""
    figures = {**BASE, **(changes or {})}
    figures = {k: v for k, v in figures.items() if v is not None}
    return evaluate(book, figures, who or applicant(), ref, materials)


def only(*functions: str) -> dict[str, Value]:
    return {f: f in functions for f in FUNCTIONS}


# ── every numeric threshold of 第十二条 and 第十三条, from the measure's text ─────────────────


@dataclass(frozen=True)
class Threshold:
    article: int
    item: int
    part: str
    field: str
    op: str
    value: str
    step: str
    unit: str
    words: str
    quote: str
    inner: str | None = None
    context: dict[str, Value] = dataclasses.field(default_factory=dict)


THRESHOLDS = [
    Threshold(12, 1, "assets", "total_assets_wan", ">=", "50", "0.01", "万元", "资产总额", "资产总额在50万元以上"),
    Threshold(12, 2, "volume", "smes_served", ">=", "50", "1", "家", "服务中小企业数", "年服务本市中小企业不少于50家",
              inner="smes", context={"service_revenue_wan": None, "smes_served_prev": Decimal("40")}),
    Threshold(12, 2, "volume", "service_revenue_wan", ">", "100", "0.01", "万元", "服务本市中小企业营业收入",
              "营业收入超过100万元", inner="revenue", context={"smes_served": None}),
    Threshold(12, 2, "satisfaction", "satisfaction_pct", ">=", "80", "0.01", "%", "用户满意度", "用户满意度在80%以上"),
    Threshold(12, 3, "area", "service_area_m2", ">=", "200", "0.01", "平方米", "服务场所面积", "服务面积200平方米以上"),
    Threshold(12, 4, "public_welfare", "public_welfare_pct", ">=", "20", "0.01", "%", "公益性或低收费服务",
              "不少于总服务量的20%"),
    Threshold(12, 5, "staff", "staff_total", ">=", "10", "1", "人", "从事中小企业服务人员数", "不少于10人",
              context={"staff_qualified": Decimal("9")}),
    Threshold(12, 6, "partners", "partner_institutions", ">=", "3", "1", "家", "集聚服务机构数", "集聚服务机构3家以上"),
    Threshold(13, 1, "offline_smes", "info_offline_smes", ">=", "50", "1", "家", "线下服务企业数",
              "线下年服务企业数量50家以上"),
    Threshold(13, 1, "activities", "info_activities", ">=", "3", "1", "次", "信息服务活动次数", "相关服务活动3次以上"),
    Threshold(13, 2, "activities", "tech_activities", ">=", "3", "1", "次", "技术服务活动次数", "服务活动3次以上"),
    Threshold(13, 3, "activities", "startup_activities", ">=", "3", "1", "次", "创业项目洽谈、推介活动次数", "推介活动3次以上"),
    Threshold(13, 4, "person_times", "training_person_times", ">=", "1000", "1", "人次", "培训人次", "年培训1000人次以上"),
    Threshold(13, 5, "finance", "finance_activities", ">=", "5", "1", "次", "融资对接等服务活动次数", "服务活动5次以上",
              inner="finance_activities", context={"finance_amount_yi": Decimal("1"), "guarantee_new_yi": None}),
    Threshold(13, 5, "finance", "finance_amount_yi", ">=", "1", "0.01", "亿元", "帮助中小企业融资总额", "融资总额1亿元以上",
              inner="finance_amount", context={"finance_activities": Decimal("5"), "guarantee_new_yi": None}),
    Threshold(13, 5, "finance", "guarantee_new_yi", ">=", "3", "0.01", "亿元", "年新增担保额", "年新增担保额3亿元以上",
              inner="guarantee", context={"finance_activities": None, "finance_amount_yi": None}),
]  # fmt: skip


def _tid(t: Threshold) -> str:
    return f"{t.article}-{t.item}-{t.inner or t.part}"


def _article_text(article: int, item: int) -> str:
    return next(i.text for i in BOOK.article(article).items if i.number == item)


def _fmt(v: Decimal) -> str:
    return format(v.normalize(), "f")


@pytest.mark.parametrize("t", THRESHOLDS, ids=_tid)
def test_rulebook_threshold_matches_the_measure(t: Threshold) -> None:
    rp = rule_part(t.article, t.item, t.part, t.inner)
    assert rp.check == "compare"
    assert (rp.field, rp.op, rp.value) == (t.field, t.op, Decimal(t.value))
    assert t.quote in rp.text
    assert t.quote in _article_text(t.article, t.item)


def test_every_numeric_check_in_the_rulebook_is_covered_here() -> None:
    found: set[tuple[int, int, str, str | None]] = set()
    for ci in BOOK.condition_items():
        for p in ci.parts:
            if p.check == "compare":
                found.add((ci.article, ci.item, p.id, None))
            for group in p.groups:
                for q in group:
                    found.add((ci.article, ci.item, p.id, q.id))
    assert found == {(t.article, t.item, t.part, t.inner) for t in THRESHOLDS}
    others = {
        (ci.article, ci.item, p.id, p.check)
        for ci in BOOK.condition_items()
        for p in ci.parts
        if p.check in ("ratio", "years_since", "growth", "flag", "region")
    }
    assert others == {
        (12, 0, "registered_here", "region"),
        (12, 1, "years", "years_since"),
        (12, 2, "growth", "growth"),
        (12, 5, "staff_ratio", "ratio"),
        (13, 4, "qualified", "flag"),
    }


@pytest.mark.parametrize("t", THRESHOLDS, ids=_tid)
@pytest.mark.parametrize("side", ["below", "at", "above"])
def test_threshold_boundary(t: Threshold, side: str) -> None:
    threshold, step = Decimal(t.value), Decimal(t.step)
    v = {"below": threshold - step, "at": threshold, "above": threshold + step}[side]
    ev = run({**t.context, t.field: v})
    res = part(ev, t.article, t.item, t.part)
    shown = f"{_fmt(v)}{t.unit}"
    met = side == "above" or (side == "at" and t.op == ">=")
    if met:
        assert res.verdict is Verdict.MET
        assert f"{shown}，{'不低于' if t.op == '>=' else '超过'}{t.value}{t.unit}" in res.reason
        assert ev.item(t.article, t.item).verdict is not Verdict.UNMET
        if not has_judgment(t.article, t.item) and not t.context:
            assert ev.item(t.article, t.item).verdict is Verdict.MET
    else:
        assert res.verdict is Verdict.UNMET
        assert f"{shown}，{'低于' if t.op == '>=' else '未超过'}{t.value}{t.unit}" in res.reason
        assert ev.item(t.article, t.item).verdict is Verdict.UNMET
        # 第十二条 is required in full; a 第十三条 function item alone does not sink it (rule 8)
        assert ev.overall is (Verdict.UNMET if t.article == 12 else Verdict.REVIEW)
    assert t.words in res.reason


@pytest.mark.parametrize(
    ("revenue", "verdict", "reason"),
    [
        ("99.99", Verdict.UNMET, "服务本市中小企业营业收入99.99万元，未超过100万元"),
        ("100", Verdict.UNMET, "服务本市中小企业营业收入100万元，未超过100万元"),
        ("100.01", Verdict.MET, "服务本市中小企业营业收入100.01万元，超过100万元"),
    ],
    ids=["99.99", "100", "100.01"],
)
def test_revenue_over_100_excludes_100(revenue: str, verdict: Verdict, reason: str) -> None:
    """超过100万元 excludes 100 (measures.md 1)."""
    res = part(run({"smes_served": None, "service_revenue_wan": Decimal(revenue)}), 12, 2, "volume")
    assert res.verdict is verdict
    assert res.reason == reason


@pytest.mark.parametrize("t", THRESHOLDS, ids=_tid)
def test_missing_figure_is_review_never_met(t: Threshold) -> None:
    ctx = dict(t.context)
    if t.inner in ("smes", "revenue"):  # the other route undeclared too
        ctx = {"smes_served": None, "service_revenue_wan": None}
    ev = run({**ctx, t.field: None})
    res = part(ev, t.article, t.item, t.part)
    assert res.verdict is Verdict.REVIEW
    assert "未填报" in res.reason
    assert ev.item(t.article, t.item).verdict is Verdict.REVIEW


def test_no_relaxation_in_xian() -> None:
    """西安 has no relaxation for 事业单位: 50万元 and 10人 hold for every applicant."""
    who = applicant(INSTITUTION, "事业单位")
    ev = run({"total_assets_wan": Decimal("49.99"), "staff_total": Decimal("9")}, who=who)
    assert part(ev, 12, 1, "assets").verdict is Verdict.UNMET
    assert part(ev, 12, 5, "staff").verdict is Verdict.UNMET
    assert all(p.relaxed is None for ci in BOOK.condition_items() for p in ci.parts)


# ── 第十二条 注册地在我市 (measures.md 10) ────────────────────────────────────────────────────


@pytest.mark.parametrize("code", [YANTA, CITY, ZHOUZHI, INSTITUTION])
def test_registered_in_xian(code: str) -> None:
    res = part(run(who=applicant(code, uscc.implied_legal_form(code))), 12, 0, "registered_here")
    assert res.verdict is Verdict.MET
    assert f"行政区划码{code[2:8]}，属本市" in res.reason


@pytest.mark.parametrize("code", [TONGCHUAN, LIAOCHENG])
def test_registered_elsewhere_is_review_never_met(code: str) -> None:
    ev = run(who=applicant(code))
    res = part(ev, 12, 0, "registered_here")
    assert res.verdict is Verdict.REVIEW
    assert f"行政区划码{code[2:8]}不在本市（6101），需核实注册地" in res.reason
    assert ev.item(12, 0).verdict is Verdict.REVIEW
    assert ev.overall is Verdict.REVIEW


def test_region_prefix_is_xian() -> None:
    assert rule_part(12, 0, "registered_here").prefixes == ("6101",)
    assert BOOK.article(12).paragraphs[0].startswith("注册地在我市")


# ── 第十二条（一）运营2年以上 ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("ref", "verdict", "years"),
    [
        (date(2025, 5, 9), Verdict.UNMET, 1),
        (date(2025, 5, 10), Verdict.MET, 2),
        (date(2025, 5, 11), Verdict.MET, 2),
    ],
)
def test_years_operating_around_the_anniversary(ref: date, verdict: Verdict, years: int) -> None:
    res = part(run({"established_on": date(2023, 5, 10)}, ref=ref), 12, 1, "years")
    assert res.verdict is verdict
    assert f"成立日期2023年5月10日，至基准日{ref.year}年{ref.month}月{ref.day}日运营{years}年" in (
        res.reason
    )
    assert res.reason.endswith("，不满2年" if verdict is Verdict.UNMET else "，满2年")


def test_years_operating_threshold_is_two_years() -> None:
    rp = rule_part(12, 1, "years")
    assert (rp.check, rp.field, rp.op, rp.value) == (
        "years_since",
        "established_on",
        ">=",
        Decimal(2),
    )
    assert "运营2年以上" in _article_text(12, 1)


def test_established_after_the_reference_date_is_unmet() -> None:
    assert part(run({"established_on": date(2025, 6, 1)}), 12, 1, "years").verdict is Verdict.UNMET


# ── 第十二条（二）either/or, growth ───────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("smes", "revenue", "verdict"),
    [
        ("50", None, Verdict.MET),
        ("49", None, Verdict.UNMET),
        ("49", "100.01", Verdict.MET),
        ("49", "100", Verdict.UNMET),
        (None, "100.01", Verdict.MET),
        (None, "100", Verdict.UNMET),
        ("50", "100", Verdict.MET),
        ("51", "99.99", Verdict.MET),
        (None, None, Verdict.REVIEW),
    ],
)
def test_volume_either_or(smes: str | None, revenue: str | None, verdict: Verdict) -> None:
    changes: dict[str, Value] = {
        "smes_served": None if smes is None else Decimal(smes),
        "service_revenue_wan": None if revenue is None else Decimal(revenue),
        "smes_served_prev": Decimal("10"),
    }
    res = part(run(changes), 12, 2, "volume")
    assert res.verdict is verdict
    if smes is None and revenue is None:
        assert "相关数据均未填报" in res.reason
    if smes == "49" and revenue == "100":
        assert "49家，低于50家；或" in res.reason and "100万元，未超过100万元" in res.reason


@pytest.mark.parametrize(
    ("prev", "verdict", "words"),
    [("89", Verdict.MET, "有所增长"), ("90", Verdict.UNMET, "持平"), ("91", Verdict.UNMET, "下降")],
)
def test_stable_growth(prev: str, verdict: Verdict, words: str) -> None:
    res = part(run({"smes_served_prev": Decimal(prev)}), 12, 2, "growth")
    assert res.verdict is verdict
    assert f"服务中小企业数90家，前一年度{prev}家" in res.reason
    assert words in res.reason


def test_growth_missing_year_is_review() -> None:
    assert part(run({"smes_served_prev": None}), 12, 2, "growth").verdict is Verdict.REVIEW


# ── 第十二条（五）比例占80%以上 ───────────────────────────────────────────────────────────────


def test_staff_ratio_threshold_is_80_per_cent() -> None:
    rp = rule_part(12, 5, "staff_ratio")
    assert (rp.check, rp.field, rp.of, rp.op, rp.value) == (
        "ratio",
        "staff_qualified",
        "staff_total",
        ">=",
        Decimal(80),
    )


@pytest.mark.parametrize(
    ("qualified", "total", "verdict"),
    [
        ("7", "10", Verdict.UNMET),  # 70%
        ("79", "100", Verdict.UNMET),
        ("8", "10", Verdict.MET),
        ("80", "100", Verdict.MET),
        ("81", "100", Verdict.MET),
        ("9", "11", Verdict.MET),  # 81.81%
        ("8", "11", Verdict.UNMET),  # 72.72%
        ("15999", "20000", Verdict.UNMET),  # 79.995%: never rounded up
    ],
)
def test_staff_ratio_boundary(qualified: str, total: str, verdict: Verdict) -> None:
    ev = run({"staff_total": Decimal(total), "staff_qualified": Decimal(qualified)})
    res = part(ev, 12, 5, "staff_ratio")
    assert res.verdict is verdict
    assert f"（{qualified}/{total}）" in res.reason
    assert res.reason.endswith("低于80%" if verdict is Verdict.UNMET else "不低于80%")


# ── 第十三条 至少一项功能要求 (measures.md 8) ──────────────────────────────────────────────────


def test_function_article_rule() -> None:
    art = next(a for a in BOOK.conditions if a.article == 13)
    assert art.rule == "at_least_one"
    assert [i.function for i in art.items] == list(FUNCTIONS)


def test_no_function_declared_is_unmet() -> None:
    ev = run(only())
    assert ev.item(13, 0).verdict is Verdict.UNMET
    assert ev.item(13, 0).reasons == ("未申报任何服务功能",)
    assert ev.overall is Verdict.UNMET
    assert all(not ev.item(13, n).applicable for n in range(1, 6))


def test_finance_met_satisfies_the_article() -> None:
    ev = run(only("func_finance"))
    assert ev.item(13, 5).verdict is Verdict.MET
    assert ev.item(13, 0).verdict is Verdict.MET
    assert "满足融资服务功能要求" in ev.item(13, 0).reasons[0]


def test_a_failing_declared_function_does_not_sink_the_application() -> None:
    ev = run({"info_activities": Decimal("2")})
    info = ev.item(13, 1)
    assert info.verdict is Verdict.UNMET and info.applicable and not info.required
    assert ev.item(13, 0).verdict is Verdict.MET  # 融资服务 still meets its item
    assert ev.overall is Verdict.REVIEW


def test_every_declared_function_failing_is_unmet() -> None:
    ev = run(
        {
            **only("func_info", "func_tech"),
            "info_activities": Decimal("2"),
            "tech_activities": Decimal("2"),
        }
    )
    assert ev.item(13, 0).verdict is Verdict.UNMET
    assert "申报的功能（信息服务、技术服务）均未达到要求" in ev.item(13, 0).reasons[0]
    assert ev.overall is Verdict.UNMET


def test_functions_with_open_judgments_are_review() -> None:
    ev = run({**only("func_info", "func_tech"), "tech_activities": Decimal("2")})
    assert ev.item(13, 1).verdict is Verdict.REVIEW  # figures pass; judgments open
    assert ev.item(13, 2).verdict is Verdict.UNMET
    assert ev.item(13, 0).verdict is Verdict.REVIEW
    assert "尚无确定满足要求的一项" in ev.item(13, 0).reasons[0]


@pytest.mark.parametrize(
    ("flag", "verdict", "reason"),
    [
        (True, Verdict.MET, "具有培训资质或已在主管部门备案：是"),
        (False, Verdict.UNMET, "具有培训资质或已在主管部门备案：否"),
        (None, Verdict.REVIEW, "未填报具有培训资质或已在主管部门备案，需核实"),
    ],
)
def test_training_qualification_flag(flag: bool | None, verdict: Verdict, reason: str) -> None:
    ev = run({"training_qualified": flag})
    res = part(ev, 13, 4, "qualified")
    assert (res.verdict, res.reason) == (verdict, reason)
    assert ev.item(13, 4).verdict is (Verdict.UNMET if flag is False else Verdict.REVIEW)


@pytest.mark.parametrize(
    ("activities", "amount", "guarantee", "verdict"),
    [
        ("5", "1", None, Verdict.MET),
        ("4", "1", None, Verdict.UNMET),
        ("5", "0.99", None, Verdict.UNMET),
        (None, None, "3", Verdict.MET),
        (None, None, "2.99", Verdict.UNMET),
        ("4", "0.99", "3", Verdict.MET),
        ("4", "1", "2.99", Verdict.UNMET),
        (None, "1", None, Verdict.REVIEW),
        (None, None, None, Verdict.REVIEW),
    ],
)
def test_finance_either_or(
    activities: str | None, amount: str | None, guarantee: str | None, verdict: Verdict
) -> None:
    def dec(s: str | None) -> Decimal | None:
        return None if s is None else Decimal(s)

    ev = run(
        {
            **only("func_finance"),
            "finance_activities": dec(activities),
            "finance_amount_yi": dec(amount),
            "guarantee_new_yi": dec(guarantee),
        }
    )
    assert part(ev, 13, 5, "finance").verdict is verdict
    assert ev.item(13, 5).verdict is verdict
    assert ev.item(13, 0).verdict is verdict  # the only declared function decides the article


# ── judgments, overall, materials ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("article", "item", "part_id", "words"),
    [
        (12, 0, "lawfully_established", "依法成立的各类服务机构"),
        (12, 1, "finance_sound", "财务收支状况良好"),
        (12, 1, "lawful", "经营规范"),
        (12, 2, "reputation", "声誉和品牌影响力"),
        (12, 3, "facilities", "具备必要的服务设施"),
        (12, 4, "sme_discount", "优惠规定"),
        (12, 5, "leader_integrity", "诚信、守法"),
        (12, 6, "cooperation", "稳定、广泛的合作关系"),
        (13, 4, "online_offline", "线上和线下培训能力"),
        (14, 0, "exemplary", "示范性"),
    ],
)
def test_judgment_clause_is_left_to_the_reviewer(
    article: int, item: int, part_id: str, words: str
) -> None:
    res = part(run(), article, item, part_id)
    assert res.judge and res.verdict is Verdict.REVIEW
    assert res.reason.startswith("需评审人判断：") and words in res.reason


def test_strong_applicant_is_review_until_the_reviewer_decides() -> None:
    ev = run()
    for res in ev.items:
        for p in res.parts:
            assert p.verdict is (Verdict.REVIEW if p.judge else Verdict.MET), (res.label, p.id)
    for n in range(0, 7):
        assert ev.item(12, n).verdict is Verdict.REVIEW
    assert ev.item(13, 0).verdict is Verdict.MET
    assert ev.item(14, 0).verdict is Verdict.REVIEW
    assert ev.overall is Verdict.REVIEW


def _checks_only_book() -> Rulebook:
    """第十二条 cut to its asset check, with 第十三条 as written: no judgment outside 13's items."""
    art12 = ConditionArticle(
        12, "all", (ConditionItem(12, 1, "资产", (rule_part(12, 1, "assets"),)),)
    )
    art13 = next(a for a in BOOK.conditions if a.article == 13)
    return dataclasses.replace(BOOK, conditions=(art12, art13))


@pytest.mark.parametrize(
    ("changes", "overall"),
    [
        (only("func_finance"), Verdict.MET),
        ({**only("func_finance", "func_info"), "info_activities": Decimal("2")}, Verdict.MET),
        (only("func_info"), Verdict.REVIEW),  # the function item is met only after the ticks
        ({**only("func_finance"), "total_assets_wan": None}, Verdict.REVIEW),
        ({**only("func_finance"), "total_assets_wan": Decimal("49.99")}, Verdict.UNMET),
        ({**only("func_finance"), "finance_amount_yi": Decimal("0.99")}, Verdict.UNMET),
    ],
)
def test_overall_suggestion(changes: dict[str, Value], overall: Verdict) -> None:
    assert run(changes, book=_checks_only_book()).overall is overall


def test_items_follow_the_measures_numbering() -> None:
    labels = [r.label for r in run().items]
    assert labels == [
        "第十二条",
        "第十二条（一）",
        "第十二条（二）",
        "第十二条（三）",
        "第十二条（四）",
        "第十二条（五）",
        "第十二条（六）",
        "第十三条",
        "第十三条（一）",
        "第十三条（二）",
        "第十三条（三）",
        "第十三条（四）",
        "第十三条（五）",
        "第十四条",
    ]


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        ((1, 2, 3, 4, 5, 6, 7), ()),
        ((), (1, 2, 3, 4, 5, 6, 7)),
        ((1, 2, 4, 5, 6, 7), (3,)),
        ((7, 8, 14), (1, 2, 3, 4, 5, 6)),  # 聊城's numbers beyond 7 mean nothing here
    ],
)
def test_missing_materials(present: tuple[int, ...], missing: tuple[int, ...]) -> None:
    assert run(materials=present).missing_materials == missing
