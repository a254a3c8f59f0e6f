"""The bureau's holiday table in the store: import a year's schedule, list and edit days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import delete, select

from sme_review_desktop.models import HolidayDay
from sme_review_desktop.publicity.workdays import HolidayEntry, parse_holiday_table
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import Store


def import_holidays(store: Store, path: Path, actor: str) -> list[int]:
    """Replace the bureau's entries for every year the table covers; returns those years."""
    entries = parse_holiday_table(path)
    years = sorted({e.day.year for e in entries})
    with store.write() as session:
        for year in years:
            session.execute(
                delete(HolidayDay).where(
                    HolidayDay.day >= date(year, 1, 1), HolidayDay.day <= date(year, 12, 31)
                )
            )
        for e in entries:
            session.add(HolidayDay(day=e.day, kind=e.kind.value, name=e.name))
        audit.record(
            session,
            actor,
            "holidays.import",
            after={"file": path.name, "years": years, "days": len(entries)},
        )
    return years


def set_day(store: Store, entry: HolidayEntry, actor: str) -> None:
    with store.write() as session:
        row = session.get(HolidayDay, entry.day)
        before = {"kind": row.kind, "name": row.name} if row else None
        if row is None:
            session.add(HolidayDay(day=entry.day, kind=entry.kind.value, name=entry.name))
        else:
            row.kind, row.name = entry.kind.value, entry.name
        audit.record(
            session,
            actor,
            "holidays.set",
            before=before,
            after={"day": entry.day.isoformat(), "kind": entry.kind.value},
        )


def remove_day(store: Store, day: date, actor: str) -> None:
    with store.write() as session:
        row = session.get(HolidayDay, day)
        if row is not None:
            session.delete(row)
            audit.record(
                session, actor, "holidays.remove", before={"day": day.isoformat(), "kind": row.kind}
            )


def bureau_days(store: Store) -> list[HolidayDay]:
    with store.read() as session:
        return list(session.scalars(select(HolidayDay).order_by(HolidayDay.day)))
