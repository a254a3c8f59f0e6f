"""公示名单 and 认定名单: a GB/T 9704 PDF for printing and an xlsx to paste into the website system."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.header_footer import HeaderFooterItem, _HeaderFooterPart
from openpyxl.worksheet.properties import PageSetupProperties
from sqlalchemy import select

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports import fonts
from sme_review_desktop.exports.gov_doc import build
from sme_review_desktop.exports.gov_grid import Align, cn_date
from sme_review_desktop.exports.gov_parts import Blank, NewPage, Para, Part, Signature, Table, Title
from sme_review_desktop.exports.pdf_kit import check_glyphs
from sme_review_desktop.models import Certificate, Dossier
from sme_review_desktop.publicity.service import approved_dossiers, get_publicity
from sme_review_desktop.publicity.workdays import format_period
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.audit import audit_check_code
from sme_review_desktop.store.database import Store
from sme_review_desktop.text import xlsx_text


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
    attachment: str = ""  # the list's title, as 附件说明 and the 附件 both name it
    contacts: list[str] = field(default_factory=list)
    period: str = ""  # 公示时间 line, for the xlsx
    check_code: str = ""  # store/audit.audit_check_code at printing time


def check_lines(code: str) -> list[Part]:
    """The document's last line: the 审计校验码 tying the printed page to the audit log's state
    (nothing when the log has no key or no entry). 小四, flush left, below everything else."""
    return [Blank(), Para(f"审计校验码：{code}", indent=0, align="left", size=12)] if code else []


def contact_lines(settings: dict[str, object]) -> list[str]:
    """The contacts as notices print them: 「联系人：…　　咨询电话：…」「监督电话：…」「地址：…」.

    The structured settings (contact_person, contact_phone, supervision_phone,
    contact_address) come first; ``objection_contact``, the older free text, is printed as
    「联系方式：…」 when none of them is set.
    """

    def get(key: str) -> str:
        return str(settings.get(key) or "").strip()

    person, phone = get("contact_person"), get("contact_phone")
    supervision, address = get("supervision_phone"), get("contact_address")
    lines = []
    first = "　　".join(
        part for part in (person and f"联系人：{person}", phone and f"咨询电话：{phone}") if part
    )
    if first:
        lines.append(first)
    if supervision:
        lines.append(f"监督电话：{supervision}")
    if address:
        lines.append(f"地址：{address}")
    if not lines and get("objection_contact"):
        lines.append(f"联系方式：{get('objection_contact')}")
    return lines


def _row(n: int, dossier: Dossier) -> list[str]:
    v = dossier.versions[-1]
    return [str(n), v.platform_name, v.operator_name, v.county, v.platform_type]


def listing(store: Store, round_id: int, *, final: bool = False) -> Listing:
    """What the notice says: its title, text and table, from the round and its settings."""
    code = audit_check_code(store)
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
                attachment=f"{year}年度{book.city}中小企业公共服务示范平台认定名单",
                check_code=code,
            )
        publicity = get_publicity(session, round_id)
        if publicity is None:
            raise UserError("该批次尚未开始公示：请先设定公示开始日期（公示 → 开始公示）。")
        dossiers = approved_dossiers(session, round_id)
        rows = [_row(n, d) for n, d in enumerate(dossiers, start=1)]
        title = f"关于{year}年度{book.city}中小企业公共服务示范平台拟认定名单的公示"
        period = (
            f"公示时间：{format_period(publicity.start, publicity.end)}"
            f"（{publicity.working_days}个工作日）。"
        )
        paragraphs = [
            f"{basis}，拟认定以下{len(rows)}家平台为{year}年度{book.city}中小企业公共服务"
            "示范平台，现予以公示。",
            period,
            "公示期间，如对拟认定平台有异议，请以书面形式向"
            f"{issuer}反映。单位提出异议须加盖公章，个人提出异议须署真实姓名并提供联系方式。",
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
            attachment=f"{year}年度{book.city}中小企业公共服务示范平台拟认定名单",
            contacts=contact_lines(settings),
            period=period.removesuffix("。"),
            check_code=code,
        )


def parts(doc: Listing) -> list[Part]:
    """GB/T 9704 order: title, text, contacts, 附件说明, issuer and date; the list as the 附件."""
    out: list[Part] = []
    if doc.document_number:
        out += [Para(doc.document_number, indent=0, align="center"), Blank()]
    out += [Title(doc.title), Blank()]
    out += [Para(p) for p in doc.paragraphs]
    out += [Para(line, align="left") for line in doc.contacts]
    out += [
        Blank(),
        Para(f"附件：{doc.attachment}", hang=5),  # the name's later lines align with its first
        Signature(doc.issuer, doc.issued_on),
        NewPage(),
        Para("附件", indent=0, align="left", role=fonts.HEADING),
        Blank(),
        Title(doc.attachment),
        Blank(),
    ]
    aligns: list[Align] = ["center", "left", "left", "center", "center", "center"]
    out.append(Table(doc.columns, doc.rows, aligns[: len(doc.columns)]))
    return out + check_lines(doc.check_code)


def write_notice(store: Store, round_id: int, target: Path, *, final: bool = False) -> Path:
    """The 公示名单 (or, with ``final``, the 认定名单) as .pdf or .xlsx by the target's suffix."""
    doc = listing(store, round_id, final=final)
    suffix = target.suffix.lower()
    if suffix == ".pdf":
        texts = [("".join(r[1:]), f"第{r[0]}行（{r[1]}）") for r in doc.rows]
        check_glyphs(texts, fonts.body_font(), fallback=True)  # names the row before anything
        with atomic_path(target) as tmp:
            build(tmp, doc.title, parts(doc), author=doc.issuer)
    elif suffix == ".xlsx":
        with atomic_path(target) as tmp:
            _xlsx(doc, tmp)
    else:
        raise UserError("名单只能导出为 .pdf 或 .xlsx 文件。")
    return target


def _xlsx_width(text: str) -> float:
    """A column width in Excel's units (about one Latin character): a Chinese character is two."""
    return sum(2.1 if ord(ch) >= 0x2E80 else 1.15 for ch in text) + 2


def _xlsx(doc: Listing, path: Path) -> None:
    """The list as a sheet to print or to paste into the website: the title, the publicity
    period, then the table; A4 portrait fitted to the page's width, the header row repeated on
    every printed page, columns as wide as their longest entry."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "认定名单" if doc.final else "拟认定名单"
    ncol = len(doc.columns)
    last = get_column_letter(ncol)
    xlsx_text.append(ws, [doc.attachment or doc.title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    xlsx_text.append(ws, [doc.period or f"认定日期：{cn_date(doc.issued_on)}"])
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].alignment = Alignment(horizontal="center")
    header_row = 3
    xlsx_text.append(ws, doc.columns)
    thin = Side(style="thin")
    for values in doc.rows:
        xlsx_text.append(ws, [int(values[0]), *values[1:]])
    for cells in ws.iter_rows(min_row=header_row):
        for cell in cells:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for head in ws[header_row]:
        head.font = Font(bold=True)
        head.alignment = Alignment(horizontal="center", vertical="center")
    for j, column in enumerate(doc.columns):
        longest = max([_xlsx_width(column), *(_xlsx_width(r[j]) for r in doc.rows)])
        ws.column_dimensions[get_column_letter(j + 1)].width = min(longest, 60)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter = HeaderFooterItem(center=_HeaderFooterPart(text="第 &P 页，共 &N 页"))
    wb.save(path)
