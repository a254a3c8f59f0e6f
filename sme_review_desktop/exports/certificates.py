"""证书: one A4 landscape page per certified platform, or only the variable text for 套打.

The full certificate draws a frame, the title, the text of the measure's formula, the issuing
authority with a seal placeholder, and a QR code holding the number, holder and validity. For
pre-printed blanks (套打) only the variable fields are printed, at positions in millimetres from
an editable layout, shifted by the printer's calibration offsets.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from itertools import groupby
from pathlib import Path

from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from sqlalchemy import select

from .. import fonts
from ..errors import UserError
from ..models import Certificate, Dossier
from ..rounds import get_round
from ..rules.rulebook import get_rulebook
from ..store import Store
from .atomic import atomic_path
from .gov_doc import cn_date
from .pdf_kit import check_glyphs

PAGE = landscape(A4)  # 297 × 210 mm


@dataclass(frozen=True)
class CertificateText:
    number: str
    holder: str  # 运营单位
    platform: str
    city: str
    issuer: str
    certified_on: date
    valid_until: date

    @property
    def validity(self) -> str:
        return f"{cn_date(self.certified_on)}至{cn_date(self.valid_until)}"

    def body(self) -> str:
        return f"你单位运营的{self.platform}被认定为{self.city}中小企业公共服务示范平台。"

    def qr_text(self) -> str:
        return (
            f"证书编号：{self.number}\n持有单位：{self.holder}\n平台名称：{self.platform}\n"
            f"有效期：{self.validity}\n发证机关：{self.issuer}"
        )


@dataclass(frozen=True)
class FieldBox:
    """Where one variable text goes on a pre-printed blank: its left/bottom in mm and size."""

    x: float
    y: float
    size: float = 16
    width: float = 0  # 0: one line, as wide as needed; >0: wrap within this width (mm)


@dataclass(frozen=True)
class OverlayLayout:
    """Field positions for 套打, editable by the bureau; offsets per printer from calibration."""

    number: FieldBox = FieldBox(200, 182, 12)
    holder: FieldBox = FieldBox(45, 128, 20)
    platform: FieldBox = FieldBox(95, 112, 20, 160)
    validity: FieldBox = FieldBox(90, 84, 16)
    issuer: FieldBox = FieldBox(185, 52, 16)
    issued_on: FieldBox = FieldBox(190, 40, 16)
    offset_x: float = 0.0
    offset_y: float = 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> OverlayLayout:
        try:
            raw = json.loads(text)
            boxes = {
                k: FieldBox(**v)
                for k, v in raw.items()
                if k in {"number", "holder", "platform", "validity", "issuer", "issued_on"}
            }
            return replace(
                cls(),
                **boxes,
                offset_x=float(raw.get("offset_x", 0)),
                offset_y=float(raw.get("offset_y", 0)),
            )
        except (ValueError, TypeError, AttributeError) as exc:
            raise UserError(f"套打版式文件无法读取：{exc}") from exc


def certificate_texts(store: Store, round_id: int) -> list[CertificateText]:
    """The round's certificates in number order; refused for a round not yet finalised."""
    with store.read() as session:
        rnd = get_round(session, round_id)
        book = get_rulebook(rnd.rulebook_id)
        issuer = str(rnd.settings.get("issuer") or book.authority)
        rows = session.execute(
            select(Certificate, Dossier)
            .join(Dossier, Dossier.id == Certificate.dossier_id)
            .where(Dossier.round_id == round_id, Certificate.revoked_on.is_(None))
            .order_by(Certificate.number)
        ).all()
        if rnd.locked_at is None or not rows:
            raise UserError("只有已认定（公示期满并完成认定）的批次才有证书。")
        return [
            CertificateText(
                number=c.number,
                holder=d.versions[-1].operator_name,
                platform=d.versions[-1].platform_name,
                city=book.city,
                issuer=issuer,
                certified_on=c.certified_on,
                valid_until=c.valid_until,
            )
            for c, d in rows
        ]


def _check(texts: list[CertificateText]) -> None:
    """Every variable character must be in the font: a missing glyph would print as nothing."""
    body = fonts.body_font()
    check_glyphs(
        [
            (t.holder + t.platform + t.number + t.issuer, f"证书{t.number}（{t.platform}）")
            for t in texts
        ],
        body,
    )


# Any of the eight mask patterns reads the same to a scanner; reportlab picks the "best" by
# building and scoring all eight in pure Python, 0.3 s a certificate, so one is fixed here.
QR_MASK = 0


def _qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as one filled path of integer rectangles, a module a unit (no Drawing:
    its renderer pulls in Helvetica; no rect call per run: formatting their floats cost more
    than the rest of the page)."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)  # UTF-8 in byte mode, which phone scanners read as Chinese
    qr.version = qr.calculate_version()
    qr.makeImpl(False, QR_MASK)
    count = qr.getModuleCount()
    quiet = 2
    ops = []
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, run in groupby(bool(m) for m in row):
            n = len(list(run))
            if dark:
                ops.append(f"{c + quiet} {count + quiet - r - 1} {n} 1 re")
            c += n
    box = size / (count + 2 * quiet)
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.transform(box, 0, 0, box, x, y)  # module units from the quiet zone's lower left
    canvas.addLiteral("\n".join([*ops, "f"]))
    canvas.restoreState()


def _full_page(canvas: Canvas, t: CertificateText) -> None:
    width, height = PAGE
    kai, title = fonts.body_font(), fonts.title_font()
    red = colors.Color(0.72, 0.1, 0.1)
    canvas.setStrokeColor(colors.Color(0.6, 0.45, 0.1))
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    canvas.setFillColor(colors.black)
    canvas.setFont(kai, 12)
    canvas.drawRightString(width - 30 * mm, height - 28 * mm, f"证书编号：{t.number}")
    canvas.setFont(title, 40)
    canvas.drawCentredString(width / 2, height - 58 * mm, "证　　书")

    style = ParagraphStyle(
        "cert", fontName=kai, fontSize=20, leading=38, alignment=TA_JUSTIFY, wordWrap="CJK"
    )
    indented = style.clone("cert-body", firstLineIndent=40)
    holder = Paragraph(f"{_escape(t.holder)}：", style)
    body = Paragraph(_escape(t.body()), indented)
    validity = Paragraph(f"有效期：{t.validity}。", indented)
    box = width - 90 * mm
    top = height - 78 * mm
    for para in (holder, body, validity):
        _, h = para.wrapOn(canvas, box, 80 * mm)
        top -= h
        para.drawOn(canvas, 45 * mm, top)

    cx = width - 82 * mm
    canvas.setFont(kai, 18)
    canvas.drawCentredString(cx, 50 * mm, t.issuer)
    canvas.setFont(kai, 16)
    canvas.drawCentredString(cx, 38 * mm, cn_date(t.certified_on))
    canvas.saveState()
    canvas.setStrokeColor(red)
    canvas.setFillColor(red)
    canvas.setDash(3, 2)
    canvas.circle(cx, 48 * mm, 21 * mm, stroke=1, fill=0)
    canvas.setFont(kai, 9)
    canvas.drawCentredString(cx, 22 * mm, "（此处加盖印章）")
    canvas.restoreState()

    _qr(canvas, t.qr_text(), 28 * mm, 24 * mm, 30 * mm)
    canvas.setFont(kai, 8)
    canvas.drawString(28 * mm, 21 * mm, "扫码核验证书信息")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _overlay_page(canvas: Canvas, t: CertificateText, layout: OverlayLayout) -> None:
    font = fonts.body_font()
    values = {
        "number": t.number,
        "holder": t.holder,
        "platform": t.platform,
        "validity": t.validity,
        "issuer": t.issuer,
        "issued_on": cn_date(t.certified_on),
    }
    for name, text in values.items():
        box: FieldBox = getattr(layout, name)
        x, y = (box.x + layout.offset_x) * mm, (box.y + layout.offset_y) * mm
        if box.width:
            para = Paragraph(
                _escape(text),
                ParagraphStyle(
                    name, fontName=font, fontSize=box.size, leading=box.size * 1.5, wordWrap="CJK"
                ),
            )
            _, h = para.wrapOn(canvas, box.width * mm, 100 * mm)
            para.drawOn(canvas, x, y + box.size - h)
        else:
            canvas.setFont(font, box.size)
            canvas.drawString(x, y, text)


def calibration_page(target: Path, layout: OverlayLayout) -> Path:
    """A page with a millimetre grid and a cross at each field: print it on a blank, measure
    how far the printer shifts, and enter that as the offsets."""
    with atomic_path(target) as tmp:
        font = fonts.body_font()
        canvas = Canvas(str(tmp), pagesize=PAGE, initialFontName=font)
        width, height = PAGE
        canvas.setLineWidth(0.2)
        for x in range(0, 298, 10):
            canvas.setStrokeColor(colors.grey if x % 50 else colors.black)
            canvas.line(x * mm, 0, x * mm, height)
            canvas.setFont(font, 6)
            canvas.drawString(x * mm + 0.5 * mm, 2 * mm, str(x))
        for y in range(0, 211, 10):
            canvas.setStrokeColor(colors.grey if y % 50 else colors.black)
            canvas.line(0, y * mm, width, y * mm)
            canvas.drawString(2 * mm, y * mm + 0.5 * mm, str(y))
        canvas.setStrokeColor(colors.red)
        canvas.setLineWidth(0.5)
        for name in ("number", "holder", "platform", "validity", "issuer", "issued_on"):
            box: FieldBox = getattr(layout, name)
            x, y = (box.x + layout.offset_x) * mm, (box.y + layout.offset_y) * mm
            canvas.line(x - 4 * mm, y, x + 4 * mm, y)
            canvas.line(x, y - 4 * mm, x, y + 4 * mm)
            canvas.setFont(font, 8)
            canvas.drawString(
                x + 1 * mm, y + 1 * mm, f"{FIELD_LABELS[name]} ({box.x:g}, {box.y:g})"
            )
        canvas.setFont(font, 10)
        canvas.drawString(
            20 * mm,
            height - 12 * mm,
            f"套打校准页：偏移 X {layout.offset_x:+g} mm，Y {layout.offset_y:+g} mm。"
            "量出红色十字与证书空白处应在位置的差距，填入打印偏移。",
        )
        canvas.showPage()
        canvas.save()
    return target


FIELD_LABELS = {
    "number": "证书编号",
    "holder": "运营单位",
    "platform": "平台名称",
    "validity": "有效期",
    "issuer": "发证机关",
    "issued_on": "发证日期",
}


def write_certificates(
    store: Store, round_id: int, target: Path, *, overlay: OverlayLayout | None = None
) -> tuple[Path, int]:
    """All of a finalised round's certificates in one PDF; nothing is written if a glyph is missing."""
    if target.suffix.lower() != ".pdf":
        raise UserError("证书只能导出为 .pdf 文件。")
    texts = certificate_texts(store, round_id)
    _check(texts)
    with atomic_path(target) as tmp:
        canvas = Canvas(str(tmp), pagesize=PAGE, initialFontName=fonts.body_font())
        canvas.setTitle("示范平台证书")
        for t in texts:
            if overlay is None:
                _full_page(canvas, t)
            else:
                _overlay_page(canvas, t, overlay)
            canvas.showPage()
        canvas.save()
    return target, len(texts)
