"""统一社会信用代码: check characters, normalising, and what the code says about its holder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sme_review_desktop.rules import uscc
from sme_review_desktop.rules.uscc import CODE_ALPHABET

# Published codes of well-known holders; both their 17th and 18th characters check.
REAL_CODES = [
    "91350100M000100Y43",  # the example code most often cited for GB 32100-2015
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000802100433B",  # 百度在线网络技术（北京）有限公司
    "91110000710925462X",  # 中国石油天然气股份有限公司
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid_without_warnings(code: str) -> None:
    check = uscc.validate(code)
    assert check.ok
    assert check.errors == []
    assert check.warnings == []
    assert check.code == code


def test_build_default_is_a_liaocheng_enterprise() -> None:
    code = uscc.build()
    assert code == "91371500MA3C00011K"
    assert uscc.region_code(code) == "371500"
    assert uscc.implied_legal_form(code) == "企业"


@pytest.mark.parametrize(
    ("kind", "region", "org8"),
    [
        ("91", "371500", "MA3C0001"),
        ("12", "371502", "49412345"),
        ("51", "610100", "50000123"),
        ("52", "610113", "MJ0000XY"),
        ("91", "110000", "80210043"),
    ],
)
def test_built_codes_are_fully_valid(kind: str, region: str, org8: str) -> None:
    code = uscc.build(kind, region, org8)
    check = uscc.validate(code)
    assert check.ok and check.warnings == []
    assert code.startswith(kind + region + org8)


@pytest.mark.parametrize(
    ("kind", "region", "org8"),
    [("9", "371500", "MA3C0001"), ("91", "37150A", "MA3C0001"), ("91", "371500", "MA3C0O01")],
)
def test_build_refuses_bad_parts(kind: str, region: str, org8: str) -> None:
    with pytest.raises(ValueError):
        uscc.build(kind, region, org8)


def test_make_valid_refuses_wrong_length_and_letters() -> None:
    with pytest.raises(ValueError):
        uscc.make_valid("9137150")
    with pytest.raises(ValueError):
        uscc.make_valid("91371500MA3C0O011")


def test_check_char_31_becomes_zero() -> None:
    # Search a prefix whose weighted sum is a multiple of 31: its check char is '0', not 31.
    prefix = next(
        p for p in (f"9137150000000{n:04d}" for n in range(10000)) if uscc.check_char(p) == "0"
    )
    assert uscc.validate(prefix + "0").ok


@given(st.text(alphabet=CODE_ALPHABET, min_size=17, max_size=17))
def test_make_valid_always_validates(prefix: str) -> None:
    code = uscc.make_valid(prefix)
    assert len(code) == 18
    assert uscc.validate(code).ok


@given(
    st.text(alphabet=CODE_ALPHABET, min_size=17, max_size=17),
    st.integers(min_value=0, max_value=17),
    st.sampled_from(CODE_ALPHABET),
)
def test_any_single_wrong_character_is_caught(prefix: str, pos: int, ch: str) -> None:
    code = uscc.make_valid(prefix)
    changed = code[:pos] + ch + code[pos + 1 :]
    assert uscc.validate(changed).ok == (changed == code)


def test_normalize_full_width_lower_case_and_spaces() -> None:
    assert uscc.normalize(" ９１３５０１００ｍ０００１００ｙ４３\u3000") == "91350100M000100Y43"
    assert uscc.normalize("9135 0100 m000 100y 43\u200b") == "91350100M000100Y43"


def test_lower_case_and_full_width_codes_validate() -> None:
    check = uscc.validate("９１３５０１００m000100y43")
    assert check.ok
    assert check.code == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "length"),
    [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("M0001000-0", 10), ("", 0)],
)
def test_wrong_length_is_an_error_naming_the_length(code: str, length: int) -> None:
    check = uscc.validate(code)
    assert not check.ok
    assert f"长度为{length}位，应为18位" in check.errors


def test_old_eleven_character_code_is_rejected() -> None:
    check = uscc.validate("37150012345")
    assert check.errors == ["长度为11位，应为18位"]


def test_characters_outside_the_alphabet_are_named_with_a_hint() -> None:
    check = uscc.validate("91350100MOOO1OOY43")
    assert not check.ok
    assert len(check.errors) == 1
    assert "“O”" in check.errors[0]
    assert "O应为0" in check.errors[0]


def test_several_bad_characters_are_each_named_once() -> None:
    check = uscc.validate("9135010-VM0001I0Y4")
    assert check.errors == [
        "含有代码中不会出现的字符“-、V、I”（代码不使用字母I、O、Z、S、V，可能I应为1）"
    ]


def test_wrong_length_and_bad_character_both_reported() -> None:
    check = uscc.validate("91350100M0001OOY4")
    assert len(check.errors) == 2


def test_wrong_check_char_names_the_expected_one() -> None:
    check = uscc.validate("91350100M000100Y44")
    assert check.errors == ["第18位校验码应为“3”，实为“4”"]


def test_wrong_17th_character_is_only_a_warning() -> None:
    good = uscc.build("91", "371500", "MA3C0001")
    assert good[16] == "1"
    code = uscc.make_valid(good[:16] + "2")
    check = uscc.validate(code)
    assert check.ok
    assert check.errors == []
    assert len(check.warnings) == 1
    assert "第17位" in check.warnings[0] and "应为“1”，实为“2”" in check.warnings[0]
    assert code in check.warnings[0]


def test_org_check_char_x_and_zero() -> None:
    # 11 - sum % 11 gives 10 → 'X' and 11 → '0'.
    found = {uscc.org_check_char(f"{n:08d}") for n in range(200)}
    assert {"X", "0"} <= found
    assert uscc.org_check_char("71092546") == "2"  # 中国石油's organisation code 71092546-2


def test_region_code_is_characters_3_to_8() -> None:
    assert uscc.region_code("91610131MA6TXXXXXX") == "610131"
    assert uscc.region_code(" 91371500ma3c00011k ") == "371500"


@pytest.mark.parametrize(
    ("head", "form"),
    [
        ("91", "企业"),
        ("12", "事业单位"),
        ("A1", "事业单位"),
        ("51", "社团法人"),
        ("13", "社团法人"),
        ("52", "民办非企业单位"),
        ("11", "其他"),
        ("53", "其他"),
        ("92", "其他"),
        ("93", "其他"),
        ("N2", "其他"),
        ("19", None),
        ("59", None),
        ("Y1", None),
        ("99", None),
        ("X1", None),
    ],
)
def test_implied_legal_form(head: str, form: str | None) -> None:
    assert uscc.implied_legal_form(head + "371500MA3C00011") == form


def test_implied_legal_form_reads_lower_case() -> None:
    assert uscc.implied_legal_form("a1110000MA0000000") == "事业单位"
