"""Minutes of the review meeting (会议纪要): PDF and xlsx, with signature lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports import xlsx_text
from sme_review_desktop.exports.pdf_kit import build_a4, check_glyphs, grid, styles
from sme_review_desktop.numbers import plain
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.service import (
    DECISION_LABELS,
    expert_names,
    list_conflicts,
    score_summary,
)
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import Store


def _content(
    store: Store, round_id: int
) -> tuple[str, list[str], list[list[str]], list[list[str]]]:
    with store.read() as session:
        rnd = get_round(session, round_id)
        title = f"{get_rulebook(rnd.rulebook_id).city}中小企业公共服务示范平台认定评审会议纪要"
        name = rnd.name
    experts = expert_names(store, round_id)
    conflicts = [[c.expert, c.platform_name, c.reason] for c in list_conflicts(store, round_id)]
    rows = []
    for n, s in enumerate(
        sorted(score_summary(store, round_id), key=lambda s: (s.rank is None, s.rank or 0)), start=1
    ):
        scores = "；".join(
            f"{e}：{'回避' if e in s.absent else (plain(s.scores[e]) if e in s.scores else '未评')}"
            + ("（偏离＞15分）" if e in s.outliers else "")
            for e in experts
        )
        rows.append(
            [
                str(n),
                s.platform_name,
                scores,
                "—" if s.aggregate is None else str(s.aggregate),
                "—" if s.rank is None else str(s.rank),
                DECISION_LABELS.get(s.decision or "", "未决定"),
                s.reason,
            ]
        )
    return f"{title}（{name}）", experts, conflicts, rows


def write_minutes(
    store: Store, round_id: int, target: Path, *, meeting_date: date | None = None
) -> Path:
    """The minutes as .pdf or .xlsx, by the target's suffix."""
    title, experts, conflicts, rows = _content(store, round_id)
    when = meeting_date or date.today()
    suffix = target.suffix.lower()
    if suffix == ".pdf":
        check_glyphs([(title, "标题")] + [(r[1] + r[2] + r[6], f"“{r[1]}”一行") for r in rows])
        _pdf(target, title, when, experts, conflicts, rows)
    elif suffix == ".xlsx":
        _xlsx(target, title, when, experts, conflicts, rows)
    else:
        raise UserError("会议纪要只能导出为 .pdf 或 .xlsx 文件。")
    return target


def _pdf(
    target: Path,
    title: str,
    when: date,
    experts: list[str],
    conflicts: list[list[str]],
    rows: list[list[str]],
) -> None:
    st = styles()
    story = [
        Paragraph(title, st["title"]),
        Paragraph(f"会议日期：{when.year}年{when.month}月{when.day}日", st["body"]),
        Paragraph(
            f"出席专家（{len(experts)}人）：{'、'.join(experts) or '（未登记）'}", st["body"]
        ),
        Paragraph("一、回避情况", st["h2"]),
    ]
    if conflicts:
        story.append(grid([["专家", "回避单位", "原因"], *conflicts], [30 * mm, 80 * mm, 60 * mm]))
    else:
        story.append(Paragraph("无专家声明回避。", st["body"]))
    story += [
        Paragraph("二、评分与决定", st["h2"]),
        Paragraph(
            "综合得分：有效评分5个及以上时去掉一个最高分和一个最低分后取平均，不足5个时取算术平均。",
            st["small"],
        ),
        grid(
            [["序号", "平台名称", "专家评分", "综合得分", "排名", "决定", "理由"], *rows],
            [10 * mm, 36 * mm, 52 * mm, 16 * mm, 11 * mm, 18 * mm, 27 * mm],
        ),
        Spacer(1, 14 * mm),
        Paragraph("专家组组长（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿", st["body"]),
        Spacer(1, 8 * mm),
        Paragraph("专家组成员（签字）：" + "　".join("＿＿＿＿＿＿" for _ in experts), st["body"]),
        Spacer(1, 8 * mm),
        Paragraph("记录人（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿＿＿", st["body"]),
    ]
    with atomic_path(target) as tmp:
        build_a4(tmp, title, story)


def _xlsx(
    target: Path,
    title: str,
    when: date,
    experts: list[str],
    conflicts: list[list[str]],
    rows: list[list[str]],
) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "会议纪要"
    xlsx_text.append(ws, [title])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    xlsx_text.append(ws, [f"会议日期：{when.isoformat()}"])
    xlsx_text.append(ws, [f"出席专家：{'、'.join(experts)}"])
    xlsx_text.append(ws, [])
    xlsx_text.append(ws, ["序号", "平台名称", "专家评分", "综合得分", "排名", "决定", "理由"])
    for cell in ws[5]:
        cell.font = Font(bold=True)
    for row in rows:
        xlsx_text.append(ws, row)
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    xlsx_text.append(ws, [])
    xlsx_text.append(ws, ["专家组组长（签字）：", "", "", "日期："])
    xlsx_text.append(ws, ["记录人（签字）：", "", "", "日期："])
    for col, width in zip("ABCDEFG", (6, 30, 50, 10, 6, 12, 30), strict=True):
        ws.column_dimensions[col].width = width
    cs = wb.create_sheet("回避情况")
    xlsx_text.append(cs, ["专家", "回避单位", "原因"])
    for c in conflicts:
        xlsx_text.append(cs, c)
    with atomic_path(target) as tmp:
        wb.save(tmp)
