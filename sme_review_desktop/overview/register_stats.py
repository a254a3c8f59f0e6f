"""The register's statistics: certified platforms by year, expiry per month, status."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, extract, func, select
from sqlalchemy.orm import Session

from sme_review_desktop.models import (
    Certificate,
    Dossier,
    ReportDue,
)
from sme_review_desktop.overview.stats_model import EXPIRY_MONTHS, RegisterStats
from sme_review_desktop.register.platforms import EXPIRING_DAYS


def _month_start(day: date, months_ahead: int) -> date:
    index = day.year * 12 + day.month - 1 + months_ahead
    return date(index // 12, index % 12 + 1, 1)


def register_summary(session: Session, round_id: int | None, as_of: date) -> RegisterStats:
    def scoped(q: Select[Any]) -> Select[Any]:
        if round_id is None:
            return q
        return q.join(Dossier, Dossier.id == Certificate.dossier_id).where(
            Dossier.round_id == round_id
        )

    year = extract("year", Certificate.certified_on)
    by_year = session.execute(
        scoped(select(year, func.count(Certificate.id)).group_by(year).order_by(year))
    ).all()
    revoked_now = and_(Certificate.revoked_on.is_not(None), Certificate.revoked_on <= as_of)
    status_expr = case(
        (revoked_now, "revoked"),
        (Certificate.valid_until < as_of, "expired"),
        (Certificate.valid_until <= as_of + timedelta(days=EXPIRING_DAYS), "expiring"),
        else_="valid",
    )
    status = {"valid": 0, "expiring": 0, "expired": 0, "revoked": 0}
    # Grouped outside a subquery: PostgreSQL will not match a CASE with parameters in GROUP BY.
    each = scoped(select(status_expr.label("status"))).subquery()
    for key, n in session.execute(select(each.c.status, func.count()).group_by(each.c.status)):
        status[str(key)] = int(n)
    first = as_of.replace(day=1)
    last_month = _month_start(as_of, EXPIRY_MONTHS - 1)
    last = last_month.replace(day=calendar.monthrange(last_month.year, last_month.month)[1])
    vy, vm = extract("year", Certificate.valid_until), extract("month", Certificate.valid_until)
    ending = {
        (int(y), int(m)): int(n)
        for y, m, n in session.execute(
            scoped(
                select(vy, vm, func.count(Certificate.id))
                .where(
                    Certificate.valid_until >= as_of,
                    Certificate.valid_until <= last,
                    ~revoked_now,
                )
                .group_by(vy, vm)
            )
        )
    }
    months = []
    for k in range(EXPIRY_MONTHS):
        start = _month_start(first, k)
        months.append((f"{start.year}-{start.month:02d}", ending.get((start.year, start.month), 0)))
    # As the register counts them: due before the day, not received by then, and a platform
    # revoked by then owes nothing more.
    open_duty = and_(
        ReportDue.due_on < as_of,
        (ReportDue.received_on.is_(None)) | (ReportDue.received_on > as_of),
        ~revoked_now,
    )
    overdue, platforms = session.execute(
        scoped(
            select(func.count(ReportDue.id), func.count(func.distinct(ReportDue.certificate_id)))
            .select_from(ReportDue)
            .join(Certificate, Certificate.id == ReportDue.certificate_id)
            .where(open_duty)
        )
    ).one()
    ryear = extract("year", Certificate.revoked_on)
    revocations = session.execute(
        scoped(
            select(ryear, func.count(Certificate.id))
            .where(revoked_now)
            .group_by(ryear)
            .order_by(ryear)
        )
    ).all()
    return RegisterStats(
        scope="all" if round_id is None else "round",
        as_of=as_of,
        certified_by_year=tuple((int(y), int(n)) for y, n in by_year),
        expiring_by_month=tuple(months),
        status=status,
        reports_overdue=int(overdue or 0),
        platforms_with_overdue=int(platforms or 0),
        revocations_by_year=tuple((int(y), int(n)) for y, n in revocations),
    )
