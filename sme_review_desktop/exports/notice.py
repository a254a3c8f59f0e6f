"""公示名单 and 认定名单: a GB/T 9704 PDF for printing and an xlsx to paste into the website system."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy import select

from sme_review_desktop import fonts
from sme_review_desktop.errors import UserError
from sme_review_desktop.exports import xlsx_text
from sme_review_desktop.exports.gov_doc import build, cn_date, doc_styles
from sme_review_desktop.exports.pdf_kit import check_glyphs
from sme_review_desktop.models import Certificate, Dossier
from sme_review_desktop.publicity import approved_dossiers, get_publicity
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import Store


@dataclass(frozen=True)
class Listing:
    final: bool
    title: str
    document_number: str
    paragraphs: list[str]
    issuer: str
    issued_on: date
    columns: list[str]
    rows: list[list[str]]


def _month_day(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _row(n: int, dossier: Dossier) -> list[str]:
    v = dossier.versions[-1]
    return [str(n), v.platform_name, v.operator_name, v.county, v.platform_type]


def listing(store: Store, round_id: int, *, final: bool = False) -> Listing:
    """What the notice says: its title, text and table, from the round and its settings."""
    with store.read() as session:
        rnd = get_round(session, round_id)
        book = get_rulebook(rnd.rulebook_id)
        settings = rnd.settings
        year = int(settings.get("year") or rnd.reference_date.year)
        issuer = str(settings.get("issuer") or book.authority)
        basis = (
            f"根据《{book.title}》有关规定，经企业自愿申报、县（市、区）推荐、形式审查和专家评审"
        )
        if final:
            certs = session.execute(
                select(Certificate, Dossier)
                .join(Dossier, Dossier.id == Certificate.dossier_id)
                .where(Dossier.round_id == round_id)
                .order_by(Certificate.number)
            ).all()
            if not certs:
                raise UserError("该批次尚未认定（没有证书），不能导出认定名单。")
            first = certs[0][0]
            rows = [[*_row(n, d), c.number] for n, (c, d) in enumerate(certs, start=1)]
            title = f"关于公布{year}年度{book.city}中小企业公共服务示范平台认定名单的通知"
            paragraphs = [
                f"{basis}，并经公示无异议，现认定以下{len(rows)}家平台为{year}年度{book.city}"
                f"中小企业公共服务示范平台，有效期自{cn_date(first.certified_on)}至"
                f"{cn_date(first.valid_until)}。",
                "请各示范平台按照办法规定履行报告义务，持续提升服务能力和水平，发挥示范带动作用。",
            ]
            return Listing(
                True,
                title,
                str(settings.get("document_number") or ""),
                paragraphs,
                issuer,
                first.certified_on,
                ["序号", "平台名称", "运营单位", "所在县（市、区）", "平台类别", "证书编号"],
                rows,
            )
        publicity = get_publicity(session, round_id)
        if publicity is None:
            raise UserError("该批次尚未开始公示：请先设定公示开始日期（公示 → 开始公示）。")
        dossiers = approved_dossiers(session, round_id)
        rows = [_row(n, d) for n, d in enumerate(dossiers, start=1)]
        contact = str(settings.get("objection_contact") or "").strip()
        title = f"关于{year}年度{book.city}中小企业公共服务示范平台拟认定名单的公示"
        paragraphs = [
            f"{basis}，拟认定以下{len(rows)}家平台为{year}年度{book.city}中小企业公共服务"
            "示范平台，现予以公示。",
            f"公示时间：自{_month_day(publicity.start)}至{_month_day(publicity.end)}"
            f"（{publicity.working_days}个工作日）。",
            "公示期间，如对拟认定平台有异议，请以书面形式向"
            f"{issuer}反映。单位提出异议须加盖公章，个人提出异议须署真实姓名并提供联系方式。"
            + (f"联系方式：{contact}。" if contact else ""),
        ]
        return Listing(
            False,
            title,
            str(settings.get("document_number") or ""),
            paragraphs,
            issuer,
            publicity.start,
            ["序号", "平台名称", "运营单位", "所在县（市、区）", "平台类别"],
            rows,
        )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _story(doc: Listing) -> list[Flowable]:
    """GB/T 9704 order: title, body, 附件说明, issuer and date; the list itself as the 附件."""
    st = doc_styles()
    name = f"{'认定' if doc.final else '拟认定'}名单"
    story: list[Flowable] = []
    if doc.document_number:
        story += [Paragraph(_escape(doc.document_number), st["number"]), Spacer(1, 6 * mm)]
    story.append(Paragraph(_escape(doc.title), st["title"]))
    story += [Paragraph(_escape(p), st["body"]) for p in doc.paragraphs]
    story.append(Paragraph(f"附件：{name}", st["note"]))
    story += [
        Spacer(1, 12 * mm),
        Paragraph(_escape(doc.issuer), st["signature"]),
        Paragraph(cn_date(doc.issued_on), st["signature"]),
        PageBreak(),
        Paragraph("附件", st["attachment"]),
        Paragraph(name, st["title"]),
    ]
    widths = [14 * mm, 44 * mm, 44 * mm, 28 * mm, 26 * mm]
    if doc.final:
        widths = [12 * mm, 34 * mm, 34 * mm, 24 * mm, 18 * mm, 34 * mm]
    data = [[Paragraph(c, st["cell"]) for c in doc.columns]]
    for row in doc.rows:
        data.append(
            [
                Paragraph(_escape(c), st["cell" if i in (0, 3, 4) else "cell-left"])
                for i, c in enumerate(row)
            ]
        )
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), fonts.body_font()),
            ]
        )
    )
    story.append(table)
    return story


def write_notice(store: Store, round_id: int, target: Path, *, final: bool = False) -> Path:
    """The 公示名单 (or, with ``final``, the 认定名单) as .pdf or .xlsx by the target's suffix."""
    doc = listing(store, round_id, final=final)
    suffix = target.suffix.lower()
    if suffix == ".pdf":
        texts = [(doc.title + doc.issuer + doc.document_number, "标题与发文机关")]
        texts += [(p, "正文") for p in doc.paragraphs]
        texts += [("".join(r[1:]), f"第{r[0]}行（{r[1]}）") for r in doc.rows]
        check_glyphs(texts, fonts.body_font())
        check_glyphs([(doc.title, "标题")], fonts.title_font())
        with atomic_path(target) as tmp:
            build(tmp, doc.title, _story(doc))
    elif suffix == ".xlsx":
        with atomic_path(target) as tmp:
            _xlsx(doc, tmp)
    else:
        raise UserError("名单只能导出为 .pdf 或 .xlsx 文件。")
    return target


def _xlsx(doc: Listing, path: Path) -> None:
    """The table alone from A1, ready to paste into the website's list editor."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "认定名单" if doc.final else "拟认定名单"
    xlsx_text.append(ws, doc.columns)
    thin = Side(style="thin")
    for values in doc.rows:
        xlsx_text.append(ws, [int(values[0]), *values[1:]])
    for cells in ws.iter_rows():
        for cell in cells:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for head in ws[1]:
        head.font = Font(bold=True)
        head.alignment = Alignment(horizontal="center", vertical="center")
    for col, width in zip("ABCDEF", (6, 36, 36, 16, 12, 26), strict=False):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    wb.save(path)
