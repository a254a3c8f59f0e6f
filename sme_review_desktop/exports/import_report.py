"""The import report (导入结果) as an xlsx a clerk can file or send back to a county."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sme_review_desktop.importing.service import ImportResult
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.text import xlsx_text

STATUS_LABELS = {
    "imported": "已导入",
    "new_version": "新版本（补正材料）",
    "unchanged": "未变（与最新版本完全相同）",
    "rejected": "退回",
    "cancelled": "已取消（未导入）",
}


def write_import_report(target: Path, results: Iterable[ImportResult]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "导入结果"
    xlsx_text.append(
        ws, ["序号", "申报材料", "结果", "统一社会信用代码", "平台名称", "版本", "原因或提示"]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, r in enumerate(results, start=1):
        notes = "；".join(r.errors + r.warnings)
        xlsx_text.append(
            ws,
            [
                n,
                r.path,
                STATUS_LABELS.get(r.status, r.status),
                r.uscc or "",
                r.platform_name or "",
                r.version or "",
                notes,
            ],
        )
        ws.cell(ws.max_row, 7).alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFG", (6, 40, 18, 22, 30, 6, 80), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
