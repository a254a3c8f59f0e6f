"""Minutes of the review meeting (会议纪要): a GB/T 9704 PDF and an xlsx, with signature lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports import fonts
from sme_review_desktop.exports.gov_doc import build
from sme_review_desktop.exports.gov_grid import cn_date
from sme_review_desktop.exports.gov_parts import Blank, Para, Part, Table, Title
from sme_review_desktop.exports.notice import check_lines
from sme_review_desktop.exports.pdf_kit import check_glyphs
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.approval import round_exceptions
from sme_review_desktop.scoring.decisions import DECISION_LABELS
from sme_review_desktop.scoring.experts import expert_names, list_conflicts
from sme_review_desktop.scoring.summary import score_summary
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.audit import audit_check_code
from sme_review_desktop.store.database import Store
from sme_review_desktop.text import xlsx_text
from sme_review_desktop.text.numbers import plain


def _content(
    store: Store, round_id: int
) -> tuple[str, list[str], list[list[str]], list[list[str]]]:
    with store.read() as session:
        rnd = get_round(session, round_id)
        title = f"{get_rulebook(rnd.rulebook_id).city}中小企业公共服务示范平台认定评审会议纪要"
        name = rnd.name
        exceptions = round_exceptions(session, round_id)
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
                DECISION_LABELS.get(s.decision or "", "未决定")
                + ("（例外认定）" if s.dossier_id in exceptions else ""),
                s.reason
                + (
                    f"（例外认定理由：{exceptions[s.dossier_id]}）"
                    if s.dossier_id in exceptions
                    else ""
                ),
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
        texts = [(title, "标题")] + [(r[1] + r[2] + r[6], f"“{r[1]}”一行") for r in rows]
        check_glyphs(texts, fonts.body_font(), fallback=True)
        _pdf(target, title, when, experts, conflicts, rows, audit_check_code(store))
    elif suffix == ".xlsx":
        _xlsx(target, title, when, experts, conflicts, rows)
    else:
        raise UserError("会议纪要只能导出为 .pdf 或 .xlsx 文件。")
    return target


def parts(
    title: str,
    when: date,
    experts: list[str],
    conflicts: list[list[str]],
    rows: list[list[str]],
) -> list[Part]:
    """The minutes on the GB/T 9704 page: headings in 黑体, the tables within the type area."""
    heading, _, round_name = title.partition("（")
    out: list[Part] = [
        Title(heading),
        Para(f"（{round_name}", indent=0, align="center"),
        Blank(),
        Para(f"会议时间：{cn_date(when)}", align="left"),
        Para(f"出席专家（{len(experts)}人）：{'、'.join(experts) or '（未登记）'}。"),
        Para("一、回避情况", align="left", role=fonts.HEADING),
    ]
    if conflicts:
        out.append(Table(["专家", "回避单位", "原因"], conflicts, ["center", "left", "left"]))
    else:
        out.append(Para("无专家声明回避。"))
    out += [
        Para("二、评分与决定", align="left", role=fonts.HEADING),
        Para(
            "综合得分：有效评分5个及以上时去掉一个最高分和一个最低分后取平均，不足5个时取算术平均。"
        ),
        Table(
            ["序号", "平台名称", "专家评分", "综合得分", "排名", "决定", "理由"],
            rows,
            ["center", "left", "left", "center", "center", "center", "left"],
            sizes=(12, 10.5),
            max_lines=4,
        ),
        Blank(),
        Para("专家组组长（签字）：＿＿＿＿＿＿　　日期：＿＿＿＿＿", align="left"),
        # Members' blanks wrap under the first (hang: 2 + 10 characters of the label).
        Para(
            "专家组成员（签字）：" + "　".join("＿＿＿＿＿" for _ in experts), align="left", hang=12
        ),
        Para("记录人（签字）：＿＿＿＿＿＿　　日期：＿＿＿＿＿", align="left"),
    ]
    return out


def _pdf(
    target: Path,
    title: str,
    when: date,
    experts: list[str],
    conflicts: list[list[str]],
    rows: list[list[str]],
    check_code: str = "",
) -> None:
    with atomic_path(target) as tmp:
        build(tmp, title, parts(title, when, experts, conflicts, rows) + check_lines(check_code))


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
