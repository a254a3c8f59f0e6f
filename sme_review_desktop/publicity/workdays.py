"""Working days for publicity periods: the State Council's schedule, and the bureau's own table.

The holiday library knows only the years published before its release; each next year's
schedule is announced late in the year, so the bureau enters it (工具 → 节假日) or imports a
table. A year with no data is never silently counted as weekends only.

Holiday table format (csv in UTF-8 or GBK, or xlsx, first sheet), a header row then one row a day:

    日期,类型,名称
    2027-02-06,放假,春节
    2027-02-07,调休上班,春节

类型 is 放假 (also 休息/假日) or 调休上班 (also 上班/补班/工作日); 名称 is optional. Dates may be
written 2027-02-06, 2027/2/6 or 2027年2月6日. A year that has at least one entry counts as known:
enter the whole year's schedule at once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cache
from pathlib import Path

import chinese_calendar

from sme_review_desktop.errors import UserError


class DayKind(Enum):
    HOLIDAY = "holiday"  # 放假
    WORKDAY = "workday"  # 调休上班


@dataclass(frozen=True)
class HolidayEntry:
    day: date
    kind: DayKind
    name: str = ""


class UnknownYear(UserError):
    def __init__(self, year: int) -> None:
        super().__init__(
            f"缺少{year}年的节假日安排数据：请在 工具 → 节假日 中录入或导入国务院公布的{year}年放假和调休安排。"
        )
        self.year = year


@cache
def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class HolidayCalendar:
    """The library's schedule, overridden year by year by the bureau's entries."""

    def __init__(self, entries: Iterable[HolidayEntry] = ()) -> None:
        self.entries = {e.day: e for e in entries}
        self.bureau_years = {d.year for d in self.entries}

    def known(self, year: int) -> bool:
        return year in self.bureau_years or _library_knows(year)

    def known_years(self) -> set[int]:
        library = {y for y in range(2000, date.today().year + 3) if _library_knows(y)}
        return library | self.bureau_years

    def is_workday(self, day: date, *, assume_weekends: bool = False) -> bool:
        if day.year in self.bureau_years:
            entry = self.entries.get(day)
            if entry is not None:
                return entry.kind is DayKind.WORKDAY
            return day.weekday() < 5
        if _library_knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        if assume_weekends:
            return day.weekday() < 5
        raise UnknownYear(day.year)


@dataclass(frozen=True)
class PeriodResult:
    start: date  # the first counted working day
    end: date | None
    warnings: list[str] = field(default_factory=list)


def publicity_period(
    start: date,
    working_days: int,
    calendar: HolidayCalendar,
    *,
    count_start_day: bool = True,
    assume_weekends: bool = False,
) -> PeriodResult:
    """The period of ``working_days`` working days from ``start`` (which counts if it is one)."""
    if working_days < 1:
        raise UserError("公示期应至少为1个工作日。")
    day = start if count_start_day else start + timedelta(days=1)
    first: date | None = None
    counted = 0
    guessed: set[int] = set()
    while True:
        if not calendar.known(day.year):
            if not assume_weekends:
                warning = f"公示期跨入{day.year}年，但缺少{day.year}年的节假日安排数据，无法计算截止日期；请先录入或导入{day.year}年的放假和调休安排。"
                return PeriodResult(first or day, None, [warning])
            guessed.add(day.year)
        if calendar.is_workday(day, assume_weekends=True):
            counted += 1
            first = first or day
            if counted == working_days:
                break
        day += timedelta(days=1)
    warnings = [
        f"{y}年缺少节假日安排数据，已仅按周末计算（未考虑法定节假日和调休），请核实后再公布。"
        for y in sorted(guessed)
    ]
    return PeriodResult(first or day, day, warnings)


def format_period(start: date, end: date) -> str:
    """「自9月28日至10月9日」; the year is written on both ends when they differ."""
    if start.year != end.year:
        return f"自{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
    return f"自{start.month}月{start.day}日至{end.month}月{end.day}日"


_KINDS = {
    "放假": DayKind.HOLIDAY,
    "休息": DayKind.HOLIDAY,
    "假日": DayKind.HOLIDAY,
    "调休上班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "补班": DayKind.WORKDAY,
    "工作日": DayKind.WORKDAY,
}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def _parse_day(value: object, row: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _DATE.match(str(value or ""))
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    shown = "" if value is None else value  # an empty xlsx cell is None: never show “None”
    raise UserError(f"节假日表第{row}行：日期“{shown}”无法识别，请写成 2027-02-06。")


def _rows(path: Path) -> list[list[object]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # unreadable workbook of any kind
            raise UserError(f"无法读取节假日表“{path.name}”：{exc}") from exc
        ws = wb.worksheets[0]
        rows: list[list[object]] = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte sequence
        raise UserError(f"节假日表“{path.name}”的编码无法识别。")
    return [list(r) for r in csv.reader(io.StringIO(text))]


def parse_holiday_table(path: Path) -> list[HolidayEntry]:
    rows = _rows(path)
    if not rows:
        raise UserError(f"节假日表“{path.name}”是空的。")
    header = [str(c or "").strip() for c in rows[0]]
    try:
        i_day, i_kind = header.index("日期"), header.index("类型")
    except ValueError:
        raise UserError(f"节假日表“{path.name}”的第一行应为表头：日期、类型、名称。") from None
    i_name = header.index("名称") if "名称" in header else None
    entries: dict[date, HolidayEntry] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in row):
            continue
        day = _parse_day(row[i_day] if i_day < len(row) else None, n)
        kind_text = str((row[i_kind] if i_kind < len(row) else "") or "").strip()
        kind = _KINDS.get(kind_text)
        if kind is None:
            raise UserError(f"节假日表第{n}行：类型“{kind_text}”无效，应为“放假”或“调休上班”。")
        name = str(row[i_name] or "").strip() if i_name is not None and i_name < len(row) else ""
        previous = entries.get(day)
        if previous is not None and previous.kind is not kind:
            raise UserError(f"节假日表第{n}行：{day.isoformat()}既写为放假又写为调休上班。")
        entries[day] = HolidayEntry(day, kind, name)
    if not entries:
        raise UserError(f"节假日表“{path.name}”中没有任何日期：表头之后应每行写一天。")
    return sorted(entries.values(), key=lambda e: e.day)
