"""Working days for publicity periods: the State Council's schedule, 调休, unknown years.

Dates are checked against the State Council's published schedules (国办发明电):
2025 春节 1月28日–2月4日放假，1月26日（周日）、2月8日（周六）上班；国庆、中秋 10月1日–8日放假，
9月28日（周日）、10月11日（周六）上班。2026 春节 2月15日–23日放假，2月14日（周六）、2月28日（周六）
上班；国庆 10月1日–7日放假，9月20日（周日）、10月10日（周六）上班。
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from sme_review_desktop.errors import UserError
from sme_review_desktop.publicity.workdays import (
    DayKind,
    HolidayCalendar,
    HolidayEntry,
    UnknownYear,
    format_period,
    publicity_period,
)

LIBRARY = HolidayCalendar()


def _end(start: date, n: int, *, count_start_day: bool = True) -> date | None:
    return publicity_period(start, n, LIBRARY, count_start_day=count_start_day).end


# The schedules as the State Council published them: (放假 days, 调休上班 days).
OFFICIAL = {
    "2025 春节": (
        [date(2025, 1, 28) + timedelta(days=i) for i in range(8)],
        [date(2025, 1, 26), date(2025, 2, 8)],
    ),
    "2025 国庆中秋": (
        [date(2025, 10, 1) + timedelta(days=i) for i in range(8)],
        [date(2025, 9, 28), date(2025, 10, 11)],
    ),
    "2026 春节": (
        [date(2026, 2, 15) + timedelta(days=i) for i in range(9)],
        [date(2026, 2, 14), date(2026, 2, 28)],
    ),
    "2026 国庆": (
        [date(2026, 10, 1) + timedelta(days=i) for i in range(7)],
        [date(2026, 9, 20), date(2026, 10, 10)],
    ),
}


@pytest.mark.parametrize("name", OFFICIAL)
def test_calendar_agrees_with_the_state_council_schedule(name: str) -> None:
    off, on = OFFICIAL[name]
    for day in off:
        assert not LIBRARY.is_workday(day), day
        assert not chinese_calendar.is_workday(day), day
    for day in on:
        assert day.weekday() >= 5  # a working weekend (调休)
        assert LIBRARY.is_workday(day), day
        assert chinese_calendar.is_workday(day), day
    # the ordinary days either side of the break are working days
    assert LIBRARY.is_workday(min(off) - timedelta(days=1)) or min(off).weekday() == 0
    assert LIBRARY.is_workday(max(off) + timedelta(days=1)) or max(off).weekday() == 4


def test_library_covers_2025_and_2026() -> None:
    assert LIBRARY.known(2025) and LIBRARY.known(2026)
    assert {2025, 2026} <= LIBRARY.known_years()


# ---- publicity periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        # 2025 春节: 1月27日 (Mon) is the last working day before the break; 2月8日 (Sat) works.
        (date(2025, 1, 27), 5, date(2025, 2, 8)),
        (date(2025, 1, 27), 7, date(2025, 2, 11)),
        (date(2025, 1, 27), 10, date(2025, 2, 14)),
        # 2026 春节: 2月13日 (Fri), then 2月14日 (Sat, 调休), break to 2月23日, 2月28日 (Sat) works.
        (date(2026, 2, 13), 5, date(2026, 2, 26)),
        (date(2026, 2, 13), 7, date(2026, 2, 28)),
        (date(2026, 2, 13), 10, date(2026, 3, 4)),
        # 2026 春节 starting on the working Saturday itself: it is the first day counted.
        (date(2026, 2, 14), 5, date(2026, 2, 27)),
        # 2025 国庆: from Friday 9月26日, the working Sunday 9月28日 counts.
        (date(2025, 9, 26), 5, date(2025, 10, 9)),
        (date(2025, 9, 30), 5, date(2025, 10, 13)),
        # measures.md's own example: published 2026-09-28, five working days to 2026-10-09.
        (date(2026, 9, 28), 5, date(2026, 10, 9)),
        (date(2026, 9, 28), 7, date(2026, 10, 12)),
        (date(2026, 9, 28), 10, date(2026, 10, 15)),
        # an ordinary week with no holiday at all
        (date(2025, 3, 3), 5, date(2025, 3, 7)),
        (date(2025, 3, 3), 7, date(2025, 3, 11)),
        (date(2025, 3, 3), 10, date(2025, 3, 14)),
    ],
)
def test_publicity_period_in_working_days(start: date, days: int, end: date) -> None:
    result = publicity_period(start, days, LIBRARY)
    assert result.end == end
    assert result.start == start
    assert result.warnings == []


@pytest.mark.parametrize(
    ("published", "days", "first", "end"),
    [
        # Published on 1 October: a holiday, so it does not count; counting starts 10月9日.
        # 2025: 9 Thu, 10 Fri, 11 Sat (调休), 13 Mon, 14 Tue.
        (date(2025, 10, 1), 5, date(2025, 10, 9), date(2025, 10, 14)),
        (date(2025, 10, 1), 7, date(2025, 10, 9), date(2025, 10, 16)),
        (date(2025, 10, 1), 10, date(2025, 10, 9), date(2025, 10, 21)),
        # 2026: 8 Thu, 9 Fri, 10 Sat (调休), 12 Mon, 13 Tue.
        (date(2026, 10, 1), 5, date(2026, 10, 8), date(2026, 10, 13)),
        (date(2026, 10, 1), 7, date(2026, 10, 8), date(2026, 10, 15)),
        (date(2026, 10, 1), 10, date(2026, 10, 8), date(2026, 10, 20)),
        # Published on 除夕 2025 (1月28日) and on an ordinary Sunday.
        (date(2025, 1, 28), 5, date(2025, 2, 5), date(2025, 2, 10)),
        (date(2025, 3, 2), 5, date(2025, 3, 3), date(2025, 3, 7)),
    ],
)
def test_a_start_day_that_is_not_a_working_day_does_not_count(
    published: date, days: int, first: date, end: date
) -> None:
    result = publicity_period(published, days, LIBRARY)
    assert (result.start, result.end) == (first, end)


def test_a_working_weekend_counts_as_the_start_day() -> None:
    # 2025-01-26 is a Sunday but a working day (调休 for 春节): it counts as day one.
    result = publicity_period(date(2025, 1, 26), 5, LIBRARY)
    assert (result.start, result.end) == (date(2025, 1, 26), date(2025, 2, 7))
    # 2025-10-11 (Saturday, 调休) likewise.
    result = publicity_period(date(2025, 10, 11), 1, LIBRARY)
    assert (result.start, result.end) == (date(2025, 10, 11), date(2025, 10, 11))


def test_a_one_day_period_on_a_working_day_ends_that_day() -> None:
    assert _end(date(2026, 9, 28), 1) == date(2026, 9, 28)
    assert _end(date(2026, 10, 1), 1) == date(2026, 10, 8)


def test_counting_from_the_next_day_when_the_round_says_so() -> None:
    # Published Monday 2026-09-28, counting from 9月29日: 29, 30, 10月8日, 9日, 10日 (Sat, 调休).
    result = publicity_period(date(2026, 9, 28), 5, LIBRARY, count_start_day=False)
    assert (result.start, result.end) == (date(2026, 9, 29), date(2026, 10, 10))
    # Published the day before the working Sunday 2025-09-28: that Sunday is the first day.
    result = publicity_period(date(2025, 9, 27), 5, LIBRARY, count_start_day=False)
    assert (result.start, result.end) == (date(2025, 9, 28), date(2025, 10, 10))


@pytest.mark.parametrize("start", [date(2025, 1, 27), date(2025, 9, 26), date(2026, 2, 13)])
@pytest.mark.parametrize("days", [5, 7, 10])
def test_period_agrees_with_chinese_calendar(start: date, days: int) -> None:
    # chinese_calendar.find_workday(n, d) counts from the day *after* d (platform-notes.md).
    expected = chinese_calendar.find_workday(days - 1, start)
    assert chinese_calendar.is_workday(start)
    assert _end(start, days) == expected
    workdays = chinese_calendar.get_workdays(start, expected)
    assert len(workdays) == days


@pytest.mark.parametrize("days", [0, -1])
def test_a_period_needs_at_least_one_working_day(days: int) -> None:
    with pytest.raises(UserError, match="至少为1个工作日"):
        publicity_period(date(2026, 9, 28), days, LIBRARY)


# ---- a year with no holiday data ---------------------------------------------------------------


def test_the_library_does_not_know_2027() -> None:
    assert not LIBRARY.known(2027)
    with pytest.raises(UnknownYear, match="2027") as info:
        LIBRARY.is_workday(date(2027, 3, 1))
    assert info.value.year == 2027
    assert "节假日安排" in str(info.value)


def test_a_period_reaching_an_unknown_year_has_no_end_and_says_which_year() -> None:
    # 2026-12-29 (Tue): 29, 30, 31 are known; the 4th day falls in 2027.
    result = publicity_period(date(2026, 12, 29), 5, LIBRARY)
    assert result.end is None
    assert result.start == date(2026, 12, 29)
    assert len(result.warnings) == 1
    assert "2027年" in result.warnings[0] and "无法计算" in result.warnings[0]


def test_a_period_wholly_in_an_unknown_year_has_no_end() -> None:
    result = publicity_period(date(2027, 3, 1), 5, LIBRARY)
    assert result.end is None and "2027年" in result.warnings[0]


def test_a_period_ending_before_the_unknown_year_needs_no_warning() -> None:
    # Three working days from 2026-12-29 end on 12-31: 2027 is never reached.
    result = publicity_period(date(2026, 12, 29), 3, LIBRARY)
    assert result.end == date(2026, 12, 31) and result.warnings == []


def test_assuming_weekends_computes_the_end_but_still_says_so() -> None:
    result = publicity_period(date(2026, 12, 29), 5, LIBRARY, assume_weekends=True)
    # 29, 30, 31, then 2027-01-01 (Fri) counted as a working day for want of data, 01-04 (Mon).
    assert result.end == date(2027, 1, 4)
    assert len(result.warnings) == 1
    assert "2027年" in result.warnings[0] and "仅按周末" in result.warnings[0]


def test_assuming_weekends_within_a_known_year_warns_nothing() -> None:
    result = publicity_period(date(2026, 9, 28), 5, LIBRARY, assume_weekends=True)
    assert result.end == date(2026, 10, 9) and result.warnings == []


# A hypothetical 2027 schedule as a bureau would enter it (for the tests only).
BUREAU_2027 = [
    HolidayEntry(date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
    HolidayEntry(date(2027, 2, 5), DayKind.HOLIDAY, "春节"),
    HolidayEntry(date(2027, 2, 8), DayKind.HOLIDAY, "春节"),
    HolidayEntry(date(2027, 2, 9), DayKind.HOLIDAY, "春节"),
    HolidayEntry(date(2027, 2, 10), DayKind.HOLIDAY, "春节"),
    HolidayEntry(date(2027, 2, 11), DayKind.HOLIDAY, "春节"),
    HolidayEntry(date(2027, 2, 12), DayKind.HOLIDAY, "春节"),
    HolidayEntry(date(2027, 2, 14), DayKind.WORKDAY, "春节"),
    HolidayEntry(date(2027, 2, 20), DayKind.WORKDAY, "春节"),
]


def test_a_bureau_table_makes_the_year_known() -> None:
    calendar = HolidayCalendar(BUREAU_2027)
    assert calendar.known(2027)
    result = publicity_period(date(2026, 12, 29), 5, calendar)
    # 29, 30, 31, (1月1日 放假, 2–3 weekend), 4, 5.
    assert result.end == date(2027, 1, 5) and result.warnings == []


def test_a_bureau_table_counts_its_holidays_and_working_weekends() -> None:
    calendar = HolidayCalendar(BUREAU_2027)
    assert not calendar.is_workday(date(2027, 2, 8))  # Monday, 放假
    assert calendar.is_workday(date(2027, 2, 14))  # Sunday, 调休上班
    assert not calendar.is_workday(date(2027, 2, 13))  # an ordinary Saturday
    assert calendar.is_workday(date(2027, 3, 1))  # an ordinary Monday in the known year
    # From Thu 2027-02-04: 4, (5 放假, 6–13 off), 14 (Sun, 调休), 15, 16, 17.
    result = publicity_period(date(2027, 2, 4), 5, calendar)
    assert result.end == date(2027, 2, 17)


def test_a_bureau_table_overrides_the_library_for_its_year() -> None:
    # The bureau's entries for a year replace the library's schedule for that year entirely.
    calendar = HolidayCalendar([HolidayEntry(date(2026, 10, 9), DayKind.HOLIDAY, "地方")])
    assert not calendar.is_workday(date(2026, 10, 9))
    assert calendar.is_workday(date(2026, 10, 1))  # no longer a holiday: not in the table
    assert HolidayCalendar().is_workday(date(2025, 10, 1)) is False  # other years untouched


# ---- the period as written in notices ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2026, 9, 28), date(2026, 10, 9), "自9月28日至10月9日"),
        (date(2025, 1, 27), date(2025, 2, 8), "自1月27日至2月8日"),
        (date(2025, 3, 3), date(2025, 3, 3), "自3月3日至3月3日"),
        (date(2026, 12, 29), date(2027, 1, 5), "自2026年12月29日至2027年1月5日"),
        # the boundary: a period ending on 31 December is one year's, on 1 January two years'
        (date(2026, 12, 28), date(2026, 12, 31), "自12月28日至12月31日"),
        (date(2026, 12, 28), date(2027, 1, 1), "自2026年12月28日至2027年1月1日"),
        (date(2026, 12, 31), date(2027, 1, 1), "自2026年12月31日至2027年1月1日"),
        (date(2027, 1, 1), date(2027, 1, 4), "自1月1日至1月4日"),
        (date(2026, 12, 28), date(2027, 1, 4), "自2026年12月28日至2027年1月4日"),
    ],
)
def test_format_period(start: date, end: date, text: str) -> None:
    assert format_period(start, end) == text


def test_format_period_of_a_computed_period() -> None:
    result = publicity_period(date(2025, 10, 1), 5, LIBRARY)
    assert result.end is not None
    assert format_period(result.start, result.end) == "自10月9日至10月14日"
