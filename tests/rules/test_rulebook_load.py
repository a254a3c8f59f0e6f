"""Loading the shipped rulebooks, their completeness against the measures, and broken rulebooks.

The expected counts and phrases are written here from the measures' texts; tests never read the
source texts themselves.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sme_review_desktop.errors import RulebookError, UserError
from sme_review_desktop.rules import rulebook as rulebook_module
from sme_review_desktop.rules.rulebook import (
    Article,
    Rulebook,
    all_rulebooks,
    get_rulebook,
    load_rulebook,
    rulebooks_dir,
)
from sme_review_desktop.text.numbering import (
    article_label,
    chapter_label,
    clause_label,
    item_label,
)

IDS = ("liaocheng-2021", "xian-2018")


def _raw(book_id: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (rulebooks_dir() / f"{book_id}.yaml").read_text(encoding="utf-8")
    )
    return data


def _articles(book: Rulebook) -> list[Article]:
    return [a for ch in book.chapters for a in ch.articles]


def _all_text(art: Article) -> str:
    parts = [*art.paragraphs, *art.closing]
    stack = list(art.items)
    while stack:
        item = stack.pop()
        parts.append(item.text)
        parts.extend(item.paragraphs)
        stack.extend(item.items)
    return "".join(parts)


# ── the shipped rulebooks load and validate ───────────────────────────────────────────────


def test_both_rulebooks_are_shipped() -> None:
    assert set(IDS) <= set(all_rulebooks())


@pytest.mark.parametrize("book_id", IDS)
def test_rulebook_passes_the_schema(book_id: str) -> None:
    schema = json.loads((rulebooks_dir() / "rulebook.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_raw(book_id), schema)
    book = load_rulebook(rulebooks_dir() / f"{book_id}.yaml")
    assert book.id == book_id
    assert len(book.sha256) == 64


def test_get_rulebook_by_id() -> None:
    assert get_rulebook("xian-2018").city == "西安市"
    assert get_rulebook("liaocheng-2021").city == "聊城市"


def test_unknown_rulebook_id_is_a_chinese_error() -> None:
    with pytest.raises(RulebookError) as info:
        get_rulebook("national-2017")
    assert "没有编号为 national-2017 的办法" in str(info.value)
    assert "liaocheng-2021" in str(info.value) and "xian-2018" in str(info.value)


# ── every chapter and article of each measure ─────────────────────────────────────────────

CHAPTERS = {
    "liaocheng-2021": [
        ("总则", [1, 2, 3, 4, 5]),
        ("主要功能", [6]),
        ("认定条件", [7, 8, 9]),
        ("认定程序", [10, 11, 12, 13, 14, 15]),
        ("认定管理", [16, 17, 18, 19, 20, 21, 22, 23]),
        ("附则", [24, 25, 26]),
    ],
    "xian-2018": [
        ("总则", [1, 2, 3, 4]),
        ("主要功能", [5, 6, 7, 8, 9, 10, 11]),
        ("认定条件", [12, 13, 14]),
        ("认定程序", [15, 16]),
        ("申报资料", [17]),
        ("扶持与管理", [18, 19]),
        ("附则", [20, 21, 22]),
    ],
}


@pytest.mark.parametrize("book_id", IDS)
def test_every_chapter_and_article_is_present(book_id: str) -> None:
    book = get_rulebook(book_id)
    expected = CHAPTERS[book_id]
    assert [ch.number for ch in book.chapters] == list(range(1, len(expected) + 1))
    assert [(ch.title, [a.number for a in ch.articles]) for ch in book.chapters] == expected
    assert len(_articles(book)) == {"liaocheng-2021": 26, "xian-2018": 22}[book_id]
    for art in _articles(book):
        assert art.paragraphs and all(p.strip() for p in art.paragraphs)


# (book, article, phrase): the measure's own words, as the app must show them
PHRASES = [
    ("liaocheng-2021", 1, "鲁工信发〔2020〕4号"),
    ("liaocheng-2021", 3, "示范平台分为综合类、专业类两类"),
    ("liaocheng-2021", 7, "运营2年以上，资产总额不低于200万元"),
    ("liaocheng-2021", 7, "年服务中小企业80家以上"),
    ("liaocheng-2021", 7, "用户满意度在85%以上"),
    ("liaocheng-2021", 7, "集聚服务机构3家以上"),
    ("liaocheng-2021", 7, "要占到总服务量的15%以上"),
    ("liaocheng-2021", 7, "从事为中小企业服务的人员不少于15人"),
    ("liaocheng-2021", 7, "资产总额可放宽至不低于100万元，（七）中从业人数可放宽至不少于10人"),
    ("liaocheng-2021", 8, "年培训800人次以上"),
    ("liaocheng-2021", 8, "融资总额3亿元以上的服务机构；或向中小企业提供年新增担保额10亿元以上"),
    ("liaocheng-2021", 9, "突出服务特色"),
    ("liaocheng-2021", 13, "公示5个工作日"),
    ("liaocheng-2021", 14, "经公示无异义"),  # the measure's own wording
    ("liaocheng-2021", 16, "培育库"),
    ("liaocheng-2021", 18, "每次认定有效期为3年"),
    ("liaocheng-2021", 20, "每季度最后一个月的25日前"),
    ("liaocheng-2021", 22, "3年内不得申报"),
    ("liaocheng-2021", 26, "本办法由市工业和信息化局负责解释"),
    ("xian-2018", 1, "陕中企规发〔2017〕139号"),
    ("xian-2018", 12, "注册地在我市"),
    ("xian-2018", 12, "资产总额在50万元以上"),
    ("xian-2018", 12, "年服务本市中小企业不少于50家或者年服务本市中小企业的营业收入超过100万元"),
    ("xian-2018", 12, "用户满意度在80%以上"),
    ("xian-2018", 12, "服务面积200平方米以上"),
    ("xian-2018", 12, "不少于总服务量的20%"),
    ("xian-2018", 12, "从事为中小企业服务的人员不少于10人"),
    ("xian-2018", 13, "示范平台应满足以下至少一项功能要求"),
    ("xian-2018", 13, "线下年服务企业数量50家以上"),
    ("xian-2018", 13, "年培训1000人次以上"),
    ("xian-2018", 13, "融资总额1亿元以上的服务机构；或向中小企业提供年新增担保额3亿元以上"),
    ("xian-2018", 16, "侯选名单"),  # the measure's own wording
    ("xian-2018", 19, "每年1月底前"),
    ("xian-2018", 19, "一年内三次以上（含三次）被中小企业投诉"),
    ("xian-2018", 22, "市中企发〔2014〕4号"),
]


@pytest.mark.parametrize(("book_id", "article", "phrase"), PHRASES)
def test_article_text_in_the_measures_words(book_id: str, article: int, phrase: str) -> None:
    assert phrase in _all_text(get_rulebook(book_id).article(article))


def test_liaocheng_keeps_its_own_item_numbers() -> None:
    """聊城 第七条 has no （二） and no （五）; they are never renumbered (measures.md 2)."""
    book = get_rulebook("liaocheng-2021")
    assert [i.number for i in book.article(7).items] == [1, 3, 4, 6, 7]
    assert [i.number for i in book.article(8).items] == list(range(1, 8))
    assert [(c.article, c.item) for c in book.condition_items()][:5] == [
        (7, 1),
        (7, 3),
        (7, 4),
        (7, 6),
        (7, 7),
    ]
    assert clause_label(7, 3) == "第七条（三）"
    assert clause_label(9, 0) == "第九条"


def test_xian_revocation_sub_items_use_arabic_numbers() -> None:
    book = get_rulebook("xian-2018")
    fourth = next(i for i in book.article(19).items if i.number == 4)
    assert fourth.item_style == "paren_arabic"
    assert [i.number for i in fourth.items] == [1, 2, 3, 4, 5, 6]
    assert item_label(4, fourth.item_style) == "（4）"
    assert fourth.items[3].text.startswith("一年内三次以上（含三次）")


def test_xian_preamble_and_appendix() -> None:
    book = get_rulebook("xian-2018")
    assert book.document_number == "市中企发〔2018〕14号"
    assert "市中企发〔2018〕14号" in book.preamble
    assert book.appendix[0].startswith("附件：1．西安市中小企业公共服务示范平台推荐表")


def test_numbering_labels() -> None:
    assert article_label(12) == "第十二条"
    assert article_label(20) == "第二十条"
    assert article_label(26) == "第二十六条"
    assert chapter_label(6) == "第六章"
    assert item_label(14) == "（十四）"


# ── conditions articles ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("book_id", "articles"),
    [
        ("liaocheng-2021", [(7, "all"), (8, "each_declared"), (9, "all")]),
        ("xian-2018", [(12, "all"), (13, "at_least_one"), (14, "all")]),
    ],
)
def test_conditions_articles(book_id: str, articles: list[tuple[int, str]]) -> None:
    book = get_rulebook(book_id)
    assert [(a.article, a.rule) for a in book.conditions] == articles


@pytest.mark.parametrize(
    ("book_id", "items"),
    [
        (
            "liaocheng-2021",
            [(7, 1), (7, 3), (7, 4), (7, 6), (7, 7), *((8, n) for n in range(1, 8)), (9, 0)],
        ),
        ("xian-2018", [*((12, n) for n in range(0, 7)), *((13, n) for n in range(1, 6)), (14, 0)]),
    ],
)
def test_every_numbered_condition_item_is_checked(
    book_id: str, items: list[tuple[int, int]]
) -> None:
    book = get_rulebook(book_id)
    assert [(c.article, c.item) for c in book.condition_items()] == items
    for c in book.condition_items():
        if c.item:
            assert c.item in [i.number for i in book.article(c.article).items]
        assert c.parts


@pytest.mark.parametrize("book_id", IDS)
def test_condition_fields_are_on_the_form(book_id: str) -> None:
    book = get_rulebook(book_id)
    for c in book.condition_items():
        for p in c.parts:
            for key in p.fields_used():
                assert key in book.form_fields or key == "uscc", (c.article, c.item, p.id, key)
        if c.function:
            assert c.function in book.form_fields


# ── materials ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("book_id", "article", "count", "first", "last"),
    [
        (
            "liaocheng-2021",
            12,
            14,
            "聊城市中小企业公共服务示范平台推荐表（附件1）",
            "能够证明为“专精特新”、瞪羚、规上企业服务的凭据",
        ),
        (
            "xian-2018",
            17,
            7,
            "西安市中小企业公共服务示范平台申请报告（附件2）",
            "能够证明符合申报条件的其他材料和对申报材料真实性的声明（加盖申报单位公章）",
        ),
    ],
)
def test_materials_list(book_id: str, article: int, count: int, first: str, last: str) -> None:
    book = get_rulebook(book_id)
    assert book.materials_article == article
    assert [m.number for m in book.materials] == list(range(1, count + 1))
    assert all(m.required for m in book.materials)
    assert book.materials[0].title == first
    assert book.materials[-1].title == last
    # the materials list is the article's own list
    text_items = book.article(article).items
    assert len(text_items) == count
    for m, t in zip(book.materials, text_items, strict=True):
        assert m.number == t.number
        assert t.text.rstrip("；。") == m.title


def test_liaocheng_material_titles() -> None:
    titles = {m.number: m.title for m in get_rulebook("liaocheng-2021").materials}
    assert titles[4] == "上一年度专项审计报告及服务收支情况的专项审计报告"
    assert "信用中国" in titles[7]
    assert titles[12] == "单位人员社会保险缴费清单（上一年度末）及学历、职称证明"


# ── procedure ─────────────────────────────────────────────────────────────────────────────


def test_liaocheng_procedure() -> None:
    proc = get_rulebook("liaocheng-2021").procedure
    assert proc.publicity_working_days == 5
    assert proc.validity_years == 3
    assert proc.reapply_bar_years == 3
    assert "pool" in proc.decisions
    assert [(r.kind, r.day, r.article) for r in proc.reports] == [("quarterly", 25, 20)]


def test_xian_procedure() -> None:
    proc = get_rulebook("xian-2018").procedure
    assert proc.publicity_working_days is None  # the measure names no length
    assert proc.default_publicity_working_days == 5
    assert proc.validity_years == 3
    assert proc.reapply_bar_years == 0
    assert proc.complaints_per_year == 3
    assert len(proc.revocation_grounds) == 6
    assert "pool" not in proc.decisions
    assert [(r.kind, r.month, r.day) for r in proc.reports] == [("annual", 1, "last")]


# ── broken rulebooks: a clear Chinese error, never a traceback ───────────────────────────


def _write(tmp_path: Path, data: Any, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _load_error(path: Path) -> str:
    with pytest.raises(RulebookError) as info:
        load_rulebook(path)
    err = info.value
    assert isinstance(err, UserError)
    message = str(err)
    assert message == err.message
    assert path.name in message
    assert "Traceback" not in message
    return message


def test_round_trip_of_a_valid_copy_loads(tmp_path: Path) -> None:
    book = load_rulebook(_write(tmp_path, _raw("liaocheng-2021")))
    assert book.id == "liaocheng-2021"


def test_missing_top_level_key(tmp_path: Path) -> None:
    data = _raw("liaocheng-2021")
    del data["conditions"]
    message = _load_error(_write(tmp_path, data))
    assert "不符合格式" in message
    assert "（顶层）" in message
    assert "conditions" in message


def test_missing_key_in_a_part(tmp_path: Path) -> None:
    data = _raw("xian-2018")
    del data["conditions"][0]["items"][2]["parts"][2]["value"]  # 资产总额在50万元以上
    message = _load_error(_write(tmp_path, data))
    assert "不符合格式" in message
    assert "conditions/0/items/2/parts/2" in message


def test_wrong_type(tmp_path: Path) -> None:
    data = _raw("liaocheng-2021")
    data["conditions"][0]["items"][0]["parts"][2]["value"] = "二百"
    message = _load_error(_write(tmp_path, data))
    assert "不符合格式，位置 conditions/0/items/0/parts/2/value" in message
    assert "二百" in message


def test_wrong_type_of_an_article_number(tmp_path: Path) -> None:
    data = _raw("liaocheng-2021")
    data["materials"]["article"] = "第十二条"
    message = _load_error(_write(tmp_path, data))
    assert "位置 materials/article" in message


def test_unknown_top_level_field(tmp_path: Path) -> None:
    data = _raw("liaocheng-2021")
    data["threshold_overrides"] = {"assets": 150}
    message = _load_error(_write(tmp_path, data))
    assert "不符合格式" in message
    assert "threshold_overrides" in message


def test_unknown_field_in_a_part(tmp_path: Path) -> None:
    data = _raw("liaocheng-2021")
    data["conditions"][0]["items"][0]["parts"][2]["minimum"] = 200
    message = _load_error(_write(tmp_path, data))
    assert "conditions/0/items/0/parts/2" in message
    assert "minimum" in message


def test_unknown_operator(tmp_path: Path) -> None:
    data = _raw("liaocheng-2021")
    data["conditions"][0]["items"][0]["parts"][2]["op"] = "≥"
    message = _load_error(_write(tmp_path, data))
    assert "conditions/0/items/0/parts/2" in message


def test_unknown_data_form_field(tmp_path: Path) -> None:
    data = _raw("liaocheng-2021")
    data["conditions"][0]["items"][0]["parts"][2]["field"] = "total_asset_wan"
    message = _load_error(_write(tmp_path, data))
    assert "第7条第1项 assets 引用了不存在的字段 total_asset_wan" in message


def test_unknown_form_field_in_form_fields(tmp_path: Path) -> None:
    data = _raw("xian-2018")
    data["form_fields"].append("staff_count")
    message = _load_error(_write(tmp_path, data))
    assert "form_fields 中的字段 staff_count 不在申报数据表字段表中" in message


def test_unknown_function_field(tmp_path: Path) -> None:
    data = _raw("xian-2018")
    data["conditions"][1]["items"][0]["function"] = "func_information"
    message = _load_error(_write(tmp_path, data))
    assert "第13条的功能字段 func_information 不存在" in message


@pytest.mark.parametrize("issued_on", ["2021-02-30", "2021-13-01"])
def test_impossible_issue_date(tmp_path: Path, issued_on: str) -> None:
    data = _raw("liaocheng-2021")
    data["issued_on"] = issued_on
    message = _load_error(_write(tmp_path, data))
    assert "issued_on" in message
    assert issued_on in message


def test_unquoted_issue_date(tmp_path: Path) -> None:
    text = (rulebooks_dir() / "xian-2018.yaml").read_text(encoding="utf-8")
    text = text.replace('issued_on: "2018-05-21"', "issued_on: 2018-05-21")
    path = tmp_path / "unquoted.yaml"
    path.write_text(text, encoding="utf-8")
    message = _load_error(path)
    assert "位置 issued_on" in message


def test_yaml_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "syntax.yaml"
    path.write_text("schema_version: 1\nid: [broken\n", encoding="utf-8")
    message = _load_error(path)
    assert "无法读取办法规则文件 syntax.yaml" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("title: 聊城市中小企业公共服务示范平台认定管理办法\n".encode("gbk"))
    message = _load_error(path)
    assert "无法读取办法规则文件 gbk.yaml" in message


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    message = _load_error(path)
    assert "不符合格式" in message


def test_missing_file(tmp_path: Path) -> None:
    message = _load_error(tmp_path / "absent.yaml")
    assert "无法读取办法规则文件" in message


def test_duplicate_rulebook_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "rulebooks"
    folder.mkdir()
    shutil.copy(rulebooks_dir() / "rulebook.schema.json", folder)
    shutil.copy(rulebooks_dir() / "xian-2018.yaml", folder / "a.yaml")
    shutil.copy(rulebooks_dir() / "xian-2018.yaml", folder / "b.yaml")
    monkeypatch.setattr(rulebook_module, "rulebooks_dir", lambda: folder)
    with pytest.raises(RulebookError) as info:
        all_rulebooks.__wrapped__()
    assert "办法编号 xian-2018 重复：b.yaml" in str(info.value)
