"""The register of certified platforms (示范平台名录): validity, reports due, complaints, revocation."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sme_review_desktop.errors import NotFound, UserError
from sme_review_desktop.models import Applicant, Certificate, Complaint, Dossier, ReportDue, Round
from sme_review_desktop.rules.engine import add_years
from sme_review_desktop.rules.rulebook import ReportDuty, get_rulebook
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbering import article_label

EXPIRING_DAYS = 90


def year_before(day: date) -> date:
    """The day a year before ``day``, by the calendar (not 365 days, which drifts in leap years).

    「一年内」 up to ``day`` is the days after this one, up to and including ``day``.
    """
    return add_years(day, -1)


def report_schedule(
    duty: ReportDuty, certified_on: date, valid_until: date
) -> list[tuple[str, date]]:
    """(period, due date) for every report the duty asks for within the validity period.

    聊城: each quarter's report by the 25th of the quarter's last month; 西安: each year's summary
    by the end of January of the next year.
    """
    out: list[tuple[str, date]] = []
    if duty.kind == "quarterly":
        year, quarter = certified_on.year, (certified_on.month - 1) // 3 + 1
        while True:
            month = quarter * 3
            day = int(duty.day) if duty.day != "last" else calendar.monthrange(year, month)[1]
            due = date(year, month, day)
            if due > valid_until:
                break
            if due >= certified_on:
                out.append((f"{year}Q{quarter}", due))
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    else:
        month = duty.month or 1
        for year in range(certified_on.year + 1, valid_until.year + 1):
            day = calendar.monthrange(year, month)[1] if duty.day == "last" else int(duty.day)
            due = date(year, month, day)
            if certified_on <= due <= valid_until:
                out.append((str(year - 1), due))
    return out


def create_duties(session: Session, certificate: Certificate, round_: Round) -> None:
    book = get_rulebook(round_.rulebook_id)
    for duty in book.procedure.reports:
        for period, due in report_schedule(duty, certificate.certified_on, certificate.valid_until):
            session.add(ReportDue(certificate_id=certificate.id, period=period, due_on=due))


def status_of(cert: Certificate, today: date) -> str:
    if cert.revoked_on is not None and cert.revoked_on <= today:
        return "已撤销"
    if today > cert.valid_until:
        return "已到期"
    if (cert.valid_until - today).days <= EXPIRING_DAYS:
        return "即将到期"
    return "有效"


@dataclass(frozen=True)
class RegisterRow:
    number: str
    platform_name: str
    operator_name: str
    uscc: str
    county: str
    rulebook_id: str
    round_name: str
    certified_on: date
    valid_until: date
    status: str
    reports_due: list[tuple[str, date]]  # not yet received, due date reached or this month
    reports_overdue: list[tuple[str, date]]
    complaints_last_year: int
    revoked_on: date | None
    revoke_reason: str
    revoke_ground: int | None = None  # the article it rests on; None: not recorded


def register_rows(store: Store, today: date) -> list[RegisterRow]:
    with store.read() as session:
        rows = []
        month_end = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
        for cert in session.scalars(
            select(Certificate).order_by(Certificate.certified_on, Certificate.number)
        ):
            dossier = session.get(Dossier, cert.dossier_id)
            assert dossier is not None
            version = dossier.versions[-1]
            duties = session.scalars(
                select(ReportDue).where(ReportDue.certificate_id == cert.id)
            ).all()
            # As of ``today``: a report received later is still open on that day.
            revoked = cert.revoked_on is not None and cert.revoked_on <= today
            # A revoked platform owes no more reports: nothing due, nothing overdue.
            open_duties = [
                (d.period, d.due_on)
                for d in duties
                if not revoked and (d.received_on is None or d.received_on > today)
            ]
            complaints = session.scalars(
                select(Complaint).where(
                    Complaint.certificate_id == cert.id,
                    Complaint.received_on > year_before(today),
                    Complaint.received_on <= today,
                )
            ).all()
            rows.append(
                RegisterRow(
                    number=cert.number,
                    platform_name=version.platform_name,
                    operator_name=version.operator_name,
                    uscc=dossier.applicant.uscc,
                    county=version.county,
                    rulebook_id=dossier.round.rulebook_id,
                    round_name=dossier.round.name,
                    certified_on=cert.certified_on,
                    valid_until=cert.valid_until,
                    status=status_of(cert, today),
                    reports_due=[(p, d) for p, d in open_duties if today <= d <= month_end],
                    reports_overdue=[(p, d) for p, d in open_duties if d < today],
                    complaints_last_year=len(complaints),
                    revoked_on=cert.revoked_on,
                    revoke_reason=cert.revoke_reason,
                    revoke_ground=cert.revoke_ground,
                )
            )
        return rows


def _certificate(session: Session, number: str) -> Certificate:
    cert = session.scalars(select(Certificate).where(Certificate.number == number.strip())).first()
    if cert is None:
        raise NotFound(f"名录中没有编号为“{number}”的证书。")
    return cert


def mark_report(store: Store, number: str, period: str, received_on: date, actor: str) -> None:
    with store.write() as session:
        cert = _certificate(session, number)
        duty = session.scalars(
            select(ReportDue).where(ReportDue.certificate_id == cert.id, ReportDue.period == period)
        ).first()
        if duty is None:
            raise NotFound(f"证书“{number}”没有{period}期的报送要求。")
        duty.received_on = received_on
        audit.record(
            session,
            actor,
            "register.report",
            after={"number": number, "period": period, "received_on": received_on.isoformat()},
        )


def add_complaint(
    store: Store, number: str, received_on: date, content: str, actor: str
) -> str | None:
    """Log a complaint; returns a warning when the measure's revocation ground is reached."""
    with store.write() as session:
        cert = _certificate(session, number)
        session.add(Complaint(certificate_id=cert.id, received_on=received_on, content=content))
        session.flush()
        audit.record(
            session,
            actor,
            "register.complaint",
            after={"number": number, "date": received_on.isoformat(), "content": content},
        )
        dossier = session.get(Dossier, cert.dossier_id)
        assert dossier is not None
        limit = get_rulebook(dossier.round.rulebook_id).procedure.complaints_per_year
        if limit is None:
            return None
        days = list(
            session.scalars(
                select(Complaint.received_on).where(Complaint.certificate_id == cert.id)
            )
        )
        # The most complaints in any one year that includes this one (complaints may be
        # entered out of order, so the year may also end after it).
        most = max(
            sum(1 for d in days if year_before(end) < d <= end)
            for end in days
            if received_on <= end and year_before(end) < received_on
        )
        if most >= limit:
            return f"一年内已被投诉{most}次（{limit}次以上即构成撤销情形），请核实后决定是否撤销。"
        return None


def revoke(
    store: Store,
    number: str,
    revoked_on: date,
    reason: str,
    actor: str,
    *,
    ground: int | None = None,
) -> None:
    """Revoke a title; ``ground`` is the article it rests on (聊城 21 or 22, 西安 19), which
    decides whether it bars re-application (measures.md rule 16)."""
    if not reason.strip():
        raise UserError("撤销必须写明理由。")
    with store.write() as session:
        cert = _certificate(session, number)
        dossier = session.get(Dossier, cert.dossier_id)
        assert dossier is not None
        allowed = get_rulebook(dossier.round.rulebook_id).procedure.ground_articles
        if ground is not None and ground not in allowed:
            names = "、".join(f"{article_label(a)}（{a}）" for a in allowed)
            raise UserError(f"撤销依据只能是本办法的：{names}；不是第{ground}条。")
        if cert.revoked_on is not None:
            raise UserError(f"证书“{number}”已于{cert.revoked_on.isoformat()}撤销。")
        if revoked_on < cert.certified_on:
            raise UserError(
                f"撤销日期{revoked_on.isoformat()}早于认定日期{cert.certified_on.isoformat()}。"
            )
        cert.revoked_on, cert.revoke_reason, cert.revoke_ground = revoked_on, reason, ground
        audit.record(
            session,
            actor,
            "register.revoke",
            after={
                "number": number,
                "date": revoked_on.isoformat(),
                "reason": reason,
                "ground": ground,
            },
        )


def reapplication_bar(session: Session, uscc: str, rulebook_id: str, on: date) -> str | None:
    """An import warning when the applicant's title was revoked within the measure's bar, on a
    barring ground or on none recorded (rule 16; the finding itself is review/findings')."""
    procedure = get_rulebook(rulebook_id).procedure
    bar = procedure.reapply_bar_years
    if not bar:
        return None
    rows = session.execute(
        select(Certificate.revoked_on, Certificate.number, Certificate.revoke_ground)
        .join(Dossier, Dossier.id == Certificate.dossier_id)
        .join(Applicant, Applicant.id == Dossier.applicant_id)
        .join(Round, Round.id == Dossier.round_id)
        .where(
            Applicant.uscc == uscc,
            Certificate.revoked_on.is_not(None),
            Round.rulebook_id == rulebook_id,
        )
    ).all()
    for revoked_on, number, ground in rows:
        if ground is not None and ground not in procedure.bar_articles:
            continue
        if revoked_on is not None and on < add_years(revoked_on, bar):
            return f"该单位的示范平台称号（{number}）已于{revoked_on.isoformat()}撤销，{bar}年内不得申报。"
    return None
