"""Offline score sheets: one protected workbook per expert, and reading them back.

The sheet's visible layout is a pure function of a payload (round, expert, criteria, dossiers,
the sheet's issue id) that is kept, signed with the installation's sheet key (kept outside the
database and its backups: scoring/sheet_issues), on a very hidden sheet. Reading a sheet back rebuilds
the layout from the payload and compares every cell outside the score cells, so an edit anywhere
else is found and named by its cell; the signature makes the payload itself tamper-evident.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import secrets
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sme_review_desktop.errors import UserError
from sme_review_desktop.models.base import utcnow
from sme_review_desktop.rounds import find_dossier, get_round
from sme_review_desktop.scoring.entry import apply_scores, check_open, expert_grid
from sme_review_desktop.scoring.experts import find_expert
from sme_review_desktop.scoring.scheme import ScoringError
from sme_review_desktop.scoring.sheet_issues import (
    OlderSheet,
    check_issue,
    local_time,
    record_issue,
    signing_key,
)
from sme_review_desktop.store import audit
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import Store
from sme_review_desktop.text import xlsx_text
from sme_review_desktop.text.numbers import plain

SHEET = "评分表"
CHECK_SHEET = "校验"
FORMAT = "sme-review-score-sheet/1"
FIRST_ROW = 6  # the first dossier row; rows above are the title and the header
FIRST_SCORE_COL = 4  # A 序号, B 统一社会信用代码, C 平台名称, then one column per criterion
CHUNK = 30000  # a cell holds at most 32,767 characters
KEY_SETTING = "_sheet_key"  # where older releases kept a per-round key; removed when seen
MAX_UNPACKED = 20 * 1024 * 1024  # a sheet of thousands of dossiers unpacks to a few MB


@dataclass
class SheetResult:
    path: Path
    status: str  # "imported" | "rejected" | "empty" (no score filled in: nothing changed)
    expert: str = ""  # the expert the sheet was issued to, whose scores it holds
    count: int = 0  # dossiers whose points were stored
    errors: list[str] = field(default_factory=list)
    older: bool = False  # refused as older than one imported: may be confirmed (replace_newer)
    sheet_id: str = ""
    issued_at: str = ""  # local time, as shown
    imported_by: str = ""

    @property
    def summary(self) -> str:
        """One line: who imported which expert's sheet, or why not."""
        if self.status == "imported":
            return (
                f"{self.imported_by}为专家“{self.expert}”导入了评分表（发出于{self.issued_at}），"
                f"{self.count}家单位的分数已保存"
            )
        if self.status == "empty":
            return f"专家“{self.expert}”的评分表中没有填写任何分数，未作任何改动"
        return "；".join(self.errors)


def _layout(payload: dict[str, Any]) -> dict[str, Any]:
    """Every fixed cell of the visible sheet, by reference (e.g. "B7")."""
    criteria = payload["criteria"]
    last = get_column_letter(FIRST_SCORE_COL + len(criteria) - 1)
    total_col = get_column_letter(FIRST_SCORE_COL + len(criteria))
    cells: dict[str, Any] = {
        "A1": payload["title"],
        "A2": f"批次：{payload['round_name']}（编号{payload['round_id']}）",
        "A3": f"评审专家：{payload['expert']}",
        "A4": "说明：只在黄色单元格内填写分数（可带小数），不得超过该项满分；空白表示未评。"
        "请勿改动其他内容，否则导入时将被拒收。",
        "A5": "序号",
        "B5": "统一社会信用代码",
        "C5": "平台名称",
        f"{total_col}5": "合计",
    }
    for n, (name, maximum) in enumerate(criteria):
        cells[f"{get_column_letter(FIRST_SCORE_COL + n)}5"] = f"{name}（{maximum}分）"
    for n, (uscc, platform) in enumerate(payload["dossiers"]):
        row = FIRST_ROW + n
        cells[f"A{row}"] = n + 1
        cells[f"B{row}"] = uscc
        cells[f"C{row}"] = platform
        cells[f"{total_col}{row}"] = f"=SUM({get_column_letter(FIRST_SCORE_COL)}{row}:{last}{row})"
    if payload["absent"]:
        row = FIRST_ROW + len(payload["dossiers"]) + 1
        cells[f"A{row}"] = "回避（不在本表中评分）：" + "、".join(payload["absent"])
    return cells


def _total_refs(payload: dict[str, Any]) -> set[str]:
    total_col = get_column_letter(FIRST_SCORE_COL + len(payload["criteria"]))
    return {f"{total_col}{FIRST_ROW + n}" for n in range(len(payload["dossiers"]))}


def _signature(key: str, body: str) -> str:
    return hmac.new(key.encode(), body.encode("utf-8"), hashlib.sha256).hexdigest()


def write_score_sheet(
    store: Store, round_id: int, expert_name: str, target: Path, actor: str
) -> Path:
    """The expert's protected workbook: only the score cells editable, with range validation."""
    specs, rows = expert_grid(store, round_id, expert_name)
    key = signing_key(store, create=True)
    assert key is not None
    with store.write() as session:
        rnd = get_round(session, round_id)
        if KEY_SETTING in rnd.settings:  # an older release's key: out of the database now
            rnd.settings = {k: v for k, v in rnd.settings.items() if k != KEY_SETTING}
        expert = find_expert(session, round_id, expert_name)
        usccs = [r.uscc for r in rows if not r.conflicted]
        payload: dict[str, Any] = {
            "format": FORMAT,
            "title": f"{rnd.name} 专家评分表",
            "round_id": round_id,
            "round_name": rnd.name,
            "expert": expert.name,
            "criteria": [[s.name, plain(s.max_points)] for s in specs],
            "dossiers": [[r.uscc, r.platform_name] for r in rows if not r.conflicted],
            "absent": [r.platform_name for r in rows if r.conflicted],
        }
        issue = record_issue(session, round_id, expert.name, usccs, actor)
        payload["sheet_id"] = issue.id
        entry = audit.record(
            session,
            actor,
            "score.sheet_written",
            round_id=round_id,
            after={"expert": expert.name, "dossiers": len(usccs), "sheet_id": issue.id},
        )
        issue.issued_by = entry.actor  # on a server the login's registered name (audit.record)
    points = {r.uscc: r.points for r in rows}
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True)

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    totals = _total_refs(payload)
    for ref, value in _layout(payload).items():
        if ref in totals:
            ws[ref] = value  # the one formula the app writes: =SUM over the row's scores
        else:
            xlsx_text.put(ws[ref], value)
    _style(ws, payload)
    for n, (uscc, _) in enumerate(payload["dossiers"]):
        for c, (name, _) in enumerate(payload["criteria"]):
            cell = ws.cell(FIRST_ROW + n, FIRST_SCORE_COL + c)
            if name in points.get(uscc, {}):
                cell.value = float(points[uscc][name])
    check = wb.create_sheet(CHECK_SHEET)
    check.sheet_state = "veryHidden"
    chunks = [body[i : i + CHUNK] for i in range(0, len(body), CHUNK)] or [""]
    check["A1"] = FORMAT
    check["B1"] = _signature(key, body)
    for n, chunk in enumerate(chunks, start=2):
        xlsx_text.put(check[f"A{n}"], chunk)  # a chunk may start with "=" or "-"
    check.protection.sheet = True
    check.protection.password = secrets.token_hex(8)
    target = target if target.suffix.lower() == ".xlsx" else target.with_suffix(".xlsx")
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


def _style(ws: Worksheet, payload: dict[str, Any]) -> None:
    n_criteria = len(payload["criteria"])
    n_rows = len(payload["dossiers"])
    total_col = FIRST_SCORE_COL + n_criteria
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="FFF2CC")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=total_col)
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=total_col)
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A4"].alignment = Alignment(wrap_text=True)
    ws.row_dimensions[4].height = 32
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 34
    for col in range(FIRST_SCORE_COL, total_col + 1):
        ws.column_dimensions[get_column_letter(col)].width = 14
    for col in range(1, total_col + 1):
        head = ws.cell(5, col)
        head.font = Font(bold=True)
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = box
    ws.row_dimensions[5].height = 32
    for c, (name, maximum) in enumerate(payload["criteria"]):
        col = FIRST_SCORE_COL + c
        letter = get_column_letter(col)
        if n_rows:
            rule = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=str(maximum),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="分数超出范围",
                error=f"“{name}”的分数应在0到{maximum}分之间。",
            )
            rule.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + n_rows - 1}")
            ws.add_data_validation(rule)
        for row in range(FIRST_ROW, FIRST_ROW + n_rows):
            cell = ws.cell(row, col)
            cell.protection = Protection(locked=False)
            cell.fill = fill
            cell.border = box
            cell.number_format = "0.##"
    for row in range(FIRST_ROW, FIRST_ROW + n_rows):
        for col in (1, 2, 3, total_col):
            ws.cell(row, col).border = box
    ws.freeze_panes = f"{get_column_letter(FIRST_SCORE_COL)}{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.password = secrets.token_hex(8)
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "5:5"


def _read_payload(
    wb: Any, round_id: int, key: str | None
) -> tuple[dict[str, Any] | None, list[str]]:
    """The signed payload, or why the sheet cannot be trusted; nothing unsigned gets through."""
    if SHEET not in wb.sheetnames or CHECK_SHEET not in wb.sheetnames:
        return None, ["这不是本系统导出的专家评分表（缺少“评分表”或校验信息）。"]
    check = wb[CHECK_SHEET]
    if not isinstance(check, Worksheet) or not isinstance(wb[SHEET], Worksheet):
        return None, ["这不是本系统导出的专家评分表（“评分表”或校验信息不是工作表）。"]
    if check["A1"].value != FORMAT:
        return None, ["评分表的校验信息已损坏或版本不符。"]
    parts: list[str] = []
    row = 2
    while isinstance(chunk := check.cell(row, 1).value, str):
        parts.append(chunk)
        row += 1
    body = "".join(parts)
    try:
        payload = json.loads(body)
        sheet_round = int(payload["round_id"])
    except (ValueError, KeyError, TypeError, IndexError):
        return None, ["评分表的校验信息已损坏，无法读取。"]
    if sheet_round != round_id:
        return None, [
            f"该评分表属于批次“{payload.get('round_name', '')}”（编号{sheet_round}），"
            f"不是本批次（编号{round_id}）。"
        ]
    signature = check["B1"].value
    # bytes, not str: compare_digest refuses non-ASCII text with a TypeError
    if (
        key is None
        or not isinstance(signature, str)
        or not hmac.compare_digest(
            _signature(key, body).encode(), signature.encode("utf-8", "replace")
        )
    ):
        return None, ["评分表的校验信息被改动过（签名不符），不能导入。"]
    return payload, []


def _too_big(data: bytes) -> bool:
    """A real sheet unpacks to well under a megabyte; far more is a zip bomb, not a sheet."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return sum(i.file_size for i in zf.infolist()) > MAX_UNPACKED
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return False  # not a zip (or a damaged one): load_workbook says so


def _read_sheet(
    path: Path, round_id: int, key: str | None
) -> tuple[dict[str, Any] | None, dict[str, dict[str, Decimal | None]], list[str]]:
    # read into memory first: openpyxl leaves the file open (locked, on Windows) when it fails
    try:
        too_big = path.stat().st_size > MAX_UNPACKED
        data = b"" if too_big else path.read_bytes()
    except OSError as exc:
        return None, {}, [f"无法读取评分表：{exc.strerror or type(exc).__name__}"]
    if too_big or _too_big(data):
        return None, {}, ["评分表过大（解压后超过20 MB），不是本系统导出的专家评分表。"]
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        return None, {}, [f"无法打开评分表：{type(exc).__name__}"]
    payload, errors = _read_payload(wb, round_id, key)
    if payload is None:
        return None, {}, errors
    ws = wb[SHEET]
    layout = _layout(payload)
    criteria = payload["criteria"]
    n_rows = len(payload["dossiers"])
    score_cells = {
        f"{get_column_letter(FIRST_SCORE_COL + c)}{FIRST_ROW + r}"
        for r in range(n_rows)
        for c in range(len(criteria))
    }
    for ref, expected in layout.items():
        found = ws[ref].value
        if found != expected:  # 1 == 1.0, so a resaved 序号 still matches
            errors.append(f"单元格{ref}被改动（应为“{expected}”，现为“{found or ''}”）。")
    for row in ws.iter_rows():
        for cell in row:
            ref = cell.coordinate
            if cell.value not in (None, "") and ref not in layout and ref not in score_cells:
                errors.append(f"单元格{ref}不应有内容（现为“{cell.value}”）。")
    points: dict[str, dict[str, Decimal | None]] = {}
    for r, (uscc, _) in enumerate(payload["dossiers"]):
        row_points: dict[str, Decimal | None] = {}
        for c, (name, maximum) in enumerate(criteria):
            ref = f"{get_column_letter(FIRST_SCORE_COL + c)}{FIRST_ROW + r}"
            value = ws[ref].value
            if value is None or (isinstance(value, str) and not value.strip()):
                row_points[name] = None
                continue
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                errors.append(f"单元格{ref}（{name}）不是数字：“{value}”。")
                continue
            if not number.is_finite() or not (0 <= number <= Decimal(maximum)):
                errors.append(
                    f"单元格{ref}（{name}）的分数{value}超出范围：应在0到{maximum}分之间。"
                )
                continue
            row_points[name] = number
        points[uscc] = row_points
    return payload, points, errors


def import_score_sheets(
    store: Store, round_id: int, paths: list[Path], actor: str, *, replace_newer: bool = False
) -> list[SheetResult]:
    """Read sheets back; each is stored in one transaction, or refused whole.

    Only what a sheet fills in is stored (a blank cell leaves that score as it is; a sheet with
    nothing filled in changes nothing). ``replace_newer`` confirms importing a sheet issued
    before one already imported for the same expert.
    """
    with store.read() as session:
        get_round(session, round_id)
    key = signing_key(store, create=False)  # None: no sheet was ever issued here

    results = []
    for path in paths:
        payload, points, errors = _read_sheet(path, round_id, key)
        expert = payload["expert"] if payload else ""
        if errors or payload is None:
            results.append(SheetResult(path, "rejected", expert, 0, errors))
            continue
        try:
            results.append(
                _store_points(store, round_id, payload, points, path, actor, replace_newer)
            )
        except UserError as exc:
            older = isinstance(exc, OlderSheet)
            results.append(SheetResult(path, "rejected", expert, 0, [exc.message], older))
    return results


def _store_points(
    store: Store,
    round_id: int,
    payload: dict[str, Any],
    points: dict[str, dict[str, Decimal | None]],
    path: Path,
    actor: str,
    replace_newer: bool,
) -> SheetResult:
    filled = {
        uscc: {name: v for name, v in row.items() if v is not None} for uscc, row in points.items()
    }
    with store.write() as session:
        issue = check_issue(session, round_id, payload, replace_newer=replace_newer)
        result = SheetResult(
            path, "empty", issue.expert, 0, sheet_id=issue.id, issued_at=local_time(issue.issued_at)
        )
        if not any(filled.values()):
            return result  # nothing written, nothing logged: the sheet said nothing
        check_open(session, get_round(session, round_id))
        expert = find_expert(session, round_id, issue.expert)
        for r, (uscc, _) in enumerate(payload["dossiers"]):
            if not filled[uscc]:
                continue
            try:
                dossier = find_dossier(session, round_id, uscc)
                apply_scores(session, expert, dossier, dict(filled[uscc]), actor)
            except UserError as exc:
                raise ScoringError(f"第{FIRST_ROW + r}行（{uscc}）：{exc.message}") from None
            result.count += 1
        entry = audit.record(
            session,
            actor,
            "score.sheet_imported",
            round_id=round_id,
            after={
                "expert": expert.name,
                "file": path.name,
                "dossiers": result.count,
                "sheet_id": issue.id,
                "issued_at": result.issued_at,
                "issued_by": issue.issued_by,
            },
        )
        issue.imported_at = utcnow()
        issue.imported_by = entry.actor  # the registered name on a server
        result.status, result.imported_by = "imported", entry.actor
        return result
