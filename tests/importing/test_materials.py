"""Material numbers from evidence file and folder names (dossier-format.md, "Evidence files")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sme_review_desktop.importing.materials import material_for_path, material_number
from sme_review_desktop.text.numbering import chinese_numeral

LIAOCHENG = 14  # 聊城 第十二条 lists fourteen materials
XIAN = 7  # 西安 第十七条 lists seven


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Arabic, as the contract lists them
        ("3", 3),
        ("03", 3),
        ("03_营业执照.pdf", 3),
        ("3.营业执照.pdf", 3),
        ("3.pdf", 3),
        ("3-营业执照", 3),
        ("3 营业执照.pdf", 3),
        # Arabic, other ways people number
        ("3、营业执照.pdf", 3),
        ("03报告.pdf", 3),
        ("03_1.jpg", 3),
        ("(3)营业执照.pdf", 3),
        ("（3）营业执照.pdf", 3),
        ("3）营业执照.pdf", 3),
        ("3(副本).pdf", 3),
        ("3《申请书》.docx", 3),
        ("３、营业执照.pdf", 3),
        ("①申请书.docx", 1),
        ("⑴申请书.docx", 1),
        ("14_其他.pdf", 14),
        ("  3_营业执照.pdf", 3),
        # Chinese
        ("三、营业执照.pdf", 3),
        ("(三)营业执照.pdf", 3),
        ("（三）营业执照.pdf", 3),
        ("（三)营业执照", 3),
        ("十四、其他材料", 14),
        ("（十四）其他材料", 14),
        ("十、审计报告", 10),
        ("十一.pdf", 11),
        ("三", 3),
        ("三 营业执照", 3),
    ],
)
def test_numbered_names(name: str, expected: int) -> None:
    assert material_number(name, LIAOCHENG) == expected


@pytest.mark.parametrize(
    "name",
    [
        "营业执照.pdf",
        "2019年报告.pdf",  # a year, not material 2019
        "2019-03-15活动.jpg",
        "3年审计报告.pdf",  # a quantity
        "12月活动照片",
        "3家企业合作协议.pdf",
        "5人团队.jpg",
        "3.15活动照片.jpg",  # a date
        "3.5亿融资.pdf",  # a decimal
        "3-5.jpg",  # a range or sub-number
        "5G应用.pdf",
        "3D打印中心.jpg",
        "0_封面.pdf",
        "15_附件.pdf",  # beyond the list
        "(3营业执照.pdf",
        "三年规划.pdf",  # a word starting with a numeral
        "一季度报告.pdf",
        "十佳平台.pdf",
        "（三营业执照",
        "（二十）其他",  # beyond the list
        "十十、",
        "附件3.pdf",
        "",
        "   ",
    ],
)
def test_unnumbered_names(name: str) -> None:
    assert material_number(name, LIAOCHENG) is None


def test_only_numbers_within_the_measures_list_count() -> None:
    assert material_number("07_承诺书.pdf", XIAN) == 7
    assert material_number("08_其他.pdf", XIAN) is None
    assert material_number("八、其他", XIAN) is None
    assert material_number("1_申请书.pdf", 0) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("03_营业执照.pdf", 3),
        ("06-活动照片/1.png", 6),  # the folder wins over the file's own number
        ("06-活动照片/2019年/3.png", 6),
        ("（三）营业执照/副本.pdf", 3),
        ("其他/03_营业执照.pdf", 3),  # first numbered component from the top
        ("扫描件/证明材料/五、场地证明.pdf", 5),
        ("2019年资料/4_财务报表.xlsx", 4),
        ("06-活动照片\\1.png", 6),  # made on Windows
        ("./06-活动照片/1.png", 6),
        ("照片/IMG_0001.jpg", None),
        ("说明.docx", None),
        ("15_附件/1.pdf", 1),
    ],
)
def test_material_for_path(path: str, expected: int | None) -> None:
    assert material_for_path(path, LIAOCHENG) == expected


@given(st.text(), st.integers(min_value=0, max_value=30))
def test_any_name_gives_a_number_in_range_or_none(name: str, max_number: int) -> None:
    number = material_number(name, max_number)
    assert number is None or 1 <= number <= max_number
    found = material_for_path(f"{name}/{name}", max_number)
    assert found is None or 1 <= found <= max_number


@given(st.integers(min_value=1, max_value=LIAOCHENG), st.sampled_from(["_", ".", "-", " ", "、"]))
def test_every_listed_separator_numbers_every_material(n: int, sep: str) -> None:
    assert material_number(f"{n}{sep}材料.pdf", LIAOCHENG) == n
    assert material_number(f"{n:02d}{sep}材料.pdf", LIAOCHENG) == n


@given(st.integers(min_value=1, max_value=LIAOCHENG))
def test_every_material_in_chinese(n: int) -> None:
    word = chinese_numeral(n)
    for name in (f"{word}、材料.pdf", f"({word})材料.pdf", f"（{word}）材料.pdf"):
        assert material_number(name, LIAOCHENG) == n
