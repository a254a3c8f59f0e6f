"""Reading the data form (申报数据表): a workbook with a sheet 申报数据 of key / label / value rows."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .. import uscc as uscc_rules
from ..errors import ImportRejected, ValueFormError
from ..fields import FieldDef, field_catalogue
from .values import parse_value

SHEET = "申报数据"
FORM_SUFFIXES = (".xlsx", ".xls")

Typed = Decimal | date | bool | str


@dataclass
class DataForm:
    """The values of one data form, typed, with what the county typed kept beside them."""

    values: dict[str, Typed]
    raw: dict[str, str]
    unknown: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def uscc(self) -> str:
        return str(self.values["uscc"])


@dataclass(frozen=True)
class _Cell:
    value: Any
    number_format: str | None


def _unreadable(name: str) -> ImportRejected:
    return ImportRejected(
        f"数据表“{name}”无法读取（文件已损坏、已加密或不是Excel工作簿）：请用Excel另存为不加密的 .xlsx 后重新提交。"
    )


def _rows_xlsx(data: bytes, name: str) -> list[tuple[_Cell, _Cell, _Cell]]:
    from openpyxl import load_workbook

    # openpyxl lets whatever its zip and XML parsing meet escape (BadZipFile, ParseError,
    # TypeError from a mangled element, ValueError, KeyError…), and in read-only mode the sheet
    # is parsed only while its rows are iterated: every such failure is a damaged workbook.
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise _unreadable(name) from exc
    try:
        if SHEET not in wb.sheetnames:
            raise ImportRejected(
                f"数据表“{name}”中没有名为“{SHEET}”的工作表：请使用本系统导出的申报模板填写。"
            )
        rows: list[tuple[_Cell, _Cell, _Cell]] = []
        for row in wb[SHEET].iter_rows(min_row=2, max_col=3):
            cells = [_Cell(c.value, getattr(c, "number_format", None)) for c in row]
            cells += [_Cell(None, None)] * (3 - len(cells))
            rows.append((cells[0], cells[1], cells[2]))
        return rows
    except ImportRejected:
        raise
    except Exception as exc:
        raise _unreadable(name) from exc
    finally:
        wb.close()


class _Discard(io.TextIOBase):
    """Where xlrd's warnings go: by default it prints them to stdout, into the CLI's JSON."""

    def write(self, s: str) -> int:
        return len(s)


def _rows_xls(data: bytes, name: str) -> list[tuple[_Cell, _Cell, _Cell]]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=_Discard())
    except Exception as exc:  # xlrd raises bare XLRDError / struct errors on bad input
        raise _unreadable(name) from exc
    if SHEET not in book.sheet_names():
        raise ImportRejected(
            f"数据表“{name}”中没有名为“{SHEET}”的工作表：请使用本系统导出的申报模板填写。"
        )
    try:
        return _xls_sheet_rows(book, book.sheet_by_name(SHEET))
    except Exception as exc:  # a damaged record (an XF or format index out of range…)
        raise _unreadable(name) from exc


def _xls_sheet_rows(book: Any, sheet: Any) -> list[tuple[_Cell, _Cell, _Cell]]:
    import xlrd

    rows: list[tuple[_Cell, _Cell, _Cell]] = []
    for r in range(1, sheet.nrows):
        cells: list[_Cell] = []
        for c in range(3):
            if c >= sheet.ncols:
                cells.append(_Cell(None, None))
                continue
            cell = sheet.cell(r, c)
            fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
            value: Any = cell.value
            if cell.ctype == xlrd.XL_CELL_DATE:
                # no day (negative, too large): the serial goes on as a number, for the field
                # to judge with its name in the message
                with contextlib.suppress(xlrd.xldate.XLDateError, ValueError, OverflowError):
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(cell.value)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                value = None
            cells.append(_Cell(value, fmt))
        rows.append((cells[0], cells[1], cells[2]))
    return rows


def _display(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def has_form_sheet(data: bytes, name: str) -> bool:
    """Whether a workbook is a data form (has a 申报数据 sheet); unreadable ones are not."""
    try:
        if name.lower().endswith(".xls"):
            import xlrd

            book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=_Discard())
            return SHEET in book.sheet_names()
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True)
        try:
            return SHEET in wb.sheetnames
        finally:
            wb.close()
    except Exception:  # any unreadable workbook is simply not a data form
        return False


def read_form(data: bytes, name: str) -> DataForm:
    """Read and type one data form; anything unreadable or invalid is ImportRejected.

    ``name`` is how the form is named in messages (the package and file).
    """
    rows = _rows_xls(data, name) if name.lower().endswith(".xls") else _rows_xlsx(data, name)
    catalogue = field_catalogue()
    values: dict[str, Typed] = {}
    raw: dict[str, str] = {}
    unknown: dict[str, str] = {}
    seen: dict[str, int] = {}
    for row_no, (key_cell, _label, value_cell) in enumerate(rows, start=2):
        key = str(key_cell.value).strip() if key_cell.value is not None else ""
        if not key:
            continue
        if key in seen:
            raise ImportRejected(
                f"数据表“{name}”中字段代码“{key}”出现两次（第{seen[key]}行和第{row_no}行）：请删除重复的一行。"
            )
        seen[key] = row_no
        if value_cell.value is not None and str(value_cell.value).strip():
            raw[key] = _display(value_cell.value)
        fdef = catalogue.get(key)
        if fdef is None:
            if key in raw:
                unknown[key] = raw[key]
            continue
        try:
            typed = _typed(fdef, value_cell)
        except ValueFormError as exc:
            raise ImportRejected(f"数据表“{name}”第{row_no}行：{exc.message}") from exc
        if typed is not None:
            values[key] = typed
    for fdef in catalogue.values():
        if fdef.required and fdef.key not in values:
            raise ImportRejected(
                f"数据表“{name}”缺少必填字段“{fdef.label}”（{fdef.key}）：请填写后重新提交。"
            )
    code = uscc_rules.normalize(str(values["uscc"]))
    check = uscc_rules.validate(code)
    if not check.ok:
        raise ImportRejected(
            f"数据表“{name}”的统一社会信用代码“{code}”无效：{'；'.join(check.errors)}。请核对营业执照或法人证书。"
        )
    values["uscc"] = code
    warnings = list(check.warnings)
    implied = uscc_rules.implied_legal_form(code)
    declared = values.get("legal_form")
    if isinstance(declared, str) and implied and declared != implied:
        warnings.append(
            f"申报单位性质为“{declared}”，但统一社会信用代码以{code[:2]}开头，对应“{implied}”，请核实。"
        )
    return DataForm(values=values, raw=raw, unknown=unknown, warnings=warnings)


def _typed(fdef: FieldDef, cell: _Cell) -> Typed | None:
    value = cell.value
    if isinstance(value, datetime) and fdef.type == "date":
        value = value.date()
    result: Typed | None = parse_value(
        fdef.type,
        value,
        unit=fdef.unit,
        number_format=cell.number_format,
        field_label=fdef.label,
        choices=list(fdef.choices) or None,
    )
    return result
