"""核验证书: a QR code's text (or a scanned image of it) checked against the signature and the
register. Genuine means signed by this bureau's key *and* matching the register's record; the
status then says whether the certificate still stands today."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sme_review_desktop.exports.cert_signing import BadCode, Payload, existing_key, open_signed
from sme_review_desktop.models import Applicant, Certificate, Dossier, DossierVersion
from sme_review_desktop.review.evaluation import newest_version_join
from sme_review_desktop.store.database import Store

STATUS_LABELS = {"certified": "有效", "revoked": "已撤销", "expired": "已过期"}
FIELD_LABELS = {
    "platform_name": "平台名称",
    "operator_name": "运营单位",
    "uscc": "统一社会信用代码",
    "valid_from": "有效期起",
    "valid_to": "有效期止",
}


def _invalid(reason: str) -> dict[str, Any]:
    return {"valid": False, "reason": reason}


def _record(store: Store, number: str) -> tuple[Certificate, str, str, str] | None:
    """The register's certificate with the holder's newest names and code."""
    with store.read() as session:
        cert = session.scalars(select(Certificate).where(Certificate.number == number)).first()
        if cert is None:
            return None
        dossier = session.get(Dossier, cert.dossier_id)
        assert dossier is not None
        newest, on_newest = newest_version_join(dossier.round_id)
        row = session.execute(
            select(DossierVersion.platform_name, DossierVersion.operator_name, Applicant.uscc)
            .select_from(Dossier)
            .join(Applicant, Applicant.id == Dossier.applicant_id)
            .join(newest, newest.c.dossier_id == Dossier.id)
            .join(DossierVersion, on_newest)
            .where(Dossier.id == dossier.id)
        ).one()
        session.expunge(cert)
        return cert, row[0], row[1], row[2]


def verify(store: Store, text: str, today: date | None = None) -> dict[str, Any]:
    """{"valid": true, number, platform_name, operator_name, uscc, valid_from, valid_to,
    status} for a genuine code; {"valid": false, "reason"} otherwise."""
    key = existing_key(store.key_folder)
    if key is None:
        return _invalid("本机没有证书签名密钥（keys/certificate-ed25519.pem），无法核验。")
    try:
        payload = open_signed(key.public_key(), text)
    except BadCode as exc:
        return _invalid(str(exc))
    found = _record(store, payload.number)
    if found is None:
        return _invalid(f"签名有效，但登记簿中没有证书“{payload.number}”。")
    cert, platform, operator, uscc = found
    on_record = Payload(
        payload.number, platform, operator, uscc, cert.certified_on, cert.valid_until
    )
    differs = [
        label
        for name, label in FIELD_LABELS.items()
        if getattr(payload, name) != getattr(on_record, name)
    ]
    if differs:
        return _invalid(f"签名有效，但与登记簿不符：{'、'.join(differs)}。")
    today = today or date.today()
    if cert.revoked_on is not None and cert.revoked_on <= today:
        status = "revoked"
    elif today > cert.valid_until:
        status = "expired"
    else:
        status = "certified"
    return {
        "valid": True,
        "number": payload.number,
        "platform_name": payload.platform_name,
        "operator_name": payload.operator_name,
        "uscc": payload.uscc,
        "valid_from": payload.valid_from.isoformat(),
        "valid_to": payload.valid_to.isoformat(),
        "status": status,
    }


def read_image(path: Path) -> list[str]:
    """The texts of the QR codes zxing-cpp finds in a scanned or photographed image."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            found = zxingcpp.read_barcodes(image.convert("L"))
    except (OSError, UnidentifiedImageError) as exc:
        raise BadCode(f"无法读取图片 {path.name}：{exc}") from exc
    return [r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode]
