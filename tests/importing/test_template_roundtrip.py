"""The blank data form the app hands out, filled by a county, imports unchanged.

dossier-format.md, "The data form": the app's template is the bureau's own; whatever a county
types into its 填报值 column in the ways the template allows must come back as the same figures.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sme_review_desktop.exports.form_template import HEADER, write_form
from sme_review_desktop.importing.figures import encode
from sme_review_desktop.importing.form import SHEET, read_form
from sme_review_desktop.importing.service import import_paths
from sme_review_desktop.rules.fields import FieldDef, field_catalogue
from sme_review_desktop.rules.rulebook import Rulebook, get_rulebook
from sme_review_desktop.store.database import Store

from .helpers import LIAOCHENG, XIAN, code, figures_of, new_round, snapshot

BOOKS = [LIAOCHENG, XIAN]

# plausible figures, each in its field's unit, as a county would type them
NUMBERS = {
    "total_assets_wan": Decimal("856.25"),
    "service_revenue_wan": Decimal("420"),
    "smes_served": Decimal("156"),
    "smes_served_prev": Decimal("128"),
    "key_smes_served": Decimal("12"),
    "satisfaction_pct": Decimal("93.5"),
    "service_area_m2": Decimal("1200.5"),
    "partner_institutions": Decimal("6"),
    "public_welfare_pct": Decimal("26"),
    "staff_total": Decimal("28"),
    "staff_qualified": Decimal("25"),
    "info_offline_smes": Decimal("112"),
    "info_activities": Decimal("14"),
    "tech_activities": Decimal("9"),
    "startup_activities": Decimal("7"),
    "training_person_times": Decimal("1680"),
    "finance_activities": Decimal("5"),
    "finance_amount_yi": Decimal("1.25"),
    "guarantee_new_yi": Decimal("3.5"),
    "consult_activities": Decimal("6"),
    "legal_activities": Decimal("4"),
}


def _valid(book: Rulebook, fdef: FieldDef, n: int) -> tuple[Any, Any]:
    """(what goes into the cell, the typed value expected back) for one field."""
    if fdef.type == "uscc":
        value = code(book.id, n)
        return value, value
    if fdef.type == "enum":
        if fdef.key == "platform_type":
            choice = book.platform_types[0]
        elif fdef.key == "legal_form":
            choice = "企业"  # the code is a 91 企业 code
        else:
            choice = fdef.choices[0]
        return choice, choice
    if fdef.type == "date":
        return datetime(2018, 5, 10), date(2018, 5, 10)
    if fdef.type == "bool":
        return "是", True
    if fdef.type == "number":
        number = NUMBERS.get(fdef.key, Decimal("3"))
        cell = int(number) if number == number.to_integral_value() else float(number)
        return cell, number
    text = f"{fdef.label}（{book.id}）"
    return text, text


def _fill(path: Path, book: Rulebook, n: int) -> dict[str, Any]:
    """Fill every 填报值 cell of the template at ``path``; returns the expected typed values."""
    catalogue = field_catalogue()
    wb = load_workbook(path)
    ws = wb[SHEET]
    expected: dict[str, Any] = {}
    for row in range(2, ws.max_row + 1):
        key = ws.cell(row, 1).value
        assert isinstance(key, str)
        cell, typed = _valid(book, catalogue[key], n)
        ws.cell(row, 3).value = cell
        expected[key] = typed
    wb.save(path)
    return expected


@pytest.mark.parametrize("book_id", BOOKS)
def test_blank_template_shape(tmp_path: Path, book_id: str) -> None:
    book = get_rulebook(book_id)
    path = write_form(tmp_path / "模板.xlsx", book)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == SHEET
    ws = wb[SHEET]
    assert tuple(c.value for c in ws[1]) == HEADER
    keys = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert keys == list(book.form_fields)
    assert all(ws.cell(r, 3).value is None for r in range(2, ws.max_row + 1))
    # only the 填报值 column is open for typing
    assert ws.protection.sheet
    assert all(not ws.cell(r, 3).protection.locked for r in range(2, ws.max_row + 1))
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(2, ws.max_row + 1)}
    assert labels["uscc"] == "统一社会信用代码（必填）"
    if book_id == XIAN:
        assert "platform_type" not in labels  # 西安 has no 平台类别


@pytest.mark.parametrize("book_id", BOOKS)
def test_blank_template_is_rejected_for_its_required_fields(
    store: Store, tmp_path: Path, book_id: str
) -> None:
    rid = new_round(store, book_id)
    path = write_form(tmp_path / "空白模板.xlsx", get_rulebook(book_id))
    before = snapshot(store)
    (result,) = import_paths(store, rid, [path], "测试")
    assert result.status == "rejected"
    assert "缺少必填字段" in result.errors[0] and "空白模板.xlsx" in result.errors[0]
    assert snapshot(store) == before


@pytest.mark.parametrize("book_id", BOOKS)
def test_every_field_filled_imports_unchanged(store: Store, tmp_path: Path, book_id: str) -> None:
    book = get_rulebook(book_id)
    rid = new_round(store, book_id)
    path = write_form(tmp_path / "申报数据表.xlsx", book)
    expected = _fill(path, book, 50)
    assert set(expected) == set(book.form_fields)
    (result,) = import_paths(store, rid, [path], "测试")
    assert result.status == "imported", result.errors
    assert result.warnings == []
    assert result.dossier_id is not None
    stored = figures_of(store, result.dossier_id)
    assert stored == {k: encode(v) for k, v in expected.items()}


@pytest.mark.parametrize("book_id", BOOKS)
def test_filled_through_write_form_reads_back_the_same_values(tmp_path: Path, book_id: str) -> None:
    """write_form(values=…) (demo and tests) and read_form agree on every type."""
    book = get_rulebook(book_id)
    catalogue = field_catalogue()
    values = {k: _valid(book, catalogue[k], 51)[1] for k in book.form_fields}
    values["func_tech"] = False
    path = write_form(tmp_path / "f.xlsx", book, values)
    form = read_form(path.read_bytes(), "f.xlsx")
    assert form.values == values
    assert form.unknown == {} and form.warnings == []


@pytest.mark.parametrize("book_id", BOOKS)
def test_cells_as_excel_saves_them_after_typing(store: Store, tmp_path: Path, book_id: str) -> None:
    """Typed into Excel: 93.5% becomes 0.935 shown as a percentage, dates become date cells."""
    book = get_rulebook(book_id)
    rid = new_round(store, book_id)
    path = write_form(tmp_path / "申报数据表.xlsx", book)
    _fill(path, book, 52)
    wb = load_workbook(path)
    ws = wb[SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    pct = ws.cell(rows["satisfaction_pct"], 3)
    pct.value, pct.number_format = 0.935, "0.0%"
    welfare = ws.cell(rows["public_welfare_pct"], 3)
    welfare.value = "２６％"
    money = ws.cell(rows["total_assets_wan"], 3)
    money.value = "0.0856亿元"
    day = ws.cell(rows["established_on"], 3)
    day.value = "2018年5月10日"
    yes = ws.cell(rows["func_info"], 3)
    yes.value = "✓"
    wb.save(path)
    (result,) = import_paths(store, rid, [path], "测试")
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    stored = figures_of(store, result.dossier_id)
    assert stored["satisfaction_pct"] == "93.5"
    assert stored["public_welfare_pct"] == "26"
    assert stored["total_assets_wan"] == "856"
    assert stored["established_on"] == "2018-05-10"
    assert stored["func_info"] == "1"


def test_template_rows_moved_around_still_import(store: Store, tmp_path: Path) -> None:
    """The guide says rows may be reordered; column A, not the label, finds each field."""
    book = get_rulebook(LIAOCHENG)
    rid = new_round(store)
    path = write_form(tmp_path / "申报数据表.xlsx", book)
    expected = _fill(path, book, 53)
    wb = load_workbook(path)
    ws = wb[SHEET]
    # moving a row in Excel moves its cells' formats along with the values
    rows = [[(c.value, c.number_format) for c in ws[r]] for r in range(2, ws.max_row + 1)]
    rows.reverse()
    for offset, cells in enumerate(rows, start=2):
        for col, (value, fmt) in enumerate(cells, start=1):
            ws.cell(offset, col).value = value
            ws.cell(offset, col).number_format = fmt
    ws.cell(2, 2).value = "被改动的标签"
    wb.save(path)
    (result,) = import_paths(store, rid, [path], "测试")
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert figures_of(store, result.dossier_id) == {k: encode(v) for k, v in expected.items()}
