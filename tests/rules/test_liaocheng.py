"""聊城 2021 (第七、八、九条) through the rule engine: every threshold at, below and above its boundary.

The thresholds are written here from the measure's text, not read from the rulebook, so a wrong
number in ``liaocheng-2021.yaml`` makes a test fail. Reading rules: docs/measures.md (以上, 不低于,
不少于 include the number).
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

BOOK = get_rulebook("liaocheng-2021")
rule_part = partial(helpers.rule_part, BOOK)
has_judgment = partial(helpers.has_judgment, BOOK)
part = helpers.part
REF = date(2025, 3, 31)  # the round's reference date (申报截止日)

ENTERPRISE = uscc.build("91", "371500", "MA3C0001")  # 企业
INSTITUTION = uscc.build("12", "371502", "49412345")  # 事业单位
ASSOCIATION = uscc.build("51", "371500", "50000123")  # 社会团体 → 社团法人
PRIVATE_NON_ENTERPRISE = uscc.build("52", "371500", "MJ0000XY")  # 民办非企业单位

ALL_FUNCTIONS = (
    "func_info",
    "func_tech",
    "func_startup",
    "func_training",
    "func_finance",
    "func_consult",
    "func_legal",
)

# A strong applicant: every checkable figure comfortably passes, every function declared.
BASE: dict[str, Value] = {
    "established_on": date(2018, 6, 1),
    "total_assets_wan": Decimal("500"),
    "smes_served": Decimal("120"),
    "smes_served_prev": Decimal("100"),
    "key_smes_served": Decimal("12"),
    "satisfaction_pct": Decimal("95"),
    "partner_institutions": Decimal("6"),
    "public_welfare_pct": Decimal("30"),
    "staff_total": Decimal("30"),
    "staff_qualified": Decimal("27"),
    "info_offline_smes": Decimal("100"),
    "info_activities": Decimal("12"),
    "tech_activities": Decimal("12"),
    "startup_activities": Decimal("12"),
    "training_person_times": Decimal("1500"),
    "finance_activities": Decimal("8"),
    "finance_amount_yi": Decimal("5"),
    "consult_activities": Decimal("6"),
    "legal_activities": Decimal("6"),
    **dict.fromkeys(ALL_FUNCTIONS, True),
}


def applicant(
    code: str = ENTERPRISE,
    legal_form: str | None = "企业",
    platform_type: str | None = "综合类",
) -> Applicant:
    return Applicant(
        uscc=code,
        legal_form=legal_form,
        implied_legal_form=uscc.implied_legal_form(code),
        platform_type=platform_type,
    )


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


# ── every numeric threshold of 第七条 and 第八条, from the measure's text ─────────────────────


@dataclass(frozen=True)
class Threshold:
    article: int
    item: int
    part: str  # the part whose verdict the engine reports
    field: str
    op: str
    value: str  # as the measure writes it
    step: str  # the smallest meaningful step in the field's unit
    unit: str
    words: str  # how the reason names the figure
    quote: str  # the measure's words
    inner: str | None = None  # a compare inside an any_of part
    context: dict[str, Value] = dataclasses.field(default_factory=dict)


THRESHOLDS = [
    Threshold(7, 1, "assets", "total_assets_wan", ">=", "200", "0.01", "万元", "资产总额", "资产总额不低于200万元"),
    Threshold(7, 3, "smes", "smes_served", ">=", "80", "1", "家", "服务中小企业数", "年服务中小企业80家以上",
              context={"smes_served_prev": Decimal("70")}),
    Threshold(7, 3, "key_smes", "key_smes_served", ">=", "5", "1", "家", "专精特新", "不少于5家"),
    Threshold(7, 3, "satisfaction", "satisfaction_pct", ">=", "85", "0.01", "%", "用户满意度", "用户满意度在85%以上"),
    Threshold(7, 4, "partners", "partner_institutions", ">=", "3", "1", "家", "集聚服务机构数", "集聚服务机构3家以上"),
    Threshold(7, 6, "public_welfare", "public_welfare_pct", ">=", "15", "0.01", "%", "公益性或低收费服务", "15%以上"),
    Threshold(7, 7, "staff", "staff_total", ">=", "15", "1", "人", "从事中小企业服务人员数", "不少于15人",
              context={"staff_qualified": Decimal("14")}),
    Threshold(8, 1, "offline_smes", "info_offline_smes", ">=", "80", "1", "家", "线下服务企业数", "线下年服务企业80家以上"),
    Threshold(8, 1, "activities", "info_activities", ">=", "5", "1", "次", "信息服务活动次数", "相关服务活动5次以上"),
    Threshold(8, 2, "activities", "tech_activities", ">=", "5", "1", "次", "技术服务活动次数", "服务活动5次以上"),
    Threshold(8, 3, "activities", "startup_activities", ">=", "5", "1", "次", "创业项目洽谈、推介活动次数", "推介活动5次以上"),
    Threshold(8, 4, "person_times", "training_person_times", ">=", "800", "1", "人次", "培训人次", "年培训800人次以上"),
    Threshold(8, 5, "finance", "finance_activities", ">=", "5", "1", "次", "融资对接等服务活动次数", "服务活动5次以上",
              inner="finance_activities", context={"finance_amount_yi": Decimal("3"), "guarantee_new_yi": None}),
    Threshold(8, 5, "finance", "finance_amount_yi", ">=", "3", "0.01", "亿元", "帮助中小企业融资总额", "融资总额3亿元以上",
              inner="finance_amount", context={"finance_activities": Decimal("5"), "guarantee_new_yi": None}),
    Threshold(8, 5, "finance", "guarantee_new_yi", ">=", "10", "0.01", "亿元", "年新增担保额", "年新增担保额10亿元以上",
              inner="guarantee", context={"finance_activities": None, "finance_amount_yi": None}),
    Threshold(8, 6, "activities", "consult_activities", ">=", "4", "1", "次", "公益性诊断咨询活动次数", "咨询活动4次以上"),
    Threshold(8, 7, "activities", "legal_activities", ">=", "4", "1", "次", "法律体检或法律宣讲活动次数", "宣讲活动4次以上"),
]  # fmt: skip


def _tid(t: Threshold) -> str:
    return f"{t.article}-{t.item}-{t.inner or t.part}"


def _article_text(article: int, item: int) -> str:
    return next(i.text for i in BOOK.article(article).items if i.number == item)


@pytest.mark.parametrize("t", THRESHOLDS, ids=_tid)
def test_rulebook_threshold_matches_the_measure(t: Threshold) -> None:
    rp = rule_part(t.article, t.item, t.part, t.inner)
    assert rp.check == "compare"
    assert (rp.field, rp.op, rp.value) == (t.field, t.op, Decimal(t.value))
    assert t.quote in rp.text
    assert t.quote in _article_text(t.article, t.item)


def test_every_numeric_check_in_the_rulebook_is_covered_here() -> None:
    """A threshold added to the rulebook without a boundary test here fails this test."""
    found: set[tuple[int, int, str, str | None]] = set()
    for ci in BOOK.condition_items():
        for p in ci.parts:
            if p.check == "compare":
                found.add((ci.article, ci.item, p.id, None))
            for group in p.groups:
                for q in group:
                    found.add((ci.article, ci.item, p.id, q.id))
    covered = {(t.article, t.item, t.part, t.inner) for t in THRESHOLDS}
    assert found == covered
    kinds = {
        (ci.article, ci.item, p.id, p.check) for ci in BOOK.condition_items() for p in ci.parts
    }
    assert {k for k in kinds if k[3] in ("ratio", "years_since", "growth", "flag", "region")} == {
        (7, 1, "years", "years_since"),
        (7, 3, "growth", "growth"),
        (7, 7, "staff_ratio", "ratio"),
    }


def _fmt(v: Decimal) -> str:
    return format(v.normalize(), "f")


@pytest.mark.parametrize("t", THRESHOLDS, ids=_tid)
@pytest.mark.parametrize("side", ["below", "at", "above"])
def test_threshold_boundary(t: Threshold, side: str) -> None:
    threshold, step = Decimal(t.value), Decimal(t.step)
    v = {"below": threshold - step, "at": threshold, "above": threshold + step}[side]
    ev = run({**t.context, t.field: v})
    res = part(ev, t.article, t.item, t.part)
    shown = f"{_fmt(v)}{t.unit}"
    if side == "below":
        assert res.verdict is Verdict.UNMET
        assert f"{shown}，低于{t.value}{t.unit}" in res.reason
        assert ev.item(t.article, t.item).verdict is Verdict.UNMET
        assert ev.overall is Verdict.UNMET
    else:
        assert res.verdict is Verdict.MET
        assert f"{shown}，不低于{t.value}{t.unit}" in res.reason
        expected = Verdict.REVIEW if has_judgment(t.article, t.item) else Verdict.MET
        assert ev.item(t.article, t.item).verdict is expected
        assert ev.overall is Verdict.REVIEW  # judgment clauses remain for the reviewer
    assert t.words in res.reason


def test_assets_reason_reads_as_a_sentence() -> None:
    res = part(run({"total_assets_wan": Decimal("199.99")}), 7, 1, "assets")
    assert res.reason == "资产总额199.99万元，低于200万元"
    res = part(run({"total_assets_wan": Decimal("200.00")}), 7, 1, "assets")
    assert res.reason == "资产总额200万元，不低于200万元"


@pytest.mark.parametrize("t", THRESHOLDS, ids=_tid)
def test_missing_figure_is_review_never_met(t: Threshold) -> None:
    ev = run({**t.context, t.field: None})
    res = part(ev, t.article, t.item, t.part)
    assert res.verdict is Verdict.REVIEW
    assert "未填报" in res.reason
    assert ev.item(t.article, t.item).verdict is Verdict.REVIEW


def test_zero_is_declared_not_missing() -> None:
    res = part(run({"partner_institutions": Decimal("0")}), 7, 4, "partners")
    assert res.verdict is Verdict.UNMET
    assert "0家，低于3家" in res.reason


# ── 第七条（一）运营2年以上: whole years to the round's reference date ─────────────────────────


@pytest.mark.parametrize(
    ("ref", "verdict", "years"),
    [
        (date(2024, 5, 31), Verdict.UNMET, 1),  # the day before the second anniversary
        (date(2024, 6, 1), Verdict.MET, 2),  # exactly two years is enough
        (date(2024, 6, 2), Verdict.MET, 2),
    ],
)
def test_years_operating_around_the_anniversary(ref: date, verdict: Verdict, years: int) -> None:
    ev = run({"established_on": date(2022, 6, 1)}, ref=ref)
    res = part(ev, 7, 1, "years")
    assert res.verdict is verdict
    assert "成立日期2022年6月1日" in res.reason
    assert f"至基准日{ref.year}年{ref.month}月{ref.day}日运营{years}年" in res.reason
    assert res.reason.endswith("不满2年" if verdict is Verdict.UNMET else "，满2年")


def test_years_operating_threshold_is_two_years() -> None:
    rp = rule_part(7, 1, "years")
    assert (rp.check, rp.field, rp.op, rp.value) == (
        "years_since",
        "established_on",
        ">=",
        Decimal(2),
    )
    assert "运营2年以上" in _article_text(7, 1)


@pytest.mark.parametrize(
    ("ref", "verdict"),
    [
        (date(2022, 2, 27), Verdict.UNMET),
        (date(2022, 2, 28), Verdict.MET),
        (date(2022, 3, 1), Verdict.MET),
    ],
)
def test_years_operating_from_29_february(ref: date, verdict: Verdict) -> None:
    """No 29 February in 2022: the period ends on the month's last day (民法典 第二百零二条)."""
    res = part(run({"established_on": date(2020, 2, 29)}, ref=ref), 7, 1, "years")
    assert res.verdict is verdict


def test_years_counted_to_the_reference_date_not_today() -> None:
    est = {"established_on": date(2023, 9, 1)}
    assert part(run(est, ref=date(2025, 8, 31)), 7, 1, "years").verdict is Verdict.UNMET
    assert part(run(est, ref=date(2025, 9, 1)), 7, 1, "years").verdict is Verdict.MET


def test_missing_establishment_date_is_review() -> None:
    ev = run({"established_on": None})
    res = part(ev, 7, 1, "years")
    assert res.verdict is Verdict.REVIEW
    assert res.reason == "未填报成立日期，需核实"


# ── 第七条（三）近两年服务企业数量稳步增长 ─────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("prev", "verdict", "words"),
    [
        ("119", Verdict.MET, "有所增长"),
        ("120", Verdict.UNMET, "持平，未增长"),
        ("121", Verdict.UNMET, "下降，未增长"),
    ],
)
def test_steady_growth(prev: str, verdict: Verdict, words: str) -> None:
    res = part(
        run({"smes_served": Decimal("120"), "smes_served_prev": Decimal(prev)}), 7, 3, "growth"
    )
    assert res.verdict is verdict
    assert "服务中小企业数120家" in res.reason
    assert f"前一年度{prev}家" in res.reason
    assert words in res.reason


def test_growth_with_a_missing_year_is_review() -> None:
    ev = run({"smes_served_prev": None})
    res = part(ev, 7, 3, "growth")
    assert res.verdict is Verdict.REVIEW
    assert "未填报前一年度服务中小企业数" in res.reason
    assert ev.item(7, 3).verdict is Verdict.REVIEW


# ── 第七条（七）大专及以上学历和中级及以上技术职称专业人员的比例占80%以上 ───────────────────


def test_staff_ratio_threshold_is_80_per_cent() -> None:
    rp = rule_part(7, 7, "staff_ratio")
    assert (rp.check, rp.field, rp.of, rp.op, rp.value) == (
        "ratio",
        "staff_qualified",
        "staff_total",
        ">=",
        Decimal(80),
    )
    assert "比例占80%以上" in _article_text(7, 7)


@pytest.mark.parametrize(
    ("qualified", "total", "verdict", "shown"),
    [
        ("79", "100", Verdict.UNMET, "79%（79/100），低于80%"),
        ("80", "100", Verdict.MET, "80%（80/100），不低于80%"),
        ("81", "100", Verdict.MET, "81%（81/100），不低于80%"),
        ("15", "19", Verdict.UNMET, "（15/19），低于80%"),  # 78.9%
        ("16", "20", Verdict.MET, "80%（16/20），不低于80%"),
        ("17", "21", Verdict.MET, "（17/21），不低于80%"),  # 80.95%
    ],
)
def test_staff_ratio_boundary(qualified: str, total: str, verdict: Verdict, shown: str) -> None:
    ev = run({"staff_total": Decimal(total), "staff_qualified": Decimal(qualified)})
    res = part(ev, 7, 7, "staff_ratio")
    assert res.verdict is verdict
    assert "占比" in res.reason and shown in res.reason


def test_staff_ratio_just_below_80_is_not_rounded_up() -> None:
    """79.995% is below 80%: rounding the share for display must not decide the verdict."""
    ev = run({"staff_total": Decimal("20000"), "staff_qualified": Decimal("15999")})
    res = part(ev, 7, 7, "staff_ratio")
    assert res.verdict is Verdict.UNMET
    assert "低于80%" in res.reason
    assert "占比80%" not in res.reason  # the shown share must not contradict the verdict


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"staff_qualified": None}, "未填报其中大专及以上学历和中级及以上职称人数"),
        ({"staff_total": None}, "未填报从事中小企业服务人员数"),
        ({"staff_total": Decimal("0"), "staff_qualified": Decimal("0")}, "为0，无法计算比例"),
    ],
)
def test_staff_ratio_without_figures_is_review(changes: dict[str, Value], words: str) -> None:
    res = part(run(changes), 7, 7, "staff_ratio")
    assert res.verdict is Verdict.REVIEW
    assert words in res.reason


# ── 第七条 last paragraph: 事业单位、社团法人 may have 100万元 and 10人 ──────────────────────────


def test_relaxation_values_match_the_measure() -> None:
    assets, staff = rule_part(7, 1, "assets"), rule_part(7, 7, "staff")
    assert assets.relaxed is not None and staff.relaxed is not None
    assert set(assets.relaxed.legal_forms) == {"事业单位", "社团法人"}
    assert set(staff.relaxed.legal_forms) == {"事业单位", "社团法人"}
    assert assets.relaxed.value == 100
    assert staff.relaxed.value == 10
    closing = BOOK.article(7).closing[0]
    assert "资产总额可放宽至不低于100万元" in closing
    assert "从业人数可放宽至不少于10人" in closing


RELAXED = [(INSTITUTION, "事业单位"), (ASSOCIATION, "社团法人")]


@pytest.mark.parametrize(("code", "form"), RELAXED)
@pytest.mark.parametrize(
    ("assets", "verdict"),
    [("99.99", Verdict.UNMET), ("100", Verdict.MET), ("100.01", Verdict.MET)],
)
def test_relaxed_asset_floor(code: str, form: str, assets: str, verdict: Verdict) -> None:
    ev = run({"total_assets_wan": Decimal(assets)}, who=applicant(code, form))
    res = part(ev, 7, 1, "assets")
    assert res.verdict is verdict
    low = "低于" if verdict is Verdict.UNMET else "不低于"
    assert f"资产总额{assets}万元，{low}100万元" in res.reason
    assert f"{form}适用放宽标准" in res.reason


@pytest.mark.parametrize(("code", "form"), RELAXED)
@pytest.mark.parametrize(
    ("staff", "verdict"), [("9", Verdict.UNMET), ("10", Verdict.MET), ("11", Verdict.MET)]
)
def test_relaxed_staff_floor(code: str, form: str, staff: str, verdict: Verdict) -> None:
    ev = run(
        {"staff_total": Decimal(staff), "staff_qualified": Decimal(staff)},
        who=applicant(code, form),
    )
    res = part(ev, 7, 7, "staff")
    assert res.verdict is verdict
    low = "低于" if verdict is Verdict.UNMET else "不低于"
    assert f"{staff}人，{low}10人" in res.reason
    assert f"{form}适用放宽标准" in res.reason


@pytest.mark.parametrize(("code", "form"), RELAXED)
def test_relaxation_adds_the_merit_judgment(code: str, form: str) -> None:
    """The relaxation also asks 服务业绩突出、示范带动作用明显, which the reviewer judges."""
    ev = run({"total_assets_wan": Decimal("150")}, who=applicant(code, form))
    merit = part(ev, 7, 1, "relaxation_merit")
    assert merit.judge and merit.verdict is Verdict.REVIEW
    assert "示范带动作用明显" in merit.reason
    assert ev.item(7, 1).verdict is Verdict.REVIEW


def test_enterprise_gets_no_relaxation_and_no_merit_clause() -> None:
    ev = run({"total_assets_wan": Decimal("150"), "staff_total": Decimal("12")})
    assert part(ev, 7, 1, "assets").verdict is Verdict.UNMET
    assert "放宽" not in part(ev, 7, 1, "assets").reason
    assert part(ev, 7, 7, "staff").verdict is Verdict.UNMET
    assert "relaxation_merit" not in {p.id for p in ev.item(7, 1).parts}


def test_private_non_enterprise_unit_is_not_relaxed() -> None:
    who = applicant(PRIVATE_NON_ENTERPRISE, "民办非企业单位")
    ev = run({"total_assets_wan": Decimal("150"), "staff_total": Decimal("12")}, who=who)
    assert part(ev, 7, 1, "assets").verdict is Verdict.UNMET
    assert part(ev, 7, 7, "staff").verdict is Verdict.UNMET


@pytest.mark.parametrize(
    ("code", "declared"),
    [(ENTERPRISE, "事业单位"), (INSTITUTION, "企业")],
)
def test_contradicting_legal_form_between_floors_is_review(code: str, declared: str) -> None:
    """measures.md 12: the readings disagree, so the item is 待核 naming both, never met."""
    ev = run({"total_assets_wan": Decimal("150")}, who=applicant(code, declared))
    res = part(ev, 7, 1, "assets")
    implied = uscc.implied_legal_form(code)
    assert res.verdict is Verdict.REVIEW
    assert f"申报单位性质为{declared}" in res.reason
    assert f"统一社会信用代码对应{implied}" in res.reason
    assert any(declared in w and code[:2] in w for w in ev.warnings)


@pytest.mark.parametrize(("assets", "verdict"), [("250", Verdict.MET), ("99.99", Verdict.UNMET)])
def test_contradicting_legal_form_where_readings_agree(assets: str, verdict: Verdict) -> None:
    ev = run({"total_assets_wan": Decimal(assets)}, who=applicant(ENTERPRISE, "事业单位"))
    assert part(ev, 7, 1, "assets").verdict is verdict
    assert ev.warnings  # the contradiction is still shown on the dossier


def test_undeclared_legal_form_uses_the_code() -> None:
    ev = run({"total_assets_wan": Decimal("150")}, who=applicant(INSTITUTION, None))
    assert part(ev, 7, 1, "assets").verdict is Verdict.MET
    assert not ev.warnings


def test_no_warning_when_legal_form_agrees_with_code() -> None:
    assert run(who=applicant(INSTITUTION, "事业单位")).warnings == ()


# ── judgment clauses ──────────────────────────────────────────────────────────────────────


JUDGMENTS = [
    (7, 1, "finance_sound", "财务收支状况良好"),
    (7, 1, "lawful", "经营合法规范"),
    (7, 1, "legal_person", "具有独立法人资格及从事相关服务的资质"),
    (7, 3, "reputation", "声誉和品牌影响力"),
    (7, 4, "premises", "有固定的经营服务场所"),
    (7, 6, "management", "有健全的管理制度"),
    (7, 7, "leader_integrity", "诚信、守法"),
    (8, 1, "info_system", "开放的信息服务系统"),
    (8, 4, "capacity", "深度培训能力"),
    (9, 0, "exemplary", "示范性"),
]


@pytest.mark.parametrize(("article", "item", "part_id", "words"), JUDGMENTS)
def test_judgment_clause_is_left_to_the_reviewer(
    article: int, item: int, part_id: str, words: str
) -> None:
    res = part(run(), article, item, part_id)
    assert res.judge
    assert res.verdict is Verdict.REVIEW
    assert res.reason.startswith("需评审人判断：")
    assert words in res.reason


def test_every_item_with_a_judgment_stays_review_when_all_figures_pass() -> None:
    ev = run()
    for res in ev.items:
        if res.applicable and res.parts and any(p.judge for p in res.parts):
            assert res.verdict is Verdict.REVIEW, res.label
    assert ev.item(9, 0).verdict is Verdict.REVIEW
    assert ev.overall is Verdict.REVIEW


def test_all_checks_pass_in_the_strong_applicant() -> None:
    ev = run()
    for res in ev.items:
        for p in res.parts:
            assert p.verdict is (Verdict.REVIEW if p.judge else Verdict.MET), (res.label, p.id)


# ── 第八条: declared functions (measures.md 7) ──────────────────────────────────────────────


def only(*functions: str) -> dict[str, Value]:
    return {f: f in functions for f in ALL_FUNCTIONS}


@pytest.mark.parametrize(
    ("functions", "ptype", "verdict", "words"),
    [
        ((), "专业类", Verdict.UNMET, "申报服务功能0项，应不少于1项"),
        ((), None, Verdict.UNMET, "申报服务功能0项，应不少于1项"),
        (
            ("func_tech",),
            "专业类",
            Verdict.MET,
            "申报服务功能1项（技术服务），专业类平台应不少于1项",
        ),
        (("func_tech",), "综合类", Verdict.UNMET, "综合类平台应不少于2项"),
        (("func_tech",), None, Verdict.REVIEW, "未填报平台类别"),
        (("func_tech", "func_info"), "综合类", Verdict.MET, "综合类平台应不少于2项"),
        (("func_tech", "func_info"), None, Verdict.MET, "申报服务功能2项"),
        (("func_tech", "func_info", "func_legal"), "专业类", Verdict.MET, "申报服务功能3项"),
    ],
)
def test_number_of_declared_functions(
    functions: tuple[str, ...], ptype: str | None, verdict: Verdict, words: str
) -> None:
    ev = run(only(*functions), who=applicant(platform_type=ptype))
    item0 = ev.item(8, 0)
    assert item0.verdict is verdict
    assert words in item0.reasons[0]
    if verdict is Verdict.UNMET:
        assert ev.overall is Verdict.UNMET


def test_function_count_rule_matches_the_measure() -> None:
    art = next(a for a in BOOK.conditions if a.article == 8)
    assert art.rule == "each_declared"
    assert art.min_declared == 1
    assert art.min_declared_by_type == {"综合类": 2}


def test_undeclared_function_is_not_applicable_and_ignored() -> None:
    ev = run(
        {**only("func_tech"), "info_activities": Decimal("0")},
        who=applicant(platform_type="专业类"),
    )
    info = ev.item(8, 1)
    assert not info.applicable
    assert info.reasons == ("未申报信息服务功能，不适用",)
    assert ev.overall is Verdict.REVIEW


def test_every_declared_function_must_meet_its_item() -> None:
    """A 专业类 platform declaring one function that fails its item is unmet (measures.md 7)."""
    ev = run(
        {**only("func_tech"), "tech_activities": Decimal("4")},
        who=applicant(platform_type="专业类"),
    )
    assert ev.item(8, 0).verdict is Verdict.MET
    assert ev.item(8, 2).verdict is Verdict.UNMET
    assert ev.item(8, 2).required
    assert ev.overall is Verdict.UNMET


def test_one_failing_function_among_many_sinks_the_application() -> None:
    ev = run({"legal_activities": Decimal("3")})
    assert ev.item(8, 7).verdict is Verdict.UNMET
    assert ev.overall is Verdict.UNMET


def test_declared_function_without_its_figure_is_review() -> None:
    ev = run({"training_person_times": None})
    assert ev.item(8, 4).verdict is Verdict.REVIEW
    assert "未填报培训人次" in part(ev, 8, 4, "person_times").reason


# ── 第八条（五）融资服务: either/or (measures.md 9) ──────────────────────────────────────────


@pytest.mark.parametrize(
    ("activities", "amount", "guarantee", "verdict"),
    [
        ("5", "3", None, Verdict.MET),
        ("4", "3", None, Verdict.UNMET),
        ("5", "2.99", None, Verdict.UNMET),
        (None, None, "10", Verdict.MET),
        (None, None, "9.99", Verdict.UNMET),
        ("4", "2.99", "10", Verdict.MET),  # the guarantee route alone suffices
        ("5", "3", "9.99", Verdict.MET),  # the service route alone suffices
        ("4", "3", "9.99", Verdict.UNMET),  # both routes fail
        ("5", None, None, Verdict.REVIEW),  # a route half declared
        ("4", None, None, Verdict.UNMET),  # a route with a failing figure
        ("5", None, "9.99", Verdict.REVIEW),
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
            "finance_activities": dec(activities),
            "finance_amount_yi": dec(amount),
            "guarantee_new_yi": dec(guarantee),
        }
    )
    res = part(ev, 8, 5, "finance")
    assert res.verdict is verdict
    assert ev.item(8, 5).verdict is verdict  # no judgment clause in this item
    if activities is None and amount is None and guarantee is None:
        assert "相关数据均未填报" in res.reason
    if verdict is Verdict.UNMET and guarantee is not None and activities is not None:
        assert "；或" in res.reason  # both routes are named


# ── overall suggestion and materials ──────────────────────────────────────────────────────


def _checks_only_book() -> Rulebook:
    """第七条（一）'s asset check and （三）'s satisfaction check alone: no judgment clauses."""
    items = (
        ConditionItem(7, 1, "资产", (rule_part(7, 1, "assets"),)),
        ConditionItem(7, 3, "满意度", (rule_part(7, 3, "satisfaction"),)),
    )
    return dataclasses.replace(BOOK, conditions=(ConditionArticle(7, "all", items),))


@pytest.mark.parametrize(
    ("changes", "overall"),
    [
        ({}, Verdict.MET),
        ({"satisfaction_pct": None}, Verdict.REVIEW),
        ({"satisfaction_pct": Decimal("84.99")}, Verdict.UNMET),
        ({"satisfaction_pct": None, "total_assets_wan": Decimal("199.99")}, Verdict.UNMET),
    ],
)
def test_overall_suggestion(changes: dict[str, Value], overall: Verdict) -> None:
    ev = run(changes, book=_checks_only_book())
    assert ev.overall is overall


def test_overall_is_review_while_judgments_are_open() -> None:
    assert run().overall is Verdict.REVIEW


def test_any_unmet_item_makes_the_overall_unmet() -> None:
    ev = run({"satisfaction_pct": Decimal("84.99"), "smes_served_prev": None})
    assert ev.item(7, 3).verdict is Verdict.UNMET
    assert ev.overall is Verdict.UNMET


def test_items_follow_the_measures_numbering() -> None:
    ev = run()
    labels = [r.label for r in ev.items]
    assert labels[:5] == [
        "第七条（一）",
        "第七条（三）",
        "第七条（四）",
        "第七条（六）",
        "第七条（七）",
    ]
    assert labels[5:] == [
        "第八条",
        "第八条（一）",
        "第八条（二）",
        "第八条（三）",
        "第八条（四）",
        "第八条（五）",
        "第八条（六）",
        "第八条（七）",
        "第九条",
    ]


@pytest.mark.parametrize(
    ("present", "missing"),
    [
        (tuple(range(1, 15)), ()),
        ((), tuple(range(1, 15))),
        (tuple(range(1, 14)), (14,)),
        ((1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14), (4,)),
        ((1, 14, 99), tuple(range(2, 14))),
    ],
)
def test_missing_materials(present: tuple[int, ...], missing: tuple[int, ...]) -> None:
    assert run(materials=present).missing_materials == missing


def test_missing_materials_do_not_change_the_conditions() -> None:
    a, b = run(materials=()), run(materials=tuple(range(1, 15)))
    assert [i.verdict for i in a.items] == [i.verdict for i in b.items]
    assert a.overall is b.overall


def test_verdict_labels_in_chinese() -> None:
    assert [v.label for v in Verdict] == ["不符合", "待核", "符合"]


def test_unknown_item_raises_key_error() -> None:
    with pytest.raises(KeyError):
        run().item(7, 2)  # the measure has no 第七条（二）
