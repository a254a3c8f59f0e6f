"""Data-form values as people really type them (dossier-format.md)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sme_review_desktop.errors import ValueFormError
from sme_review_desktop.importing.values import (
    is_percent_format,
    parse_bool,
    parse_date,
    parse_number,
    parse_percent,
    parse_text,
    parse_value,
)
from sme_review_desktop.rules.uscc import build

D = Decimal


def number(raw: object, unit: str = "万元", fmt: str | None = None) -> Decimal | None:
    return parse_number(raw, unit, number_format=fmt, field_label="资产总额")


# ── numbers ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\u200b"])
def test_empty_number_is_not_declared(raw: object) -> None:
    assert number(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (350, D(350)),
        (350.0, D(350)),
        (350.35, D("350.35")),
        (0.1, D("0.1")),
        (D("12.50"), D("12.5")),
        ("350", D(350)),
        (" 350 ", D(350)),
        ("1,200", D(1200)),
        ("1，200", D(1200)),
        ("12,345,678.5", D("12345678.5")),
        ("２３０", D(230)),
        ("２３０．５", D("230.5")),
        ("1 200", D(1200)),
        (".5", D("0.5")),
        ("5.", D(5)),
        ("-12", D(-12)),
        ("−12", D(-12)),
    ],
)
def test_plain_numbers(raw: object, expected: Decimal) -> None:
    assert number(raw) == expected


def test_excel_float_is_read_as_shown_not_binary() -> None:
    value = number(0.35 * 3)  # 1.0499999999999998 in binary, shown by Excel as 1.05
    assert value == D(repr(0.35 * 3))
    assert number(1234.56) == D("1234.56")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("350万元", D(350)),
        ("350万", D(350)),
        ("350 万元", D(350)),
        ("3500000元", D(350)),
        ("2300000元", D(230)),
        ("2,300,000元", D(230)),
        ("0.035亿元", D(350)),
        ("0.35亿元", D(3500)),
        ("0.35亿", D(3500)),
        ("３５０万元", D(350)),
        ("3500千元", D(350)),
        ("3.5百万元", D(350)),
        ("1234.5678元", D("0.12345678")),
    ],
)
def test_money_units_convert_to_the_fields_unit(raw: str, expected: Decimal) -> None:
    assert number(raw) == expected


def test_converted_amounts_are_tidy_decimals() -> None:
    value = number("0.35亿元")
    assert value is not None and str(value) == "3500"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3亿元", D(3)), ("3", D(3)), ("5000万元", D("0.5")), ("120000000元", D("1.2"))],
)
def test_money_into_a_yi_field(raw: str, expected: Decimal) -> None:
    assert parse_number(raw, "亿元", field_label="帮助中小企业融资总额") == expected


def test_incompatible_unit_in_a_money_field_names_field_value_and_fix() -> None:
    with pytest.raises(ValueFormError) as exc:
        number("350人")
    assert str(exc.value) == "“资产总额”的值“350人”无法换算为万元：请填写金额，如 350 或 350万元。"


@pytest.mark.parametrize("raw", ["350美元", "350万人", "350%", "350元/年"])
def test_other_unknown_money_units_are_rejected(raw: str) -> None:
    with pytest.raises(ValueFormError, match="无法换算为万元"):
        number(raw)


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("120家", "家", D(120)),
        ("120个", "家", D(120)),
        ("25人", "人", D(25)),
        ("25名", "人", D(25)),
        ("12次", "次", D(12)),
        ("12场", "次", D(12)),
        ("1500人次", "人次", D(1500)),
        ("1.2万人次", "人次", D(12000)),
        ("1.2万", "人次", D(12000)),
        ("800平方米", "平方米", D(800)),
        ("800平米", "平方米", D(800)),
        ("800㎡", "平方米", D(800)),
        ("800m²", "平方米", D(800)),
        ("800m2", "平方米", D(800)),
        ("800 M2", "平方米", D(800)),
        ("1,200家", "家", D(1200)),
    ],
)
def test_count_units_are_accepted_and_stripped(raw: str, unit: str, expected: Decimal) -> None:
    assert parse_number(raw, unit, field_label="服务中小企业数") == expected


def test_wrong_count_unit_is_rejected_naming_field_value_and_unit() -> None:
    with pytest.raises(ValueFormError) as exc:
        parse_number("350元", "家", field_label="服务中小企业数")
    assert str(exc.value) == (
        "“服务中小企业数”的值“350元”的单位与本项的单位“家”不符：请只填写数字，如 120 或 120家。"
    )


def test_unit_in_a_unitless_field_is_rejected() -> None:
    with pytest.raises(ValueFormError, match="“次数”的值“3家”不是数字"):
        parse_number("3家", "", field_label="次数")


@pytest.mark.parametrize("raw", ["abc", "约350", "-", "/", "无", "1,20", "1.2.3", "1,2000", "."])
def test_text_that_is_not_a_number(raw: str) -> None:
    with pytest.raises(ValueFormError) as exc:
        number(raw)
    assert str(exc.value) == (
        f"“资产总额”的值“{raw}”不是数字：请填写数字（单位为万元）；未开展的填0，未统计的留空。"
    )


@pytest.mark.parametrize("raw", [True, False, date(2020, 1, 1), datetime(2020, 1, 1, 8, 0)])
def test_bool_or_date_in_a_number_field_is_rejected(raw: object) -> None:
    with pytest.raises(
        ValueFormError, match=r"“资产总额”的值“.+”不是数字：请填写数字，单位为万元。"
    ):
        number(raw)


@pytest.mark.parametrize("raw", [float("nan"), float("inf")])
def test_nan_and_infinity_are_rejected(raw: float) -> None:
    with pytest.raises(ValueFormError, match="不是数字"):
        number(raw)


def test_huge_numbers_do_not_crash() -> None:
    assert number(1e308) == D("1e308")
    assert number("9" * 40) == D("9" * 40)


UNITS = ["万元", "亿元", "家", "人", "次", "人次", "平方米", "%", ""]


@given(st.text(), st.sampled_from(UNITS), st.one_of(st.none(), st.text(max_size=12)))
def test_parse_number_only_ever_raises_value_form_error(
    raw: str, unit: str, fmt: str | None
) -> None:
    try:
        result = parse_number(raw, unit, number_format=fmt, field_label="字段")
    except ValueFormError as exc:
        assert "“字段”" in str(exc)
    else:
        assert result is None or isinstance(result, Decimal)


@given(
    st.one_of(st.integers(), st.floats(), st.booleans(), st.decimals(), st.dates(), st.datetimes()),
    st.sampled_from(UNITS),
)
def test_parse_number_on_any_cell_type(raw: object, unit: str) -> None:
    try:
        result = parse_number(raw, unit, number_format="0%", field_label="字段")
    except ValueFormError as exc:
        assert "“字段”" in str(exc)
    else:
        assert result is None or isinstance(result, Decimal)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_thousands_separated_text_round_trips(value: Decimal) -> None:
    text = f"{value:,}"
    assert number(text) == value
    assert number(text.replace(",", "，") + "万元") == value


# ── percentages ──────────────────────────────────────────────────────────


def percent(raw: object, fmt: str | None = None) -> Decimal | None:
    return parse_percent(raw, number_format=fmt, field_label="用户满意度")


@pytest.mark.parametrize(
    ("raw", "fmt", "expected"),
    [
        (86, None, D(86)),
        (86, "General", D(86)),
        ("86", None, D(86)),
        ("86%", None, D(86)),
        ("86 %", None, D(86)),
        ("８６％", None, D(86)),
        ("86.5", None, D("86.5")),
        ("86.5%", None, D("86.5")),
        (86.5, None, D("86.5")),
        (0.86, "0%", D(86)),
        (0.865, "0.0%", D("86.5")),
        (0.86, "0.00%;[Red]-0.00%", D(86)),
        (1, "0%", D(100)),
        (0.86, None, D("0.86")),
        (0.86, "General", D("0.86")),
        (86, '0"%"', D(86)),
        (86, "0\\%", D(86)),
        ("86%", "0%", D(86)),
    ],
)
def test_percent_forms(raw: object, fmt: str | None, expected: Decimal) -> None:
    assert percent(raw, fmt) == expected


def test_percent_is_also_reached_through_parse_number() -> None:
    assert parse_number("８６％", "%", field_label="用户满意度") == D(86)
    assert parse_number(0.86, "%", number_format="0%", field_label="用户满意度") == D(86)


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_empty_percent(raw: object) -> None:
    assert percent(raw) is None


@pytest.mark.parametrize("raw", ["八十六", "86分", "abc", True, date(2020, 1, 1)])
def test_not_a_percentage(raw: object) -> None:
    with pytest.raises(ValueFormError) as exc:
        percent(raw)
    assert "“用户满意度”" in str(exc.value)
    assert "请填写" in str(exc.value)


def test_not_a_percentage_message() -> None:
    with pytest.raises(ValueFormError) as exc:
        percent("86分")
    assert str(exc.value) == "“用户满意度”的值“86分”不是百分比：请填写百分数，如 86 或 86%。"


@pytest.mark.parametrize(
    ("fmt", "scales"),
    [
        ("0%", True),
        ("0.00%", True),
        ("#,##0.0%", True),
        ("[Red]0%", True),
        (None, False),
        ("", False),
        ("General", False),
        ('0"%"', False),
        ("0\\%", False),
        ('0.0"％"', False),
        ("[%]0", False),
    ],
)
def test_percent_format_detection(fmt: str | None, scales: bool) -> None:
    assert is_percent_format(fmt) is scales


# ── dates ────────────────────────────────────────────────────────────────


def when(raw: object) -> date | None:
    return parse_date(raw, field_label="成立日期")


@pytest.mark.parametrize(
    "raw",
    [
        date(2019, 3, 15),
        datetime(2019, 3, 15),
        datetime(2019, 3, 15, 13, 45),
        "2019-03-15",
        "2019-3-15",
        "2019/3/15",
        "2019/03/15",
        "2019.3.15",
        "2019年3月15日",
        "2019年03月15日",
        "2019年3月15号",
        "2019年3月15",
        "2019 年 3 月 15 日",
        "２０１９年３月１５日",
        "２０１９－０３－１５",
        "２０１９／３／１５",
        "2019-03-15 00:00:00",
        "2019-03-15T08:30",
        "20190315",
        20190315,
        43539,
        43539.0,
        43539.75,
        " 2019-03-15\u200b ",
    ],
)
def test_date_forms(raw: object) -> None:
    assert when(raw) == date(2019, 3, 15)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (36526, date(2000, 1, 1)),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_excel_serials_in_the_1900_system(serial: int, expected: date) -> None:
    assert when(serial) == expected


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_empty_date(raw: object) -> None:
    assert when(raw) is None


@pytest.mark.parametrize(
    "raw", ["abc", "2019", "2019年3月", "2019-03", "3/15/2019", "2019-3/15", "15.3.2019", True]
)
def test_not_a_date(raw: object) -> None:
    with pytest.raises(ValueFormError) as exc:
        when(raw)
    assert str(exc.value) == (f"“成立日期”的值“{raw}”不是日期：请填写完整的年月日，如 2019-03-15。")


@pytest.mark.parametrize("raw", [0, 60, -5, 2958466, 0.5, float("nan"), 10**20])
def test_serials_that_are_no_day(raw: object) -> None:
    with pytest.raises(ValueFormError, match="不是日期"):
        when(raw)


@pytest.mark.parametrize("raw", ["2019-02-29", "2019年13月1日", "2019/4/31", "20190230", 20190230])
def test_dates_that_never_were(raw: object) -> None:
    with pytest.raises(ValueFormError) as exc:
        when(raw)
    assert str(exc.value) == (
        f"“成立日期”的值“{raw}”不是真实存在的日期：请核对年月日，如 2019-03-15。"
    )


def test_leap_day_is_a_real_date() -> None:
    assert when("2020-02-29") == date(2020, 2, 29)


@given(st.text())
def test_parse_date_only_ever_raises_value_form_error(raw: str) -> None:
    try:
        result = parse_date(raw, field_label="成立日期")
    except ValueFormError as exc:
        assert "“成立日期”" in str(exc)
    else:
        assert result is None or isinstance(result, date)


@given(st.one_of(st.text(), st.integers(), st.floats(), st.decimals()))
def test_parse_bool_and_percent_only_ever_raise_value_form_error(raw: object) -> None:
    for parse in (
        lambda: parse_bool(raw, field_label="信息服务"),
        lambda: parse_percent(raw, number_format="0%", field_label="信息服务"),
    ):
        try:
            parse()
        except ValueFormError as exc:
            assert "“信息服务”" in str(exc)


@given(st.dates(min_value=date(1900, 3, 1)))
def test_excel_serial_round_trip(day: date) -> None:
    assert when((day - date(1899, 12, 30)).days) == day
    assert when(f"{day.year}年{day.month}月{day.day}日") == day


# ── 是/否 ────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "raw",
    [
        "是",
        "有",
        "Y",
        "y",
        "YES",
        "yes",
        "Yes",
        "TRUE",
        "true",
        "True",
        "✓",
        "✔",
        "√",
        "1",
        "１",
        " 是 ",
        True,
        1,
        1.0,
    ],
)
def test_true_forms(raw: object) -> None:
    assert parse_bool(raw, field_label="信息服务") is True


@pytest.mark.parametrize(
    "raw", ["否", "无", "N", "n", "NO", "no", "FALSE", "false", "✗", "✘", "×", "0", False, 0, 0.0]
)
def test_false_forms(raw: object) -> None:
    assert parse_bool(raw, field_label="信息服务") is False


@pytest.mark.parametrize("raw", [None, "", " "])
def test_empty_bool(raw: object) -> None:
    assert parse_bool(raw, field_label="信息服务") is None


@pytest.mark.parametrize("raw", ["可能", "2", 2, "是否", "X"])
def test_not_yes_or_no(raw: object) -> None:
    with pytest.raises(ValueFormError) as exc:
        parse_bool(raw, field_label="信息服务")
    assert str(exc.value) == f"“信息服务”的值“{raw}”无法识别：请填写“是”或“否”。"


# ── text ─────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("  \u3000", None),
        ("  聊城市中小企业服务中心 ", "聊城市中小企业服务中心"),
        ("（山东）有限公司", "（山东）有限公司"),
        (13812345678, "13812345678"),
        (13812345678.0, "13812345678"),
        (12.5, "12.5"),
        (True, "TRUE"),
        (date(2019, 3, 15), "2019-03-15"),
        (datetime(2019, 3, 15), "2019-03-15"),
        (datetime(2019, 3, 15, 8, 30), "2019-03-15 08:30:00"),
        ("\ufeff0635-1234567", "0635-1234567"),
    ],
)
def test_text(raw: object, expected: str | None) -> None:
    assert parse_text(raw) == expected


# ── the dispatcher ───────────────────────────────────────────────────────


def value(field_type: str, raw: object, **kw: object) -> object:
    args: dict[str, object] = {"unit": None, "number_format": None, "field_label": "项目"}
    args.update(kw)
    return parse_value(field_type, raw, **args)  # type: ignore[arg-type]


def test_dispatch_by_type() -> None:
    assert value("text", " 平台 ") == "平台"
    assert value("date", "2019/3/15") == date(2019, 3, 15)
    assert value("bool", "有") is True
    assert value("number", "350万元", unit="万元") == D(350)
    assert value("number", 0.86, unit="%", number_format="0%") == D(86)
    assert value("number", "12") == D(12)
    for kind in ("text", "uscc", "enum", "date", "bool", "number"):
        assert value(kind, None, choices=["企业"]) is None
        assert value(kind, "  ", choices=["企业"]) is None


def test_uscc_is_normalised_not_judged() -> None:
    assert value("uscc", " ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert value("uscc", "bad") == "BAD"  # the form reader rejects it with the code's reasons


def test_uscc_typed_as_an_excel_number() -> None:
    assert value("uscc", 914403001922038216) == "914403001922038216"
    with pytest.raises(ValueFormError) as exc:
        value("uscc", 9.14403001922038e17, field_label="统一社会信用代码")
    assert str(exc.value) == (
        "“统一社会信用代码”的值“914403001922038016”被Excel存成了数字，末几位可能已丢失："
        "请把该单元格设为文本格式后重新输入18位代码。"
    )
    with pytest.raises(ValueFormError, match="设为文本格式"):
        value("uscc", 914403001922038000)


def test_built_code_passes_through() -> None:
    assert value("uscc", build().lower()) == build()


CHOICES = ["企业", "事业单位", "社团法人", "民办非企业单位", "其他"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("企业", "企业"),
        (" 事业单位 ", "事业单位"),
        ("社团 法人", "社团法人"),
        ("其他\u3000", "其他"),
    ],
)
def test_enum_matches_after_normalising(raw: str, expected: str) -> None:
    assert value("enum", raw, choices=CHOICES) == expected


def test_enum_matches_full_width_choices() -> None:
    assert value("enum", "Ａ类", choices=["A类", "B类"]) == "A类"


def test_enum_outside_choices_lists_them() -> None:
    with pytest.raises(ValueFormError) as exc:
        value("enum", "有限责任公司", choices=CHOICES, field_label="单位性质")
    assert str(exc.value) == (
        "“单位性质”的值“有限责任公司”不是可选项：请从企业、事业单位、社团法人、民办非企业单位、其他中选填一项。"
    )


def test_programming_errors_are_not_user_errors() -> None:
    with pytest.raises(ValueError):
        value("colour", "red")
    with pytest.raises(ValueError):
        value("enum", "企业", choices=[])
