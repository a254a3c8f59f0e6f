"""Word versions of the 公示名单/认定名单, 会议纪要 and 评审意见表: the same content as the PDFs
(the notice and minutes from the very parts their PDFs are laid out from), on the GB/T 9704
page, for the bureau to edit in Word or WPS before a document is stamped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sme_review_desktop.exports import fonts, minutes, notice
from sme_review_desktop.exports.docx_render import write_parts
from sme_review_desktop.exports.gov_parts import Blank, Para, Part, Table, Title
from sme_review_desktop.exports.review_report import load_outcome
from sme_review_desktop.review.walkthrough import DECISIONS, Workspace, load_workspace
from sme_review_desktop.rounds import find_dossier
from sme_review_desktop.scoring.decisions import DECISION_LABELS
from sme_review_desktop.store.audit import audit_check_code
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbers import plain


def write_notice_docx(store: Store, round_id: int, target: Path, *, final: bool = False) -> Path:
    doc = notice.listing(store, round_id, final=final)
    return write_parts(target, doc.title, notice.parts(doc), author=doc.issuer)


def write_minutes_docx(
    store: Store, round_id: int, target: Path, *, meeting_date: date | None = None
) -> Path:
    title, experts, conflicts, rows = minutes._content(store, round_id)
    when = meeting_date or date.today()
    parts = minutes.parts(title, when, experts, conflicts, rows)
    return write_parts(target, title, parts + notice.check_lines(audit_check_code(store)))


def _heading(text: str) -> Para:
    return Para(text, indent=0, align="left", role=fonts.HEADING)


def _items(ws: Workspace) -> list[list[str]]:
    rows = []
    for item in ws.items():
        for part in item.parts:
            check = ws.check(item.article, item.item, part.id)
            decision = DECISIONS.get(check.decision or "", "未评审")
            if check.needs_recheck:
                decision += "（数据已变，需复核）"
            if check.decided_at is not None:
                decision += f"\n{check.decided_by or ''} {check.decided_at:%Y-%m-%d %H:%M}"
            notes = [check.note] if check.note else []
            notes += [f"佐证：{link.label}" for link in check.links]
            verdict = part.verdict.label + (f"：{part.reason}" if part.reason else "")
            rows.append([item.label, part.text, verdict, decision, "\n".join(notes)])
    return rows


def report_parts(store: Store, round_id: int, ws: Workspace) -> list[Part]:
    """The 评审意见表's sections as parts, in the order of the PDF."""
    book = ws.rulebook
    outcome = load_outcome(store, round_id, ws.dossier_id)
    missing = ws.evaluation.missing_materials
    present = {e.material_number for e in ws.evidence}
    formal = "材料齐全" if not missing else f"缺少第{'、'.join(map(str, missing))}项材料，需补正"
    done, total = ws.progress()
    state = (
        f"逐条审查已标记完成（{ws.complete_by}，{ws.complete_at:%Y-%m-%d}）"
        if ws.complete_at
        else f"逐条审查未标记完成（已评审{done}/{total}项）"
    )
    s = outcome.scores
    experts = []
    for name in outcome.experts:
        if s is not None and name in s.absent:
            experts.append([name, "—", "回避"])
        elif s is not None and name in s.scores:
            note = "偏离其他专家均值超过15分" if name in s.outliers else ""
            experts.append([name, plain(s.scores[name]), note])
        else:
            experts.append([name, "—", "未评分"])
    aggregate = "—" if s is None or s.aggregate is None else str(s.aggregate)
    rank = "—" if s is None or s.rank is None else str(s.rank)
    decision = DECISION_LABELS.get(s.decision or "", "未决定") if s else "未决定"
    reason = f"（理由：{s.reason}）" if s and s.reason else ""
    out: list[Part] = [
        Title(f"{book.city}中小企业公共服务示范平台认定评审意见表"),
        Para(f"依据：《{book.title}》", indent=0, align="center", size=12),
        Blank(),
        _heading("一、申报单位基本情况"),
        Table(
            ["项目", "内容"],
            [
                ["平台名称", ws.platform_name],
                ["运营单位", ws.operator_name],
                ["统一社会信用代码", ws.uscc],
                ["所在县（市、区）", ws.county],
                ["平台类别", ws.platform_type],
                ["单位性质", ws.legal_form],
                ["申报版本", f"第{ws.version}版（共{len(ws.versions)}版）"],
                ["系统综合提示", ws.evaluation.overall.label],
            ],
            ["center", "left"],
        ),
        _heading("二、形式审查"),
        Para(f"形式审查结论：{formal}。"),
        Table(
            ["序号", "材料", "提交情况"],
            [
                [
                    str(m.number),
                    m.title,
                    "已提交" if m.number in present else "缺" if m.required else "未提交（非必需）",
                ]
                for m in book.materials
            ],
            ["center", "left", "center"],
        ),
        _heading("三、逐条审查"),
        Para(f"审查状态：{state}"),
        Table(
            ["条款", "内容", "系统提示", "评审意见", "备注与佐证材料"],
            _items(ws),
            ["left", "left", "left", "left", "left"],
        ),
        _heading("四、专家评分与评审决定"),
    ]
    if experts:
        out.append(Table(["专家", "总分", "说明"], experts, ["center", "center", "left"]))
    else:
        out.append(Para("本批次未登记评审专家。"))
    out += [
        Para(f"综合得分：{aggregate}　　排名：{rank}"),
        Para(f"评审决定：{decision}{reason}"),
        Para(f"认定状态：{outcome.status}"),
    ]
    warnings = [*ws.warnings, *ws.evaluation.warnings]
    if warnings:
        out.append(_heading("五、数据提示"))
        out += [Para(f"· {w}") for w in warnings]
    out += [
        Blank(),
        Para("评审人（签字）：＿＿＿＿＿＿　　复核人（签字）：＿＿＿＿＿＿", indent=0),
        Para("日期：＿＿＿＿年＿＿月＿＿日", indent=0),
    ]
    return out


def write_report_docx(store: Store, round_id: int, uscc: str, target: Path) -> Path:
    with store.read() as session:
        dossier_id = find_dossier(session, round_id, uscc).id
    ws = load_workspace(store, dossier_id)
    title = f"评审意见表 {ws.platform_name}"
    return write_parts(target, title, report_parts(store, round_id, ws))
