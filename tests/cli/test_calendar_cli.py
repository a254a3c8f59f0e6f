"""`calendar import` refuses a year without the seven holidays and warns of one without 调休上班;
`calendar workdays` fails (status 1, stderr) whenever it cannot give an end date."""

from __future__ import annotations

import json
from pathlib import Path

from .test_contract import run

HOLIDAYS = {
    "元旦": "01-01",
    "春节": "02-06",
    "清明节": "04-05",
    "劳动节": "05-01",
    "端午节": "06-09",
    "中秋节": "09-15",
    "国庆节": "10-01",
}


def _table(path: Path, year: int, *, leave_out: str = "", workday: bool = True) -> Path:
    rows = ["日期,类型,名称"]
    rows += [f"{year}-{md},放假,{name}" for name, md in HOLIDAYS.items() if name != leave_out]
    if workday:
        rows.append(f"{year}-02-14,调休上班,春节")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_of_a_whole_year(tmp_path: Path) -> None:
    proc = run(tmp_path, "calendar", "import", str(_table(tmp_path / "h.csv", 2027)), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"years": [2027], "warnings": []}
    assert proc.stderr == ""


def test_import_without_one_holiday_is_refused_naming_it(tmp_path: Path) -> None:
    table = _table(tmp_path / "h.csv", 2027, leave_out="端午节")
    proc = run(tmp_path, "calendar", "import", str(table), "--json")
    assert proc.returncode == 2  # a refused input, as every UserError of the CLI
    assert proc.stdout == ""
    assert "错误：" in proc.stderr and "2027年缺少端午节的放假日期，未导入" in proc.stderr
    assert "Traceback" not in proc.stderr
    # nothing was stored: 2027 is still unknown
    far = run(tmp_path, "calendar", "workdays", "--start", "2027-03-01", "--days", "3")
    assert far.returncode == 1


def test_import_without_adjusted_working_days_warns_on_stderr_and_in_json(tmp_path: Path) -> None:
    table = _table(tmp_path / "h.csv", 2027, workday=False)
    proc = run(tmp_path, "calendar", "import", str(table), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["years"] == [2027] and len(out["warnings"]) == 1
    assert "2027年的节假日安排中没有调休上班日" in out["warnings"][0]
    assert "警告：2027年的节假日安排中没有调休上班日" in proc.stderr
    human = run(tmp_path, "calendar", "import", str(table))
    assert human.returncode == 0
    assert human.stdout.strip() == "已导入2027年的节假日安排。"
    assert "警告：2027年的节假日安排中没有调休上班日" in human.stderr


def test_workdays_up_to_the_last_known_day_and_one_past_it(tmp_path: Path) -> None:
    assert (
        run(tmp_path, "calendar", "import", str(_table(tmp_path / "h.csv", 2027))).returncode == 0
    )
    # 2027-12-27 (Mon) … 31 (Fri): five working days end on the last day of the known year.
    within = run(tmp_path, "calendar", "workdays", "--start", "2027-12-27", "--days", "5")
    assert within.returncode == 0, within.stderr
    assert within.stdout.startswith("2027-12-27 至 2027-12-31（自12月27日至12月31日）")
    # A sixth falls in 2028, whose schedule nobody entered: no end date, status 1.
    beyond = run(tmp_path, "calendar", "workdays", "--start", "2027-12-27", "--days", "6")
    assert beyond.returncode == 1
    assert beyond.stdout == ""
    assert "错误：公示期跨入2028年，但缺少2028年的节假日安排数据" in beyond.stderr
    as_json = run(
        tmp_path, "calendar", "workdays", "--start", "2027-12-27", "--days", "6", "--json"
    )
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["end"] is None  # the JSON still says why
    assert "缺少2028年的节假日安排数据" in as_json.stderr


def test_workdays_across_the_new_year_writes_both_years(tmp_path: Path) -> None:
    assert (
        run(tmp_path, "calendar", "import", str(_table(tmp_path / "h.csv", 2027))).returncode == 0
    )
    proc = run(tmp_path, "calendar", "workdays", "--start", "2026-12-28", "--days", "5")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("2026-12-28 至 2027-01-04（自2026年12月28日至2027年1月4日）")
    # with --assume-weekends an end date is given (warned): status 0
    guessed = run(
        tmp_path,
        "calendar",
        "workdays",
        "--start",
        "2027-12-27",
        "--days",
        "6",
        "--assume-weekends",
    )
    assert guessed.returncode == 0 and "2028年缺少节假日安排数据" in guessed.stdout
