"""The bureau's holiday table in the store: import a year's schedule, list and edit days.

A year in the table replaces that year whole (workdays.HolidayCalendar), so a year's table must
be the whole State Council schedule: one without one of the seven statutory holidays is refused
rather than counted as working days, and one without any 调休上班 day is taken with a warning
(a year may have none, but a forgotten one makes a period end late).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import delete, select

from sme_review_desktop.errors import UserError
from sme_review_desktop.models import HolidayDay
from sme_review_desktop.publicity.workdays import DayKind, HolidayEntry, parse_holiday_table
from sme_review_desktop.store import audit
from sme_review_desktop.store.database import Store

# 《全国年节及纪念日放假办法》's holidays for everyone, and the words a 名称 may use for each.
# 元旦, 劳动节 and 国庆节 fall on fixed days, which count even without a name.
STATUTORY: tuple[tuple[str, tuple[str, ...], tuple[int, int] | None], ...] = (
    ("元旦", ("元旦",), (1, 1)),
    ("春节", ("春节",), None),
    ("清明节", ("清明",), None),
    ("劳动节", ("劳动", "五一"), (5, 1)),
    ("端午节", ("端午",), None),
    ("中秋节", ("中秋",), None),
    ("国庆节", ("国庆",), (10, 1)),
)


@dataclass(frozen=True)
class HolidayImport:
    years: list[int]
    warnings: list[str] = field(default_factory=list)


def _holidays_in(entries: Sequence[HolidayEntry]) -> set[str]:
    found: set[str] = set()
    for e in entries:
        if e.kind is not DayKind.HOLIDAY:
            continue  # 春节 on a 调休上班 row is a working day, not the holiday
        for holiday, words, fixed in STATUTORY:
            if any(w in e.name for w in words) or (e.day.month, e.day.day) == fixed:
                found.add(holiday)
    return found


def check_table(name: str, entries: Sequence[HolidayEntry]) -> list[str]:
    """Refuse a year without all seven holidays; the warnings for years without 调休上班."""
    missing: list[str] = []
    warnings: list[str] = []
    for year in sorted({e.day.year for e in entries}):
        days = [e for e in entries if e.day.year == year]
        found = _holidays_in(days)
        lacking = [h for h, _words, _fixed in STATUTORY if h not in found]
        if lacking:
            missing.append(f"{year}年缺少{'、'.join(lacking)}")
        if not any(e.kind is DayKind.WORKDAY for e in days):
            warnings.append(
                f"{year}年的节假日安排中没有调休上班日：已导入。若国务院公布的{year}年安排中有"
                "调休上班（补班）日，请补录，否则这些日子按周末计算，公示截止日期会推迟。"
            )
    if missing:
        raise UserError(
            f"节假日表“{name}”不完整：{'；'.join(missing)}的放假日期，未导入。"
            "每年的安排应包含元旦、春节、清明节、劳动节、端午节、中秋节、国庆节七个法定节假日，"
            "请在“名称”列写明每天所属的节日（一年中任何一天写入本表，该年即完全按本表计算）。"
        )
    return warnings


def import_holidays(store: Store, path: Path, actor: str) -> HolidayImport:
    """Replace the bureau's entries for every year the table covers; the years and warnings."""
    entries = parse_holiday_table(path)
    warnings = check_table(path.name, entries)
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
    return HolidayImport(years, warnings)


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
