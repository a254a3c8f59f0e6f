"""Publicity (公示) in working days, objections (异议), and finalisation (认定) of a round."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sme_review_desktop.errors import UserError
from sme_review_desktop.models import (
    Applicant,
    Certificate,
    Decision,
    Dossier,
    HolidayDay,
    Objection,
    Publicity,
    Round,
)
from sme_review_desktop.models.base import utcnow
from sme_review_desktop.publicity.workdays import (
    DayKind,
    HolidayCalendar,
    HolidayEntry,
    PeriodResult,
    publicity_period,
)
from sme_review_desktop.register.platforms import create_duties
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.engine import add_years
from sme_review_desktop.rules.rulebook import Rulebook, get_rulebook
from sme_review_desktop.scoring.approval import FlaggedApproval, flagged_approvals
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import Store

# Placeholders: {short} (聊), {city} (聊城), {year}, {seq}; e.g. 聊示范平台〔2026〕001号.
DEFAULT_CERTIFICATE_PATTERN = "{short}示范平台〔{year}〕{seq:03d}号"


class PublicityError(UserError):
    """A publicity or finalisation step the procedure does not allow."""


def holiday_calendar(session: Session) -> HolidayCalendar:
    """The library's schedule overridden by the bureau's own table for the years it covers."""
    entries = [
        HolidayEntry(d.day, DayKind.HOLIDAY if d.kind == "holiday" else DayKind.WORKDAY, d.name)
        for d in session.scalars(select(HolidayDay))
    ]
    return HolidayCalendar(entries)


def working_days_for(book: Rulebook, rnd: Round, days: int | None) -> int:
    if days is not None:
        return days
    configured = rnd.settings.get("publicity_days")
    if isinstance(configured, int):
        return configured
    return book.procedure.publicity_working_days or book.procedure.default_publicity_working_days


def compute_period(
    store: Store,
    start: date,
    days: int,
    *,
    assume_weekends: bool = False,
    count_start_day: bool = True,
) -> PeriodResult:
    with store.read() as session:
        return publicity_period(
            start,
            days,
            holiday_calendar(session),
            count_start_day=count_start_day,
            assume_weekends=assume_weekends,
        )


@dataclass(frozen=True)
class PublicityInfo:
    round_id: int
    start: date
    end: date
    working_days: int
    dossiers: int
    warnings: list[str]
    flagged: list[FlaggedApproval] = field(default_factory=list)  # exceptions, shown before


def approvals_to_review(store: Store, round_id: int) -> list[FlaggedApproval]:
    """The approvals to show before the 公示 starts or the round is locked: every exception and
    every approval whose record changed since it was decided (stale)."""
    with store.read() as session:
        return flagged_approvals(session, round_id)


def _refuse_stale(session: Session, round_id: int, what: str) -> list[FlaggedApproval]:
    flagged = flagged_approvals(session, round_id)
    stale = [f for f in flagged if f.stale is not None]
    if stale:
        names = "；".join(f"{f.uscc} {f.platform_name}" for f in stale)
        raise PublicityError(f"以下拟认定作出后申报材料又有新版本，须重新确认后才能{what}：{names}")
    return flagged


def approved_dossiers(session: Session, round_id: int) -> list[Dossier]:
    return list(
        session.scalars(
            select(Dossier)
            .join(Decision, Decision.dossier_id == Dossier.id)
            .where(Dossier.round_id == round_id, Decision.decision == "approved")
            .order_by(Dossier.id)
        )
    )


def start_publicity(
    store: Store,
    round_id: int,
    start: date,
    actor: str,
    *,
    days: int | None = None,
    assume_weekends: bool = False,
) -> PublicityInfo:
    """Publicise the dossiers decided 拟认定; the end date is counted in working days."""
    with store.write() as session:
        rnd = get_round(session, round_id)
        if rnd.locked_at is not None:
            raise PublicityError("该批次已认定并锁定。")
        book = get_rulebook(rnd.rulebook_id)
        n = working_days_for(book, rnd, days)
        approved = approved_dossiers(session, round_id)
        if not approved:
            raise PublicityError("本批次还没有“拟认定”的申报材料，无法公示。")
        flagged = _refuse_stale(session, round_id, "公示")
        count_start = bool(rnd.settings.get("count_start_day", True))
        period = publicity_period(
            start,
            n,
            holiday_calendar(session),
            count_start_day=count_start,
            assume_weekends=assume_weekends,
        )
        if period.end is None:
            raise PublicityError("；".join(period.warnings) or "无法计算公示截止日期。")
        existing = session.scalars(select(Publicity).where(Publicity.round_id == round_id)).first()
        before = None
        if existing is None:
            existing = Publicity(
                round_id=round_id,
                start=period.start,
                end=period.end,
                working_days=n,
                started_by=actor,
            )
            session.add(existing)
        else:
            before = {"start": existing.start.isoformat(), "end": existing.end.isoformat()}
            existing.start, existing.end, existing.working_days = period.start, period.end, n
        audit.record(
            session,
            actor,
            "publicity.start",
            round_id=round_id,
            before=before,
            after={
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
                "days": n,
                "dossiers": len(approved),
                "exceptions": [f.uscc for f in flagged if f.exception],
            },
        )
        return PublicityInfo(
            round_id, period.start, period.end, n, len(approved), list(period.warnings), flagged
        )


def get_publicity(session: Session, round_id: int) -> Publicity | None:
    return session.scalars(select(Publicity).where(Publicity.round_id == round_id)).first()


def add_objection(
    store: Store,
    round_id: int,
    uscc: str,
    received_on: date,
    content: str,
    actor: str,
    *,
    outcome: str = "",
    upheld: bool | None = None,
) -> int:
    from sme_review_desktop.rounds import find_dossier

    if not content.strip():
        raise PublicityError("异议内容不能为空。")
    with store.write() as session:
        dossier = find_dossier(session, round_id, uscc)
        objection = Objection(
            dossier_id=dossier.id,
            received_on=received_on,
            content=content,
            outcome=outcome,
            upheld=upheld,
        )
        session.add(objection)
        session.flush()
        audit.record(
            session,
            actor,
            "objection.add",
            round_id=round_id,
            dossier_id=dossier.id,
            after={
                "received_on": received_on.isoformat(),
                "content": content,
                "outcome": outcome,
                "upheld": upheld,
            },
        )
        return objection.id


def settle_objection(
    store: Store, objection_id: int, outcome: str, upheld: bool, actor: str
) -> None:
    with store.write() as session:
        objection = session.get(Objection, objection_id)
        if objection is None:
            raise PublicityError(f"没有编号为 {objection_id} 的异议。")
        before = {"outcome": objection.outcome, "upheld": objection.upheld}
        objection.outcome, objection.upheld = outcome, upheld
        dossier = session.get(Dossier, objection.dossier_id)
        audit.record(
            session,
            actor,
            "objection.settle",
            round_id=dossier.round_id if dossier else None,
            dossier_id=objection.dossier_id,
            before=before,
            after={"outcome": outcome, "upheld": upheld},
        )


def valid_until(certified_on: date, years: int) -> date:
    """Three years from the 认定 date: 2026-12-01 → 2029-11-30."""
    return add_years(certified_on, years) - timedelta(days=1)


def _next_numbers(session: Session, pattern: str, city: str, year: int, count: int) -> list[str]:
    """Numbers continue after the highest already issued under the same prefix, in any round."""
    numbers: list[str] = []
    taken = set(session.scalars(select(Certificate.number)))
    seq = 1
    while len(numbers) < count:
        try:
            candidate = pattern.format(city=city, short=city[:1], year=year, seq=seq)
        except (KeyError, IndexError, ValueError) as exc:
            raise PublicityError(
                f"证书编号格式“{pattern}”无效：可用 {{short}} {{city}} {{year}} {{seq:03d}}。"
            ) from exc
        if candidate == pattern.format(city=city, short=city[:1], year=year, seq=seq + 1):
            raise PublicityError(f"证书编号格式“{pattern}”中没有序号 {{seq}}，编号会重复。")
        if candidate not in taken:
            numbers.append(candidate)
        seq += 1
    return numbers


@dataclass(frozen=True)
class FinalizeResult:
    certified: list[tuple[str, str]]  # uscc, certificate number
    excluded: list[tuple[str, str]]  # uscc, why
    flagged: list[FlaggedApproval] = field(default_factory=list)


def finalize(store: Store, round_id: int, certified_on: date, actor: str) -> FinalizeResult:
    """认定: after publicity ends, certify the approved dossiers, number certificates, lock the round."""
    from sme_review_desktop.store.backups import auto_backup

    auto_backup(store, "锁定前")
    with store.write() as session:
        rnd = get_round(session, round_id)
        if rnd.locked_at is not None:
            raise PublicityError("该批次已认定并锁定。")
        publicity = get_publicity(session, round_id)
        if publicity is None:
            raise PublicityError("该批次尚未公示，不能认定。")
        if certified_on <= publicity.end:
            raise PublicityError(
                f"公示期至{publicity.end.isoformat()}止，认定日期须在公示期结束之后。"
            )
        book = get_rulebook(rnd.rulebook_id)
        objections = session.scalars(
            select(Objection).join(Dossier).where(Dossier.round_id == round_id)
        ).all()
        pending = [o for o in objections if o.upheld is None]
        if pending:
            raise PublicityError(f"还有{len(pending)}条异议尚未处理完毕，请先登记处理结果。")
        flagged = _refuse_stale(session, round_id, "认定")
        upheld = {o.dossier_id for o in objections if o.upheld}
        certified: list[tuple[str, str]] = []
        excluded: list[tuple[str, str]] = []
        winners = []
        for dossier in approved_dossiers(session, round_id):
            code = (
                session.scalar(select(Applicant.uscc).where(Applicant.id == dossier.applicant_id))
                or ""
            )
            if dossier.id in upheld:
                excluded.append((code, "异议成立"))
            else:
                winners.append((dossier, code))
        pattern = str(rnd.settings.get("certificate_pattern") or DEFAULT_CERTIFICATE_PATTERN)
        numbers = _next_numbers(
            session, pattern, book.city.removesuffix("市"), certified_on.year, len(winners)
        )
        until = valid_until(certified_on, book.procedure.validity_years)
        for (dossier, code), number in zip(winners, numbers, strict=True):
            cert = Certificate(
                dossier_id=dossier.id, number=number, certified_on=certified_on, valid_until=until
            )
            session.add(cert)
            session.flush()
            create_duties(session, cert, rnd)
            certified.append((code, number))
        rnd.locked_at = utcnow()
        audit.record(
            session,
            actor,
            "round.finalize",
            round_id=round_id,
            after={
                "date": certified_on.isoformat(),
                "certified": certified,
                "excluded": excluded,
                "exceptions": [f.uscc for f in flagged if f.exception],
            },
        )
        return FinalizeResult(certified, excluded, flagged)


def certificate_count(session: Session, round_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Certificate.id)).join(Dossier).where(Dossier.round_id == round_id)
        )
        or 0
    )


@dataclass(frozen=True)
class ObjectionInfo:
    id: int
    uscc: str
    platform_name: str
    received_on: date
    content: str
    outcome: str
    upheld: bool | None


@dataclass(frozen=True)
class PublicityState:
    """What the publicity window shows for a round."""

    approved: list[tuple[str, str]]  # uscc, platform name
    period: tuple[date, date, int] | None  # start, end, working days
    objections: list[ObjectionInfo]
    locked: bool
    certificates: int
    default_days: int


def publicity_state(store: Store, round_id: int) -> PublicityState:
    with store.read() as session:
        rnd = get_round(session, round_id)
        approved = [
            (d.applicant.uscc, d.versions[-1].platform_name)
            for d in approved_dossiers(session, round_id)
        ]
        publicity = get_publicity(session, round_id)
        objections = [
            ObjectionInfo(
                o.id,
                d.applicant.uscc,
                d.versions[-1].platform_name,
                o.received_on,
                o.content,
                o.outcome,
                o.upheld,
            )
            for o, d in session.execute(
                select(Objection, Dossier)
                .join(Dossier, Dossier.id == Objection.dossier_id)
                .where(Dossier.round_id == round_id)
                .order_by(Objection.received_on, Objection.id)
            )
        ]
        return PublicityState(
            approved=approved,
            period=(publicity.start, publicity.end, publicity.working_days) if publicity else None,
            objections=objections,
            locked=rnd.locked_at is not None,
            certificates=certificate_count(session, round_id),
            default_days=working_days_for(get_rulebook(rnd.rulebook_id), rnd, None),
        )
