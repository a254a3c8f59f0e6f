"""Chinese line breaking (clreq): units kept whole, punctuation kinsoku, 挤进/推出, no 孤字;
title words; contacts from the round settings."""

from __future__ import annotations

import pytest

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports.cjk_break import CLOSING, OPENING, break_lines, clusters
from sme_review_desktop.exports.gov_grid import title_words
from sme_review_desktop.exports.notice import contact_lines
from sme_review_desktop.rounds import update_settings
from sme_review_desktop.store.database import Store


def _advance(ch: str) -> float:
    return 10.0 if ord(ch) >= 0x2000 else 5.0


def _lines(text: str, chars: int) -> list[str]:
    return [b.text for b in break_lines(text, _advance, (chars * 10.0,), 0.0, 10.0)]


def test_units_stay_whole() -> None:
    text = "自2026年10月12日起，聊工信字〔2026〕15号，电话0635-8888888，得分75.00分……完"
    parts = clusters(text)
    assert "".join(parts) == text
    for unit in ("2026年10月12日", "〔2026〕15号", "0635-8888888", "75.00", "……"):
        assert any(unit in p for p in parts), unit
    for chars in range(9, 20):  # from the width of the longest unit up
        lines = _lines(text, chars)
        assert "".join(lines) == text
        for unit in ("2026年10月12日", "〔2026〕15号", "0635-8888888"):
            assert any(unit in line for line in lines), (chars, lines)


@pytest.mark.parametrize("chars", range(4, 16))
def test_no_line_opens_with_closing_or_ends_with_opening(chars: int) -> None:
    text = (
        "根据《聊城市办法》（2021）规定，经企业自愿申报、县（市、区）推荐，“示范平台”。现予以公示！"
    )
    for line in _lines(text, chars):
        assert line[0] not in CLOSING and line[-1] not in OPENING, (chars, line)


def test_squeeze_in_one_closing_mark_else_push_out() -> None:
    # Ten characters fill the line; a following 「，」 is squeezed in (挤进) …
    assert _lines("一二三四五六七八九十，十一", 10)[0] == "一二三四五六七八九十，"
    # … but two marks (more than one em over) push the last character down (推出).
    assert _lines("一二三四五六七八九十）。十一", 10)[0] == "一二三四五六七八九"


def test_no_single_character_alone_on_the_last_line() -> None:
    lines = _lines("一二三四五六七八九十甲", 10)
    assert lines == ["一二三四五六七八九", "十甲"]


def test_title_words_keep_names_whole() -> None:
    words = title_words("关于2026年度聊城市中小企业公共服务示范平台拟认定名单的公示")
    assert words == [
        "关于",
        "2026年度",
        "聊城市",
        "中小企业",
        "公共服务",
        "示范平台",
        "拟认定名单的公示",
    ]


def test_contacts_print_as_notices_do_and_keep_the_old_setting() -> None:
    assert contact_lines(
        {
            "contact_person": "王某",
            "contact_phone": "0635-8888888",
            "supervision_phone": "0635-8889999",
            "contact_address": "聊城市东昌府区东昌路1号",
            "objection_contact": "旧的写法",
        }
    ) == [
        "联系人：王某　　咨询电话：0635-8888888",
        "监督电话：0635-8889999",
        "地址：聊城市东昌府区东昌路1号",
    ]
    assert contact_lines({"objection_contact": "中小企业科 0635-8888888"}) == [
        "联系方式：中小企业科 0635-8888888"
    ]
    assert contact_lines({}) == []


def test_contact_settings_are_validated(demo_store: Store) -> None:
    settings = update_settings(
        demo_store,
        1,
        {"contact_phone": " 0635-8888888、8888999 ", "contact_person": "王某"},
        "秘书",
    )
    assert settings["contact_phone"] == "0635-8888888、8888999"
    with pytest.raises(UserError, match="电话号码"):
        update_settings(demo_store, 1, {"supervision_phone": "请拨打市长热线"}, "秘书")
    with pytest.raises(UserError, match="过长"):
        update_settings(demo_store, 1, {"contact_person": "王" * 41}, "秘书")
