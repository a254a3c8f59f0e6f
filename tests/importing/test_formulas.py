"""No silent wrong data: a formula in the value column with no saved result is a rejection.

A workbook written by a script (openpyxl writes ``<f>…</f><v/>``) and never opened in Excel or
WPS reads as empty cells; Excel, WPS and LibreOffice save the result beside the formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sme_review_desktop.errors import ImportRejected
from sme_review_desktop.importing.form import DataForm, open_form_sheet, read_form
from sme_review_desktop.importing.formulas import unsaved_formula_rows
from sme_review_desktop.importing.package import discover
from sme_review_desktop.importing.service import import_package
from sme_review_desktop.store.database import Store

from .helpers import figures_of, make_folder, make_form, new_round, snapshot

SHEET_PART = "xl/worksheets/sheet1.xml"


def _row_of(path: Path, key: str) -> int:
    wb = load_workbook(path)
    ws = wb["申报数据"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == key)


def _with_formulas(path: Path, formulas: dict[str, str], column: int = 3) -> dict[str, int]:
    """Put formulas in the fields' cells as a script would (openpyxl: no result saved)."""
    wb = load_workbook(path)
    ws = wb["申报数据"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for key, formula in formulas.items():
        ws.cell(rows[key], column).value = formula
    wb.save(path)
    return {key: rows[key] for key in formulas}


def _patch_sheet(path: Path, edit: dict[str, str]) -> None:
    """Rewrite the sheet's XML as Excel or LibreOffice would have saved it (old → new)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == SHEET_PART:
                # openpyxl writes an empty result as <v /> or <v></v> depending on its writer
                text = data.decode("utf-8").replace("<v></v>", "<v />")
                for old, new in edit.items():
                    assert old in text, old
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    path.write_bytes(out.getvalue())


def _read(path: Path) -> DataForm:
    data = path.read_bytes()
    return read_form(data, "平台/申报数据表.xlsx", open_form_sheet(data, path.name))


def test_a_formula_without_a_result_names_the_field_the_cell_and_the_remedy(
    tmp_path: Path,
) -> None:
    path = make_form(tmp_path / "申报数据表.xlsx")
    rows = _with_formulas(path, {"total_assets_wan": "=1000+200"})
    n = rows["total_assets_wan"]
    with pytest.raises(ImportRejected) as info:
        _read(path)
    assert info.value.message == (
        f"申报数据表“平台/申报数据表.xlsx”第{n}行“资产总额”（C{n}）是公式但没有保存计算结果："
        "请县区用 Excel 或 WPS 打开申报数据表并保存后重新报送。"
    )


def test_every_such_cell_is_named_at_once(tmp_path: Path) -> None:
    path = make_form(tmp_path / "申报数据表.xlsx")
    rows = _with_formulas(path, {"total_assets_wan": "=1+1", "smes_served": "=SUM(1,2)"})
    with pytest.raises(ImportRejected) as info:
        _read(path)
    a, s = rows["total_assets_wan"], rows["smes_served"]
    assert f"第{a}行“资产总额”（C{a}）、第{s}行“服务中小企业数”（C{s}）" in info.value.message


def test_a_required_field_with_a_formula_is_not_reported_as_missing(tmp_path: Path) -> None:
    path = make_form(tmp_path / "申报数据表.xlsx")
    _with_formulas(path, {"platform_name": '="测试"&"平台"'})
    with pytest.raises(ImportRejected, match=r"“平台名称”（C\d+）是公式但没有保存计算结果"):
        _read(path)


def test_the_package_is_rejected_on_import_and_nothing_is_written(
    store: Store, tmp_path: Path
) -> None:
    rid = new_round(store)
    folder = make_folder(tmp_path, "脚本生成的平台")
    rows = _with_formulas(folder / "申报数据表.xlsx", {"total_assets_wan": "=1000+200"})
    before = snapshot(store)
    (package,) = discover([folder])  # the rows kept from discovery carry the finding
    result = import_package(store, rid, package, "测试")
    n = rows["total_assets_wan"]
    assert result.status == "rejected"
    assert f"第{n}行“资产总额”（C{n}）是公式但没有保存计算结果" in result.errors[0]
    assert "Excel 或 WPS" in result.errors[0]
    assert snapshot(store) == before


def test_a_saved_result_is_read_like_a_typed_value(store: Store, tmp_path: Path) -> None:
    """Excel, WPS and LibreOffice save ``<v>`` beside ``<f>``: such a form imports as before."""
    rid = new_round(store)
    folder = make_folder(tmp_path, "保存过的平台")
    _with_formulas(folder / "申报数据表.xlsx", {"total_assets_wan": "=1000+200"})
    _patch_sheet(folder / "申报数据表.xlsx", {"<f>1000+200</f><v />": "<f>1000+200</f><v>1200</v>"})
    (package,) = discover([folder])
    result = import_package(store, rid, package, "测试")
    assert result.status == "imported", result.errors
    assert result.dossier_id is not None
    assert figures_of(store, result.dossier_id)["total_assets_wan"] == "1200"


def test_a_saved_zero_is_a_result(tmp_path: Path) -> None:
    path = make_form(tmp_path / "申报数据表.xlsx")
    _with_formulas(path, {"smes_served": "=1-1"})
    _patch_sheet(path, {"<f>1-1</f><v />": "<f>1-1</f><v>0</v>"})
    form = _read(path)
    assert form.values["smes_served"] == 0


def test_a_saved_empty_text_result_is_an_empty_cell(tmp_path: Path) -> None:
    """=IF(…,"",…) giving "" is saved by Excel as t="str" with an empty <v>: not declared."""
    path = make_form(tmp_path / "申报数据表.xlsx")
    _with_formulas(path, {"smes_served": '=IF(1,"",1)'})
    text = zipfile.ZipFile(path).read(SHEET_PART).decode().replace("<v></v>", "<v />")
    cell = re.search(r'<c r="(C\d+)"[^>]*><f>IF\(1,"",1\)</f><v ?/></c>', text)
    assert cell is not None
    saved = f'<c r="{cell.group(1)}" t="str"><f>IF(1,"",1)</f><v></v></c>'
    _patch_sheet(path, {cell.group(0): saved})
    form = _read(path)
    assert "smes_served" not in form.values


def test_a_formula_outside_the_value_column_is_not_a_value(tmp_path: Path) -> None:
    """Column D (单位) holds no value: a formula there is the county's business."""
    path = make_form(tmp_path / "申报数据表.xlsx")
    _with_formulas(path, {"total_assets_wan": '="万"&"元"'}, column=4)
    form = _read(path)
    assert "total_assets_wan" in form.values


# ---- the sheet's XML, as other writers put it ---------------------------------------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(cells: str) -> bytes:
    return f"<worksheet {NS}><sheetData>{cells}</sheetData></worksheet>".encode()


@pytest.mark.parametrize(
    ("cells", "rows"),
    [
        ('<row r="5"><c r="C5"><f>1+1</f></c></row>', {5}),  # no <v> at all
        ('<row r="5"><c r="C5"><f>1+1</f><v/></c></row>', {5}),  # openpyxl's empty <v/>
        ('<row r="5"><c r="C5"><f>1+1</f><v>2</v></c></row>', set()),  # Excel's saved result
        ('<row r="5"><c r="C5" t="str"><f>""</f><v></v></c></row>', set()),  # saved ""
        ('<row r="5"><c r="B5"><f>1+1</f></c></row>', set()),  # column B: a label
        ('<row r="5"><c r="D5"><f>1+1</f></c></row>', set()),  # column D: the unit
        ('<row r="5"><c r="C5"><v>2</v></c></row>', set()),  # a plain value
        ('<row r="5"><c><v>a</v></c><c/><c><f>1</f></c></row>', {5}),  # cells without r
        ('<row><c r="C1"/></row><row><c r="C2"><f>1</f></c></row>', {2}),  # rows without r
    ],
)
def test_which_cells_are_formulas_without_a_result(cells: str, rows: set[int]) -> None:
    assert unsaved_formula_rows(lambda: io.BytesIO(_sheet(cells))) == rows


def test_a_namespaced_sheet_is_read_too() -> None:
    xml = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row r="7"><x:c r="C7"><x:f>1+1</x:f></x:c></x:row></x:sheetData>'
        b"</x:worksheet>"
    )
    assert unsaved_formula_rows(lambda: io.BytesIO(xml)) == {7}


def test_a_formula_across_two_chunks_of_a_large_sheet_is_found() -> None:
    """The sheet is streamed in 1 MiB chunks: a ``<f>`` cut in two by a chunk's end is seen."""
    mib = 1 << 20
    head = f"<worksheet {NS}><sheetData>".encode()
    cell = b'<row r="9"><c r="C9">'
    for cut in range(0, 4):  # the chunk ends 0..3 bytes into "<f>"
        pad = b" " * (mib - len(head) - len(cell) + cut - 3)
        xml = head + pad + cell + b"<f>1</f></c></row></sheetData></worksheet>"
        assert xml[:mib].endswith(b"<f>"[: 3 - cut] if cut < 3 else b"")
        assert unsaved_formula_rows(lambda xml=xml: io.BytesIO(xml)) == {9}, cut
