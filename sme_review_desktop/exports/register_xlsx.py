"""示范平台名录 as xlsx: every certificate across rounds, with status, duties and revocations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sme_review_desktop.register.platforms import RegisterRow, register_rows
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import Store
from sme_review_desktop.text import xlsx_text
from sme_review_desktop.text.numbering import article_label

COLUMNS = [
    "证书编号",
    "平台名称",
    "运营单位",
    "统一社会信用代码",
    "所在县（市、区）",
    "认定批次",
    "认定日期",
    "有效期至",
    "状态",
    "本月应报",
    "逾期未报",
    "近一年投诉",
    "撤销日期",
    "撤销理由",
    "撤销依据",
]
WIDTHS = [26, 32, 32, 22, 14, 30, 12, 12, 10, 22, 30, 10, 12, 30, 12]


def _duties(items: list[tuple[str, date]]) -> str:
    return "；".join(f"{period}（{due.isoformat()}）" for period, due in items)


def _row(r: RegisterRow) -> list[object]:
    return [
        r.number,
        r.platform_name,
        r.operator_name,
        r.uscc,
        r.county,
        r.round_name,
        r.certified_on,
        r.valid_until,
        r.status,
        _duties(r.reports_due),
        _duties(r.reports_overdue),
        r.complaints_last_year,
        r.revoked_on,
        r.revoke_reason,
        article_label(r.revoke_ground) if r.revoke_ground else ("未登记" if r.revoked_on else ""),
    ]


def write_register(store: Store, target: Path, today: date) -> tuple[Path, int]:
    rows = register_rows(store, today)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "示范平台名录"
    xlsx_text.append(ws, COLUMNS)
    for head in ws[1]:
        head.font = Font(bold=True)
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in rows:
        xlsx_text.append(ws, _row(r))
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for n, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + n)].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    note = wb.create_sheet("说明")
    xlsx_text.append(note, [f"统计日期：{today.isoformat()}"])
    xlsx_text.append(note, ["状态：有效 / 即将到期（90天内到期）/ 已到期 / 已撤销。"])
    xlsx_text.append(
        note, ["本月应报：本月内到期、尚未报送的报告；逾期未报：已过报送期限仍未报送的报告。"]
    )
    target = target if target.suffix.lower() == ".xlsx" else target.with_suffix(".xlsx")
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target, len(rows)
