"""Certification rounds (年度认定批次): creating, finding and listing them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sme_review_desktop.errors import NotFound, UserError
from sme_review_desktop.models import Applicant, Dossier, Round, RulebookRecord
from sme_review_desktop.rules.rulebook import Rulebook, get_rulebook
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import Store


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    rulebook_id: str
    rulebook_title: str
    reference_date: date
    dossier_count: int
    locked: bool
    settings: dict[str, Any]


def ensure_rulebook(session: Session, book: Rulebook) -> RulebookRecord:
    record = session.get(RulebookRecord, book.id)
    if record is None:
        record = RulebookRecord(id=book.id, title=book.title, sha256=book.sha256)
        session.add(record)
    elif record.sha256 != book.sha256:
        record.sha256, record.title = book.sha256, book.title
    return record


def create_round(
    store: Store, rulebook_id: str, name: str, reference_date: date, actor: str
) -> int:
    """Create a round under a measure; the reference date is the round's application deadline."""
    book = get_rulebook(rulebook_id)
    name = name.strip()
    if not name:
        raise UserError("批次名称不能为空：请填写，例如“2026年度示范平台认定”。")
    with store.write() as session:
        ensure_rulebook(session, book)
        rnd = Round(rulebook_id=book.id, name=name, reference_date=reference_date, settings={})
        session.add(rnd)
        session.flush()
        audit.record(
            session,
            actor,
            "round.create",
            round_id=rnd.id,
            after={"name": name, "rulebook": book.id, "reference_date": reference_date.isoformat()},
        )
        return rnd.id


def get_round(session: Session, round_id: int) -> Round:
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound(f"没有编号为 {round_id} 的认定批次：请用 round list 查看已有批次。")
    return rnd


def list_rounds(store: Store) -> list[RoundInfo]:
    with store.read() as session:
        counts: dict[int, int] = {
            rid: n
            for rid, n in session.execute(
                select(Dossier.round_id, func.count(Dossier.id)).group_by(Dossier.round_id)
            )
        }
        return [
            RoundInfo(
                id=r.id,
                name=r.name,
                rulebook_id=r.rulebook_id,
                rulebook_title=r.rulebook.title,
                reference_date=r.reference_date,
                dossier_count=counts.get(r.id, 0),
                locked=r.locked_at is not None,
                settings=visible_settings(r.settings),
            )
            for r in session.scalars(select(Round).order_by(Round.id))
        ]


def visible_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Settings without internal ones (a leading underscore, e.g. the score-sheet signing key)."""
    return {k: v for k, v in settings.items() if not k.startswith("_")}


# Round settings a bureau may change, with what each means (shown by `round settings`).
ROUND_SETTINGS = {
    "year": "认定年度（公示标题中的年度，默认取基准日所在年）",
    "document_number": "文号，如 聊工信字〔2026〕12号",
    "issuer": "发文机关（默认为办法规定的认定机关）",
    "objection_contact": "异议受理联系方式（一段文字；分项填写时用下面四项）",
    "contact_person": "联系人，如 王某（公示印出“联系人：…”）",
    "contact_phone": "咨询电话，如 0635-8888888",
    "supervision_phone": "监督电话，如 0635-12345",
    "contact_address": "地址，如 聊城市东昌府区某路1号（邮编可一并写）",
    "publicity_days": "公示工作日数（默认按办法）",
    "count_start_day": "公示发布当日是否计入（1计入，0从次日起算）",
    "certificate_pattern": "证书编号格式，如 {short}示范平台〔{year}〕{seq:03d}号",
    "trim_extremes": "去掉一个最高分和一个最低分（1是，0否）",
    "verify_url": "证书核验网页的网址（以 http 或 https 开头；二维码印为该网址加核验码）",
    "expected_experts": "拟认定前须有几位专家的完整评分（默认：每位未回避的专家）",
}
_INT_SETTINGS = {"publicity_days", "year", "expected_experts"}
_BOOL_SETTINGS = {"count_start_day", "trim_extremes"}
_PHONE_SETTINGS = {"contact_phone", "supervision_phone"}
# A telephone number as notices print it: digits with - ( ) ， 、 / 转 and spaces, several
# numbers allowed (0635-8888888、8888999).
_PHONE = re.compile(r"[0-9０-９][0-9０-９\-－()（）、，,/ 转]*[0-9０-９]")
_LENGTH_LIMITS = {"contact_person": 40, "contact_address": 120}
# A verification page's address: http(s), printable ASCII without spaces or a fragment, short
# enough that the QR code stays printable (the signed code adds about 260 characters).
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!$&'()*+,;=:@%/.~?A-Za-z0-9_-]*)?")
_URL_LIMIT = 100


def _check_text(key: str, value: str) -> str:
    """A contact setting, trimmed; refused when it could not be printed as the notice says."""
    value = " ".join(value.split())
    if key == "verify_url" and value and (len(value) > _URL_LIMIT or not _URL.fullmatch(value)):
        raise UserError(
            f"设置“verify_url”应为不超过{_URL_LIMIT}个字符、以 http 或 https 开头的网址"
            f"（不含空格、中文和“#”）：{value}"
        )
    if key in _PHONE_SETTINGS and value and not _PHONE.fullmatch(value):
        raise UserError(f"设置“{key}”应为电话号码（数字、“-”、括号，多个号码用“、”隔开）：{value}")
    limit = _LENGTH_LIMITS.get(key)
    if limit and len(value) > limit:
        raise UserError(f"设置“{key}”过长（最多{limit}字）：{value}")
    return value


def update_settings(
    store: Store, round_id: int, changes: dict[str, Any], actor: str
) -> dict[str, Any]:
    """Change round settings (values from text are typed here); returns all settings."""
    unknown = [k for k in changes if k not in ROUND_SETTINGS]
    if unknown:
        known = "、".join(ROUND_SETTINGS)
        raise UserError(f"没有名为“{unknown[0]}”的批次设置；可用的设置：{known}")
    typed: dict[str, Any] = {}
    for key, value in changes.items():
        if key in _INT_SETTINGS:
            try:
                typed[key] = int(value)
            except (TypeError, ValueError):
                raise UserError(f"设置“{key}”应为整数：{value}") from None
        elif key in _BOOL_SETTINGS:
            typed[key] = str(value).strip().lower() in ("1", "true", "是", "yes")
        else:
            typed[key] = _check_text(key, str(value))
    with store.write() as session:
        rnd = get_round(session, round_id)
        before = visible_settings(rnd.settings)
        rnd.settings = {**rnd.settings, **typed}
        audit.record(
            session,
            actor,
            "round.settings",
            round_id=round_id,
            before=before,
            after=visible_settings(rnd.settings),
        )
        return visible_settings(rnd.settings)


def find_dossier(session: Session, round_id: int, uscc: str) -> Dossier:
    """The round's dossier of the applicant with this code (NotFound naming round and code)."""
    get_round(session, round_id)
    dossier = session.scalars(
        select(Dossier)
        .join(Applicant, Applicant.id == Dossier.applicant_id)
        .where(Dossier.round_id == round_id, Applicant.uscc == uscc.strip().upper())
    ).first()
    if dossier is None:
        raise NotFound(f"批次 {round_id} 中没有统一社会信用代码为“{uscc}”的申报材料。")
    return dossier
