"""审计记录 as xlsx: what the bureau files or hands to an inspector, newest entry first."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.audit_view import AuditRow
from sme_review_desktop.text import xlsx_text

COLUMNS = [
    "序号",
    "时间",
    "操作人",
    "操作",
    "统一社会信用代码",
    "平台名称",
    "理由",
    "修改前",
    "修改后",
    "系统账户",  # the PC's operating-system account (DOMAIN\\user), beside the typed name
]
WIDTHS = [8, 20, 12, 18, 22, 30, 30, 50, 50, 20]


def write_audit(rows: list[AuditRow], title: str, target: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "审计记录"
    xlsx_text.append(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    xlsx_text.append(ws, COLUMNS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        xlsx_text.append(
            ws,
            [
                r.id,
                r.at.strftime("%Y-%m-%d %H:%M:%S"),
                r.actor,
                r.label,
                r.uscc,
                r.platform_name,
                r.reason,
                r.before,
                r.after,
                r.os_account,
            ],
        )
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row[6:9]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
