"""证书: one A4 landscape page per certified platform, or only the variable text for 套打.

The full certificate is the designed page of exports/cert_page (no seal placeholder: the seal
is stamped on paper), with a QR code whose content is signed with the bureau's key
(exports/cert_signing) and verified by `sme-review certificate verify` or 工具 → 核验证书. For
pre-printed blanks (套打) only the variable fields are printed, at positions in millimetres from
an editable layout, shifted by the printer's calibration offsets.

Five hundred certificates go into one PDF in about the time of their QR codes: what is the
same on every page is drawn once as a form XObject, the text is set in measured lines rather
than platypus Paragraphs, and the streams are written without an ASCII85 layer.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports import cert_page, fonts
from sme_review_desktop.exports.cert_page import PAGE, PageText
from sme_review_desktop.exports.cert_signing import Payload, sign, signing_key
from sme_review_desktop.exports.cjk_lines import Line, draw_lines, draw_string, wrap_lines
from sme_review_desktop.exports.gov_grid import cn_date
from sme_review_desktop.exports.pdf_kit import check_glyphs
from sme_review_desktop.models import Applicant, Certificate, Dossier, DossierVersion
from sme_review_desktop.review.evaluation import newest_version_join
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.database import Store


@dataclass(frozen=True)
class CertificateText:
    number: str
    holder: str  # 运营单位
    platform: str
    city: str
    issuer: str
    certified_on: date
    valid_until: date
    uscc: str = ""

    @property
    def validity(self) -> str:
        return f"{cn_date(self.certified_on)}至{cn_date(self.valid_until)}"

    def sentence(self) -> str:
        """The certification sentence under the platform's name (the same on every page)."""
        return f"被认定为{self.city}中小企业公共服务示范平台"

    def payload(self) -> Payload:
        return Payload(
            self.number, self.platform, self.holder, self.uscc, self.certified_on, self.valid_until
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
    newest, on_newest = newest_version_join(round_id)
    with store.read() as session:
        rnd = get_round(session, round_id)
        book = get_rulebook(rnd.rulebook_id)
        issuer = str(rnd.settings.get("issuer") or book.authority)
        # Plain rows in one query: the holder and name come from each dossier's newest version
        # (loading each dossier's versions as objects took 0.2 s for 500 certificates; 6 ms now).
        rows = session.execute(
            select(
                Certificate.number,
                Certificate.certified_on,
                Certificate.valid_until,
                DossierVersion.operator_name,
                DossierVersion.platform_name,
                Applicant.uscc,
            )
            .join(Dossier, Dossier.id == Certificate.dossier_id)
            .join(Applicant, Applicant.id == Dossier.applicant_id)
            .join(newest, newest.c.dossier_id == Dossier.id)
            .join(DossierVersion, on_newest)
            .where(Dossier.round_id == round_id, Certificate.revoked_on.is_(None))
            .order_by(Certificate.number)
        ).all()
        if rnd.locked_at is None or not rows:
            raise UserError("只有已认定（公示期满并完成认定）的批次才有证书。")
        return [
            CertificateText(
                number=number,
                holder=holder,
                platform=platform,
                city=book.city,
                issuer=issuer,
                certified_on=certified_on,
                valid_until=valid_until,
                uscc=uscc,
            )
            for number, certified_on, valid_until, holder, platform, uscc in rows
        ]


def _check(texts: list[CertificateText], font: str) -> None:
    """Every variable character must be in the font: a missing glyph would print as nothing.

    All the texts are checked at once; only when something is missing are they gone through
    one by one, to name the certificate.
    """
    every = "".join(t.holder + t.platform + t.number + t.issuer for t in texts)
    if fonts.missing_glyphs(every, font, fallback=True):
        check_glyphs(
            [
                (t.holder + t.platform + t.number + t.issuer, f"证书{t.number}（{t.platform}）")
                for t in texts
            ],
            font,
            fallback=True,
        )


def _overlay_page(canvas: Canvas, t: CertificateText, layout: OverlayLayout, font: str) -> None:
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
        if box.width:  # wrapped: the first line's baseline where a one-line field's would be
            lines = wrap_lines(text, font, box.size, (box.width * mm,))
            step = box.size * 1.5
            draw_lines(
                canvas,
                font,
                box.size,
                [Line(x, y - n * step, line, 0.0) for n, (line, _) in enumerate(lines)],
            )
        else:
            draw_string(canvas, font, box.size, x, y, text)


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
    body = fonts.body_font()
    _check(texts, body)
    if overlay is None:
        with store.read() as session:
            verify_url = str(get_round(session, round_id).settings.get("verify_url") or "")
        key = signing_key(store.key_folder)  # before the file: a key error leaves nothing
    with atomic_path(target) as tmp:
        canvas = Canvas(str(tmp), pagesize=PAGE, initialFontName=body)
        canvas.setTitle("示范平台证书")
        if overlay is None:
            title = fonts.title_font()
            cert_page.draw_blank(canvas, body, title, texts[0].sentence())
        for t in texts:
            if overlay is None:
                page = PageText(
                    t.number,
                    t.holder,
                    t.platform,
                    t.issuer,
                    t.certified_on,
                    t.valid_until,
                    sign(key, t.payload(), verify_url),
                )
                cert_page.draw_page(canvas, page, body, title)
            else:
                _overlay_page(canvas, t, overlay, body)
            canvas.showPage()
        canvas.save()
    return target, len(texts)
