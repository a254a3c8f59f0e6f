"""The data form (申报数据表) as the bureau hands it out: blank, or filled for demos and tests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from sme_review_desktop.importing.form import SHEET
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.rules.rulebook import Rulebook
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.text import xlsx_text
from sme_review_desktop.text.numbering import chinese_numeral

FormValue = Decimal | date | bool | str | int | float

HEADER = ("字段代码", "项目", "填报值", "单位", "填写说明")
YES_NO = '"是,否"'


def _cell_value(value: FormValue | None) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_form(
    target: Path, book: Rulebook, values: Mapping[str, FormValue | None] | None = None
) -> Path:
    """Write the measure's data form to ``target`` (atomically); ``values`` fill column C."""
    values = values or {}
    fields = field_catalogue()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    xlsx_text.append(ws, HEADER)
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    yes_no = DataValidation(type="list", formula1=YES_NO, allow_blank=True)
    yes_no.error, yes_no.errorTitle = "请选择“是”或“否”", "填报值无效"
    ws.add_data_validation(yes_no)
    for key in book.form_fields:
        fdef = fields[key]
        label = fdef.label + ("（必填）" if fdef.required else "")
        xlsx_text.append(ws, [key, label, _cell_value(values.get(key)), fdef.unit or "", fdef.help])
        row = ws.max_row
        value_cell = ws.cell(row, 3)
        value_cell.protection = Protection(locked=False)
        if fdef.type == "bool":
            yes_no.add(value_cell)
        elif fdef.type == "enum" and fdef.choices:
            choices = [
                c for c in fdef.choices if key != "platform_type" or c in book.platform_types
            ]
            dv = DataValidation(
                type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
            )
            dv.error, dv.errorTitle = "请从下拉列表中选择", "填报值无效"
            ws.add_data_validation(dv)
            dv.add(value_cell)
        elif fdef.type == "date":
            value_cell.number_format = "yyyy-mm-dd"
        elif fdef.type in ("uscc", "text"):
            value_cell.number_format = "@"
    ws.column_dimensions["A"].width = 4  # present for the importer, narrow for people
    ws.column_dimensions["B"].width = 38
    ws.column_dimensions["C"].width = 30
    ws.column_dimensions["D"].width = 8
    ws.column_dimensions["E"].width = 50
    ws.freeze_panes = "B2"
    ws.protection.sheet = True  # only 填报值 cells are unlocked
    ws.protection.formatColumns = False
    _guide_sheet(wb, book)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


def _guide_sheet(wb: Workbook, book: Rulebook) -> None:
    ws = wb.create_sheet("填写说明")
    ws.column_dimensions["A"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = [
        f"《{book.title}》申报数据表填写说明",
        "",
        "一、在“申报数据”工作表的“填报值”列填写，其他列请勿改动，行的顺序可以调整。",
        "二、金额按“单位”列填写（如资产总额单位为万元，填 350）；也可写明单位，如“350万元”“0.035亿元”“3500000元”。",
        "三、百分比填 86 或 86%；日期填 2019-03-15、2019/3/15 或 2019年3月15日；是/否 从下拉列表选择。",
        "四、没有的数据请留空，不要填 0：留空表示“未填报”，0 表示“数量为零”。",
        "五、证明材料文件（或文件夹）请以材料序号开头命名，如“03_营业执照副本.pdf”或“（三）营业执照副本.pdf”；"
        "文件夹以序号开头时，其中的文件都归入该项材料。未编号的文件归入“其他材料”。",
        "六、将本表与证明材料放在同一个文件夹中（或压缩为一个zip文件）报送；每家单位一份数据表。",
        "",
        f"材料清单（{book.title} 第{chinese_numeral(book.materials_article)}条）：",
    ]
    lines += [f"{m.number:02d}  （{chinese_numeral(m.number)}）{m.title}" for m in book.materials]
    for line in lines:
        xlsx_text.append(ws, [line])
        ws.cell(ws.max_row, 1).alignment = wrap
    ws.cell(1, 1).font = Font(bold=True, size=14)
