"""评审意见表: one dossier's review as a PDF, item by item, with what the app and the reviewer said."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer
from sqlalchemy import select

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports.gov_grid import cn_date
from sme_review_desktop.exports.pdf_kit import build_a4, check_glyphs, grid, styles
from sme_review_desktop.models import Certificate
from sme_review_desktop.publicity.service import get_publicity
from sme_review_desktop.review.finding_record import round_findings
from sme_review_desktop.review.findings import Finding
from sme_review_desktop.review.walkthrough import DECISIONS, Workspace, load_workspace
from sme_review_desktop.rounds import find_dossier
from sme_review_desktop.scoring.approval import round_exceptions
from sme_review_desktop.scoring.decisions import DECISION_LABELS
from sme_review_desktop.scoring.experts import expert_names
from sme_review_desktop.scoring.summary import DossierScores, score_summary
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbers import plain


def _when(ws: Workspace, article: int, item: int, part: str) -> str:
    check = ws.check(article, item, part)
    if check.decided_at is None:
        return ""
    return f"{check.decided_by or ''} {check.decided_at:%Y-%m-%d %H:%M}"


def _items_table(ws: Workspace) -> list[list[str]]:
    rows = [["条款", "内容", "系统提示", "评审意见", "备注与佐证材料"]]
    for item in ws.items():
        for part in item.parts:
            check = ws.check(item.article, item.item, part.id)
            decision = DECISIONS.get(check.decision or "", "未评审")
            if check.needs_recheck:
                decision += "（数据已变，需复核）"
            who = _when(ws, item.article, item.item, part.id)
            notes = [_escape(check.note)] if check.note else []
            notes += [f"佐证：{_escape(link.label)}" for link in check.links]
            rows.append(
                [
                    item.label,
                    _escape(part.text),
                    f"{part.verdict.label}：{_escape(part.reason)}"
                    if part.reason
                    else part.verdict.label,
                    f"{decision}<br/><font size=7>{who}</font>" if who else decision,
                    "<br/>".join(notes),
                ]
            )
    return rows


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Outcome:
    """What the record says of the dossier beyond the checklist: scores, decision, certificate."""

    experts: list[str]
    scores: DossierScores | None
    certificate: Certificate | None
    publicised: bool
    exception: str | None = None  # the reason of a 例外认定
    findings: tuple[Finding, ...] = ()

    @property
    def status(self) -> str:
        """The dossier's standing as the record has it, most advanced first."""
        c = self.certificate
        if c is not None and c.revoked_on is not None:
            return f"已撤销（证书编号{c.number}，{cn_date(c.revoked_on)}撤销）"
        if c is not None:
            return (
                f"已认定（证书编号{c.number}，有效期{cn_date(c.certified_on)}至"
                f"{cn_date(c.valid_until)}）"
            )
        decision = self.scores.decision if self.scores else None
        if decision == "approved" and self.publicised:
            return "拟认定，公示中"
        if decision:
            return DECISION_LABELS.get(decision, decision)
        return "评审中，尚未作出决定"


def load_outcome(store: Store, round_id: int, dossier_id: int) -> Outcome:
    summary = {s.dossier_id: s for s in score_summary(store, round_id)}.get(dossier_id)
    with store.read() as session:
        cert = session.scalars(
            select(Certificate).where(Certificate.dossier_id == dossier_id)
        ).first()
        if cert is not None:
            session.expunge(cert)
        publicised = get_publicity(session, round_id) is not None
        exception = round_exceptions(session, round_id).get(dossier_id)
        found = round_findings(session, round_id, [dossier_id]).get(dossier_id, [])
    return Outcome(
        expert_names(store, round_id), summary, cert, publicised, exception, tuple(found)
    )


def _panel(outcome: Outcome) -> list[Flowable]:
    """The expert scores, the aggregate and the panel's decision."""
    st = styles()
    s = outcome.scores
    story: list[Flowable] = []
    rows = [["专家", "总分", "说明"]]
    for name in outcome.experts:
        if s is not None and name in s.absent:
            rows.append([_escape(name), "—", "回避"])
        elif s is not None and name in s.scores:
            note = "偏离其他专家均值超过15分" if name in s.outliers else ""
            rows.append([_escape(name), plain(s.scores[name]), note])
        else:
            rows.append([_escape(name), "—", "未评分"])
    if len(rows) > 1:
        story.append(grid(rows, [40 * mm, 30 * mm, 104 * mm]))
    else:
        story.append(Paragraph("本批次未登记评审专家。", st["body"]))
    aggregate = "—" if s is None or s.aggregate is None else str(s.aggregate)
    rank = "—" if s is None or s.rank is None else str(s.rank)
    story.append(Paragraph(f"综合得分：{aggregate}　　排名：{rank}", st["body"]))
    decision = DECISION_LABELS.get(s.decision or "", "未决定") if s else "未决定"
    reason = f"（理由：{_escape(s.reason)}）" if s and s.reason else ""
    story.append(Paragraph(f"评审决定：{decision}{reason}", st["body"]))
    if outcome.exception:
        story.append(Paragraph(f"<b>例外认定</b>：{_escape(outcome.exception)}", st["body"]))
    story.append(Paragraph(f"认定状态：{_escape(outcome.status)}", st["body"]))
    return story


def build_story(ws: Workspace, outcome: Outcome | None = None) -> list[Flowable]:
    st = styles()
    book = ws.rulebook
    missing = ws.evaluation.missing_materials
    present = {e.material_number for e in ws.evidence}
    formal = "材料齐全" if not missing else f"缺少第{'、'.join(map(str, missing))}项材料，需补正"
    facts = [
        ["平台名称", _escape(ws.platform_name), "运营单位", _escape(ws.operator_name)],
        ["统一社会信用代码", ws.uscc, "所在县（市、区）", _escape(ws.county)],
        ["平台类别", _escape(ws.platform_type), "单位性质", _escape(ws.legal_form)],
        [
            "申报版本",
            f"第{ws.version}版（共{len(ws.versions)}版）",
            "系统综合提示",
            ws.evaluation.overall.label,
        ],
    ]
    done, total = ws.progress()
    # The checklist's own state, named as such: a certified platform whose checklist was never
    # marked complete is not 「未完成」 as a dossier; its standing is the 认定状态 below.
    state = (
        f"逐条审查已标记完成（{ws.complete_by}，{ws.complete_at:%Y-%m-%d}）"
        if ws.complete_at
        else f"逐条审查未标记完成（已评审{done}/{total}项）"
    )
    materials = [["序号", "材料", "提交情况"]] + [
        [
            str(m.number),
            _escape(m.title),
            "已提交" if m.number in present else "缺" if m.required else "未提交（非必需）",
        ]
        for m in book.materials
    ]
    story: list[Flowable] = [
        Paragraph(f"{book.city}中小企业公共服务示范平台认定评审意见表", st["title"]),
        Paragraph(f"依据：《{book.title}》", st["small"]),
        Spacer(1, 3 * mm),
        Paragraph("一、申报单位基本情况", st["h2"]),
        grid(facts, [30 * mm, 55 * mm, 30 * mm, 59 * mm], header=False),
        Paragraph("二、形式审查", st["h2"]),
        Paragraph(f"形式审查结论：{formal}。", st["body"]),
        grid(materials, [12 * mm, 130 * mm, 32 * mm]),
        Paragraph("三、逐条审查", st["h2"]),
        Paragraph(f"审查状态：{state}", st["body"]),
        grid(_items_table(ws), [24 * mm, 46 * mm, 42 * mm, 24 * mm, 38 * mm]),
    ]
    if outcome is not None:
        story.append(Paragraph("四、专家评分与评审决定", st["h2"]))
        story += _panel(outcome)
    findings = outcome.findings if outcome is not None else ()
    if ws.warnings or ws.evaluation.warnings or findings:
        story.append(Paragraph("五、数据提示", st["h2"]))
        for f in findings:
            explained = f"（已说明：{_escape(f.explained)}）" if f.explained else ""
            story.append(
                Paragraph(f"· <b>{f.label}</b>：{_escape(f.message)}{explained}", st["body"])
            )
        for w in [*ws.warnings, *ws.evaluation.warnings]:
            story.append(Paragraph(f"· {_escape(w)}", st["body"]))
    story += [
        Spacer(1, 12 * mm),
        Paragraph(
            "评审人（签字）：＿＿＿＿＿＿＿＿　　　　复核人（签字）：＿＿＿＿＿＿＿＿", st["body"]
        ),
        Spacer(1, 8 * mm),
        Paragraph("日期：＿＿＿＿年＿＿月＿＿日", st["body"]),
    ]
    return story


def write_review_report(store: Store, round_id: int, uscc: str, target: Path) -> Path:
    if target.suffix.lower() != ".pdf":
        raise UserError("评审意见表只能导出为 .pdf 文件。")
    with store.read() as session:
        dossier_id = find_dossier(session, round_id, uscc).id
    ws = load_workspace(store, dossier_id)
    texts = [(ws.platform_name + ws.operator_name + ws.county, "申报单位信息")]
    texts += [(c.note, f"第{c.article}条的评审备注") for c in ws.checks.values() if c.note]
    check_glyphs(texts)
    outcome = load_outcome(store, round_id, dossier_id)
    with atomic_path(target) as tmp:
        build_a4(tmp, f"评审意见表 {ws.platform_name}", build_story(ws, outcome), numbered=True)
    return target
