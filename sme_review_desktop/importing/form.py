"""Reading the data form (申报数据表): a workbook with a sheet 申报数据 of key / label / value rows.

Parsing a workbook costs far more than reading its bytes, so each one is opened once: finding
the form in a package (``open_form_sheet``) keeps the rows it read, and ``read_form`` types
those instead of opening the workbook again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sme_review_desktop.errors import ImportRejected, ValueFormError
from sme_review_desktop.importing.formulas import unsaved_formula_rows
from sme_review_desktop.importing.values import parse_value
from sme_review_desktop.rules import uscc as uscc_rules
from sme_review_desktop.rules.fields import FieldDef, field_catalogue

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


@dataclass(frozen=True, slots=True)
class _Cell:
    value: Any
    number_format: str | None
    # A formula with no saved result (a workbook written by a script and never opened in Excel
    # or WPS): read as empty, it would pass for "not declared" while the county meant a figure.
    unsaved_formula: bool = False


_Row = tuple[_Cell, _Cell, _Cell]

# A data form is a few dozen rows. The rows of a larger 申报数据 sheet are not kept from
# discovery to import (a batch is discovered whole before the UI imports it): such a form is
# opened again when it is read.
_KEPT_ROWS = 2000


@dataclass(frozen=True)
class FormSheet:
    """The 申报数据 sheet as found when its workbook was opened to look for the form.

    ``rows`` are the sheet's rows (None: not kept, read again); ``error`` is what reading them
    raised, which ``read_form`` reports as an unreadable workbook, as it would have on opening
    it. ``digest`` ties both to the bytes they came from: a file changed since is read afresh.
    """

    digest: bytes
    rows: tuple[_Row, ...] | None
    error: Exception | None = None


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _unreadable(name: str) -> ImportRejected:
    return ImportRejected(
        f"数据表“{name}”无法读取（文件已损坏、已加密或不是Excel工作簿）：请用Excel另存为不加密的 .xlsx 后重新提交。"
    )


def _no_sheet(name: str) -> ImportRejected:
    return ImportRejected(
        f"数据表“{name}”中没有名为“{SHEET}”的工作表：请使用本系统导出的申报模板填写。"
    )


def _open_xlsx(data: bytes) -> Any:
    from openpyxl import load_workbook

    # Read-only: the sheet is parsed while its rows are iterated, never built whole.
    return load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def _xlsx_sheet_rows(wb: Any) -> list[_Row]:
    rows: list[_Row] = []
    ws = wb[SHEET]
    for row in ws.iter_rows(min_row=2, max_col=3):
        cells = [_Cell(c.value, getattr(c, "number_format", None)) for c in row]
        cells += [_Cell(None, None)] * (3 - len(cells))
        rows.append((cells[0], cells[1], cells[2]))
    # The sheet's part is read from the archive openpyxl holds open, not by loading it again.
    for row_no in unsaved_formula_rows(lambda: wb._archive.open(ws._worksheet_path)):
        if 2 <= row_no < len(rows) + 2:
            key, label, value = rows[row_no - 2]
            rows[row_no - 2] = (key, label, _Cell(None, value.number_format, True))
    return rows


def _rows_xlsx(data: bytes, name: str) -> list[_Row]:
    # openpyxl lets whatever its zip and XML parsing meet escape (BadZipFile, ParseError,
    # TypeError from a mangled element, ValueError, KeyError…), and in read-only mode the sheet
    # is parsed only while its rows are iterated: every such failure is a damaged workbook.
    try:
        wb = _open_xlsx(data)
    except Exception as exc:
        raise _unreadable(name) from exc
    try:
        if SHEET not in wb.sheetnames:
            raise _no_sheet(name)
        return _xlsx_sheet_rows(wb)
    except ImportRejected:
        raise
    except Exception as exc:
        raise _unreadable(name) from exc
    finally:
        wb.close()


def _sheet_xlsx(data: bytes) -> FormSheet | None:
    """``open_form_sheet`` for .xlsx: one read-only load finds the sheet and reads its rows."""
    try:
        wb = _open_xlsx(data)
    except Exception:  # unreadable: not a data form (read_form says why if it is one by name)
        return None
    try:
        if SHEET not in wb.sheetnames:
            return None
        try:
            return _kept(data, _xlsx_sheet_rows(wb))
        except Exception as exc:  # the sheet is damaged: reported when the form is read
            return _failed(data, exc)
    finally:
        wb.close()


def _kept(data: bytes, rows: list[_Row]) -> FormSheet:
    return FormSheet(_digest(data), tuple(rows) if len(rows) <= _KEPT_ROWS else None)


def _failed(data: bytes, exc: Exception) -> FormSheet:
    # Without its traceback, whose frames would hold the workbook until the package is imported.
    return FormSheet(_digest(data), None, exc.with_traceback(None))


class _Discard(io.TextIOBase):
    """Where xlrd's warnings go: by default it prints them to stdout, into the CLI's JSON."""

    def write(self, s: str) -> int:
        return len(s)


def _open_xls(data: bytes) -> Any:
    import xlrd

    return xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=_Discard())


def _rows_xls(data: bytes, name: str) -> list[_Row]:
    try:
        book = _open_xls(data)
    except Exception as exc:  # xlrd raises bare XLRDError / struct errors on bad input
        raise _unreadable(name) from exc
    if SHEET not in book.sheet_names():
        raise _no_sheet(name)
    try:
        return _xls_sheet_rows(book, book.sheet_by_name(SHEET))
    except Exception as exc:  # a damaged record (an XF or format index out of range…)
        raise _unreadable(name) from exc


def _sheet_xls(data: bytes) -> FormSheet | None:
    """``open_form_sheet`` for .xls: the full open that reading needs, when it succeeds."""
    try:
        book = _open_xls(data)
    except Exception as exc:
        # Reading with formats failed; whether the workbook is a form is still decided by its
        # sheet list alone, and the failure is reported when the form is read.
        return _failed(data, exc) if _has_sheet_xls(data) else None
    if SHEET not in book.sheet_names():
        return None
    try:
        return _kept(data, _xls_sheet_rows(book, book.sheet_by_name(SHEET)))
    except Exception as exc:  # a damaged record (an XF or format index out of range…)
        return _failed(data, exc)


def _has_sheet_xls(data: bytes) -> bool:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=_Discard())
        return SHEET in book.sheet_names()
    except Exception:  # any unreadable workbook is simply not a data form
        return False


def _xls_sheet_rows(book: Any, sheet: Any) -> list[_Row]:
    import xlrd

    rows: list[_Row] = []
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
    """Whether a workbook is a data form (has a 申报数据 sheet); unreadable ones are not.

    Only the sheet list is read; ``open_form_sheet`` when the form's rows will be wanted.
    """
    if name.lower().endswith(".xls"):
        return _has_sheet_xls(data)
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True)
        try:
            return SHEET in wb.sheetnames
        finally:
            wb.close()
    except Exception:  # any unreadable workbook is simply not a data form
        return False


def open_form_sheet(data: bytes, name: str) -> FormSheet | None:
    """Open a workbook once to see whether it is a data form; if so, keep its sheet's rows.

    None when it is not one: no 申报数据 sheet, or not readable as a workbook at all, as for
    ``has_form_sheet``. ``name`` (the file's) says whether it is an .xls.
    """
    return _sheet_xls(data) if name.lower().endswith(".xls") else _sheet_xlsx(data)


def _rows(data: bytes, name: str, sheet: FormSheet | None) -> Sequence[_Row]:
    if sheet is not None and sheet.digest == _digest(data):
        if sheet.error is not None:
            raise _unreadable(name) from sheet.error
        if sheet.rows is not None:
            return sheet.rows
    return _rows_xls(data, name) if name.lower().endswith(".xls") else _rows_xlsx(data, name)


def read_form(data: bytes, name: str, sheet: FormSheet | None = None) -> DataForm:
    """Read and type one data form; anything unreadable or invalid is ImportRejected.

    ``name`` is how the form is named in messages (the package and file). ``sheet`` is what
    ``open_form_sheet`` found in these bytes, so the workbook is not opened a second time.
    """
    rows = _rows(data, name, sheet)
    catalogue = field_catalogue()
    values: dict[str, Typed] = {}
    raw: dict[str, str] = {}
    unknown: dict[str, str] = {}
    seen: dict[str, int] = {}
    unsaved: list[str] = []
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
        if fdef is not None and value_cell.unsaved_formula:
            unsaved.append(f"第{row_no}行“{fdef.label}”（C{row_no}）")
            continue
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
    if unsaved:
        raise ImportRejected(
            f"申报数据表“{name}”{'、'.join(unsaved)}是公式但没有保存计算结果："
            "请县区用 Excel 或 WPS 打开申报数据表并保存后重新报送。"
        )
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
