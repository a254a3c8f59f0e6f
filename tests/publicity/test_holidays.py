"""The bureau's holiday table: import (csv, xlsx), errors that change nothing, re-import, edits."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from sme_review_desktop.errors import UserError
from sme_review_desktop.models import AuditEntry
from sme_review_desktop.publicity.holidays import (
    HolidayImport,
    bureau_days,
    import_holidays,
    remove_day,
    set_day,
)
from sme_review_desktop.publicity.service import compute_period, holiday_calendar
from sme_review_desktop.publicity.workdays import DayKind, HolidayEntry, parse_holiday_table
from sme_review_desktop.store.database import Store

# A hypothetical 2027 schedule (the State Council had not announced 2027 when this was written).
TABLE_2027 = [
    ["日期", "类型", "名称"],
    ["2027-01-01", "放假", "元旦"],
    ["2027/2/5", "放假", "春节"],
    ["2027年2月8日", "放假", "春节"],
    ["2027-02-09", "休息", "春节"],
    ["2027-02-10", "假日", "春节"],
    ["2027-02-11", "放假", "春节"],
    ["2027-02-12", "放假", "春节"],
    ["2027-02-14", "调休上班", "春节"],
    ["2027-02-20", "补班", "春节"],
]
# The rest of that hypothetical year: a table for a year has all seven statutory holidays.
REST_OF_2027 = [
    ["2027-04-05", "放假", "清明节"],
    ["2027-05-01", "放假", "劳动节"],
    ["2027-06-09", "放假", "端午节"],
    ["2027-09-15", "放假", "中秋节"],
    ["2027-10-01", "放假", "国庆节"],
    ["2027-10-02", "放假", "国庆节"],
]
FULL_2027 = TABLE_2027 + REST_OF_2027
HOLIDAYS = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
MONTH_DAY = ["01-01", "02-06", "04-05", "05-01", "06-09", "09-15", "10-01"]


def year_rows(year: int, holidays: list[str] = HOLIDAYS, workday: bool = True) -> list[list[str]]:
    """A hypothetical year's schedule: one day off for each holiday named, one 调休上班 day."""
    rows = [["日期", "类型", "名称"]]
    rows += [[f"{year}-{MONTH_DAY[HOLIDAYS.index(h)]}", "放假", h] for h in holidays]
    if workday:
        rows.append([f"{year}-02-14", "调休上班", "春节"])
    return rows


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    path.write_bytes("\n".join(",".join(r) for r in rows).encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _days(store: Store) -> dict[date, tuple[str, str]]:
    return {d.day: (d.kind, d.name) for d in bureau_days(store)}


def _audit_count(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count(AuditEntry.id))) or 0


# ---- parsing -----------------------------------------------------------------------------------


def test_parse_csv_in_every_documented_date_format(tmp_path: Path) -> None:
    entries = parse_holiday_table(_csv(tmp_path / "h.csv", TABLE_2027))
    assert len(entries) == 9
    assert entries[0] == HolidayEntry(date(2027, 1, 1), DayKind.HOLIDAY, "元旦")
    assert entries[1].day == date(2027, 2, 5) and entries[2].day == date(2027, 2, 8)
    kinds = {e.day: e.kind for e in entries}
    assert kinds[date(2027, 2, 9)] is DayKind.HOLIDAY  # 休息
    assert kinds[date(2027, 2, 10)] is DayKind.HOLIDAY  # 假日
    assert kinds[date(2027, 2, 14)] is DayKind.WORKDAY  # 调休上班
    assert kinds[date(2027, 2, 20)] is DayKind.WORKDAY  # 补班
    assert [e.day for e in entries] == sorted(e.day for e in entries)


def test_parse_csv_in_gbk_and_with_a_bom(tmp_path: Path) -> None:
    gbk = parse_holiday_table(_csv(tmp_path / "gbk.csv", TABLE_2027, "gbk"))
    bom = parse_holiday_table(_csv(tmp_path / "bom.csv", TABLE_2027, "utf-8-sig"))
    utf8 = parse_holiday_table(_csv(tmp_path / "u.csv", TABLE_2027))
    assert gbk == bom == utf8


def test_parse_csv_without_a_name_column_and_with_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("类型,日期\n放假,2027-01-01\n,\n\n调休上班,2027-02-14\n", encoding="utf-8")
    assert parse_holiday_table(path) == [
        HolidayEntry(date(2027, 1, 1), DayKind.HOLIDAY, ""),
        HolidayEntry(date(2027, 2, 14), DayKind.WORKDAY, ""),
    ]


def test_parse_xlsx_with_date_cells_and_text_cells(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["日期", "类型", "名称"],
        [datetime(2027, 1, 1), "放假", "元旦"],
        [date(2027, 2, 14), "调休上班", None],
        ["2027年2月8日", "放假", "春节"],
    ]
    entries = parse_holiday_table(_xlsx(tmp_path / "h.xlsx", rows))
    assert entries == [
        HolidayEntry(date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
        HolidayEntry(date(2027, 2, 8), DayKind.HOLIDAY, "春节"),
        HolidayEntry(date(2027, 2, 14), DayKind.WORKDAY, ""),
    ]


def test_the_same_day_twice_with_the_same_kind_is_accepted(tmp_path: Path) -> None:
    rows = [["日期", "类型"], ["2027-01-01", "放假"], ["2027/1/1", "休息"]]
    assert len(parse_holiday_table(_csv(tmp_path / "h.csv", rows))) == 1


# ---- errors: clear, in Chinese, and nothing changes --------------------------------------------


BAD_TABLES: list[tuple[str, list[list[str]], str]] = [
    ("bad date", [["日期", "类型"], ["2027-02-30", "放假"]], "第2行.*日期“2027-02-30”无法识别"),
    ("not a date", [["日期", "类型"], ["2027-01-01", "放假"], ["春节", "放假"]], "第3行.*无法识别"),
    ("empty date", [["日期", "类型"], ["", "放假"]], "第2行：日期“”无法识别"),
    (
        "both kinds",
        [["日期", "类型"], ["2027-02-14", "放假"], ["2027/2/14", "调休上班"]],
        "第3行.*2027-02-14既写为放假又写为调休上班",
    ),
    ("unknown kind", [["日期", "类型"], ["2027-01-01", "节日"]], "第2行.*类型“节日”无效"),
    ("empty kind", [["日期", "类型"], ["2027-01-01", ""]], "第2行.*类型“”无效"),
    ("no kind column", [["日期", "名称"], ["2027-01-01", "元旦"]], "第一行应为表头"),
    ("no header", [["2027-01-01", "放假"]], "第一行应为表头"),
    ("header only", [["日期", "类型", "名称"]], "没有"),
]


@pytest.mark.parametrize(("why", "rows", "message"), BAD_TABLES, ids=[t[0] for t in BAD_TABLES])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_bad_table_is_refused_and_changes_nothing(
    store: Store, tmp_path: Path, why: str, rows: list[list[str]], message: str, fmt: str
) -> None:
    import_holidays(store, _csv(tmp_path / "ok.csv", FULL_2027), "秘书")
    before, audits = _days(store), _audit_count(store)
    path = (
        _csv(tmp_path / "bad.csv", rows)
        if fmt == "csv"
        else _xlsx(tmp_path / "bad.xlsx", [list(r) for r in rows])
    )
    with pytest.raises(UserError, match=message) as info:
        import_holidays(store, path, "秘书")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))
    assert _days(store) == before
    assert _audit_count(store) == audits


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx"])
def test_an_empty_file_is_refused(store: Store, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(b"")
    else:
        Workbook().save(path)
    with pytest.raises(UserError, match=rf"节假日表“{re.escape(name)}”是空的"):
        import_holidays(store, path, "秘书")
    assert _days(store) == {} and _audit_count(store) == 0


def test_an_unreadable_workbook_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UserError, match=r"无法读取节假日表“broken\.xlsx”"):
        import_holidays(store, path, "秘书")
    assert _days(store) == {}


# ---- import into the store ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_stores_the_days_and_makes_the_year_known(
    store: Store, tmp_path: Path, fmt: str
) -> None:
    path = (
        _csv(tmp_path / "h.csv", FULL_2027)
        if fmt == "csv"
        else _xlsx(tmp_path / "h.xlsx", [list(r) for r in FULL_2027])
    )
    assert compute_period(store, date(2026, 12, 29), 5).end is None
    assert import_holidays(store, path, "秘书") == HolidayImport([2027], [])
    days = _days(store)
    assert len(days) == 15
    assert days[date(2027, 1, 1)] == ("holiday", "元旦")
    assert days[date(2027, 2, 14)] == ("workday", "春节")
    # 29, 30, 31, (1月1日 放假, weekend), 4, 5: the period is now computed, with no warning.
    period = compute_period(store, date(2026, 12, 29), 5)
    assert period.end == date(2027, 1, 5) and period.warnings == []
    # 4 (Thu), (5–13 off), 14 (Sun, 调休上班), 15, 16, 17.
    assert compute_period(store, date(2027, 2, 4), 5).end == date(2027, 2, 17)
    with store.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "holidays.import"
        assert entry.after == {"file": path.name, "years": [2027], "days": 15}


def test_reimport_replaces_the_year_and_leaves_other_years(store: Store, tmp_path: Path) -> None:
    import_holidays(store, _csv(tmp_path / "a.csv", FULL_2027), "秘书")
    import_holidays(store, _csv(tmp_path / "b.csv", year_rows(2028)), "秘书")
    corrected = [*year_rows(2027), ["2027-02-07", "调休上班", "春节"]]
    assert import_holidays(store, _csv(tmp_path / "c.csv", corrected), "秘书").years == [2027]
    days = _days(store)
    assert sorted(d for d in days if d.year == 2027) == sorted(
        date.fromisoformat(r[0]) for r in corrected[1:]
    )
    assert len([d for d in days if d.year == 2028]) == 8
    # 2月8日 is no longer a holiday in the bureau's 2027.
    with store.read() as session:
        assert holiday_calendar(session).is_workday(date(2027, 2, 8))


def test_a_table_covering_two_years_replaces_both(store: Store, tmp_path: Path) -> None:
    import_holidays(store, _csv(tmp_path / "a.csv", FULL_2027), "秘书")
    rows = year_rows(2027) + year_rows(2028)[1:]
    assert import_holidays(store, _csv(tmp_path / "b.csv", rows), "秘书").years == [2027, 2028]
    assert sorted(_days(store)) == sorted(date.fromisoformat(r[0]) for r in rows[1:])


def test_set_and_remove_a_day(store: Store) -> None:
    set_day(store, HolidayEntry(date(2027, 1, 1), DayKind.HOLIDAY, "元旦"), "秘书")
    set_day(store, HolidayEntry(date(2027, 1, 1), DayKind.WORKDAY, "改"), "秘书")
    assert _days(store) == {date(2027, 1, 1): ("workday", "改")}
    with store.read() as session:
        assert holiday_calendar(session).known(2027)
    remove_day(store, date(2027, 1, 1), "秘书")
    remove_day(store, date(2027, 1, 2), "秘书")  # not there: nothing happens
    assert _days(store) == {}
    with store.read() as session:
        assert not holiday_calendar(session).known(2027)
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["holidays.set", "holidays.set", "holidays.remove"]


# ---- a year's table is the whole schedule: the seven holidays, and 调休上班 or a warning -------


@pytest.mark.parametrize("missing", HOLIDAYS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_six_of_the_seven_holidays_is_refused_naming_the_one_missing(
    store: Store, tmp_path: Path, missing: str, fmt: str
) -> None:
    rows = year_rows(2027, [h for h in HOLIDAYS if h != missing])
    path = (
        _csv(tmp_path / "h.csv", rows)
        if fmt == "csv"
        else _xlsx(tmp_path / "h.xlsx", [list(r) for r in rows])
    )
    with pytest.raises(UserError) as info:
        import_holidays(store, path, "秘书")
    assert f"2027年缺少{missing}的放假日期，未导入" in str(info.value)
    assert _days(store) == {} and _audit_count(store) == 0


def test_seven_of_seven_is_accepted_without_a_warning(store: Store, tmp_path: Path) -> None:
    done = import_holidays(store, _csv(tmp_path / "h.csv", year_rows(2027)), "秘书")
    assert done == HolidayImport([2027], [])


def test_every_missing_holiday_of_every_year_is_named(store: Store, tmp_path: Path) -> None:
    rows = year_rows(2027, ["元旦", "春节", "清明节", "劳动节", "端午节"]) + year_rows(2028)[1:]
    rows += year_rows(2029, ["国庆节"])[1:]
    with pytest.raises(UserError) as info:
        import_holidays(store, _csv(tmp_path / "h.csv", rows), "秘书")
    message = str(info.value)
    assert (
        "2027年缺少中秋节、国庆节；2029年缺少元旦、春节、清明节、劳动节、端午节、中秋节" in message
    )
    assert "2028年" not in message


def test_a_holiday_only_on_a_workday_row_does_not_count(store: Store, tmp_path: Path) -> None:
    rows = year_rows(2027, [h for h in HOLIDAYS if h != "春节"])  # 调休上班 row still says 春节
    with pytest.raises(UserError, match="2027年缺少春节的"):
        import_holidays(store, _csv(tmp_path / "h.csv", rows), "秘书")


def test_names_as_the_state_council_writes_them_and_fixed_days_without_a_name(
    store: Store, tmp_path: Path
) -> None:
    rows = [
        ["日期", "类型", "名称"],
        ["2027-01-01", "放假", ""],  # 元旦 by its day
        ["2027-02-06", "放假", "春节假期"],
        ["2027-04-05", "放假", "清明"],
        ["2027-05-01", "放假", ""],  # 劳动节 by its day
        ["2027-06-09", "放假", "端午"],
        ["2027-09-15", "放假", "中秋节、国庆节"],
        ["2027-02-14", "调休上班", "春节"],
    ]
    assert import_holidays(store, _csv(tmp_path / "h.csv", rows), "秘书").warnings == []
    rows[4] = ["2027-05-02", "放假", ""]  # the day after 5月1日, unnamed: not 劳动节
    with pytest.raises(UserError, match="2027年缺少劳动节的"):
        import_holidays(store, _csv(tmp_path / "h2.csv", rows), "秘书")


def test_a_year_without_adjusted_working_days_is_accepted_with_a_warning(
    store: Store, tmp_path: Path
) -> None:
    rows = year_rows(2027, workday=False) + year_rows(2028)[1:]
    done = import_holidays(store, _csv(tmp_path / "h.csv", rows), "秘书")
    assert done.years == [2027, 2028]
    assert len(done.warnings) == 1  # 2028 has its 调休上班 day
    assert done.warnings[0].startswith("2027年的节假日安排中没有调休上班日：已导入")
    assert len(_days(store)) == 7 + 8
