"""专家评分汇总表: the summary sheet (totals per expert, aggregate, rank) and one sheet per expert."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sme_review_desktop.rounds import get_round
from sme_review_desktop.scoring.decisions import DECISION_LABELS
from sme_review_desktop.scoring.entry import expert_grid
from sme_review_desktop.scoring.experts import expert_names
from sme_review_desktop.scoring.summary import score_summary
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import Store
from sme_review_desktop.text import xlsx_text

_BOLD = Font(bold=True)


def _sheet_name(name: str, taken: set[str]) -> str:
    # Excel forbids some characters and names over 31 characters; keep names unique.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:28] or "专家"
    candidate, n = clean, 2
    while candidate in taken:
        candidate, n = f"{clean}({n})", n + 1
    taken.add(candidate)
    return candidate


def _header(ws: Worksheet, title: str, columns: list[str], widths: list[int]) -> None:
    xlsx_text.append(ws, [title])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    xlsx_text.append(ws, columns)
    for cell in ws[2]:
        cell.font = _BOLD
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A3"


def write_score_summary(store: Store, round_id: int, target: Path) -> Path:
    with store.read() as session:
        round_name = get_round(session, round_id).name
    experts = expert_names(store, round_id)
    rows = sorted(score_summary(store, round_id), key=lambda s: (s.rank is None, s.rank or 0))

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "汇总"
    columns = ["排名", "统一社会信用代码", "平台名称", *experts, "综合得分", "偏离提示", "决定"]
    _header(
        ws, f"{round_name} 专家评分汇总表", columns, [6, 22, 32, *[10] * len(experts), 10, 24, 12]
    )
    for s in rows:
        cells: list[object] = [s.rank if s.rank is not None else "—", s.uscc, s.platform_name]
        for e in experts:
            cells.append("回避" if e in s.absent else (float(s.scores[e]) if e in s.scores else ""))
        cells += [
            float(s.aggregate) if s.aggregate is not None else "",
            "、".join(f"{e}偏离其他专家均分超过15分" for e in sorted(s.outliers)),
            DECISION_LABELS.get(s.decision or "", ""),
        ]
        xlsx_text.append(ws, cells)
    xlsx_text.append(ws, [])
    xlsx_text.append(
        ws, ["说明：有效评分5个及以上时去掉一个最高分和一个最低分后取平均，不足5个时取算术平均。"]
    )

    taken = {"汇总"}
    for expert in experts:
        specs, grid = expert_grid(store, round_id, expert)
        es = wb.create_sheet(_sheet_name(expert, taken))
        names = [c.name for c in specs]
        _header(
            es,
            f"评审专家：{expert}",
            [
                "统一社会信用代码",
                "平台名称",
                *(f"{c.name}（满分{c.max_points:g}）" for c in specs),
                "合计",
            ],
            [22, 32, *[12] * len(specs), 10],
        )
        for r in grid:
            if r.conflicted:
                xlsx_text.append(es, [r.uscc, r.platform_name, "回避", *[""] * len(specs)])
                continue
            values = [float(r.points[n]) if n in r.points else "" for n in names]
            total = sum((r.points[n] for n in names if n in r.points), start=0)
            xlsx_text.append(
                es, [r.uscc, r.platform_name, *values, float(total) if r.points else ""]
            )
    target = target if target.suffix.lower() == ".xlsx" else target.with_suffix(".xlsx")
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
