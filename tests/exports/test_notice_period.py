"""A publicity period across the new year is written with both years, in the PDF and the xlsx.

「自2026年12月28日至2027年1月4日」; a period inside one year keeps 「自12月25日至12月31日」.
The 2027 schedule is the bureau's (hypothetical: not announced when this was written).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from approval_helpers import approve
from openpyxl import load_workbook
from pypdf import PdfReader

from sme_review_desktop.exports.notice import write_notice
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.holidays import import_holidays
from sme_review_desktop.publicity.service import start_publicity
from sme_review_desktop.store.database import Store

SCHEDULE_2027 = """日期,类型,名称
2027-01-01,放假,元旦
2027-02-06,放假,春节
2027-02-14,调休上班,春节
2027-04-05,放假,清明节
2027-05-01,放假,劳动节
2027-06-09,放假,端午节
2027-09-15,放假,中秋节
2027-10-01,放假,国庆节
"""


@pytest.fixture
def decided(demo_store: Store, tmp_path: Path) -> Store:
    table = tmp_path / "2027.csv"
    table.write_text(SCHEDULE_2027, encoding="utf-8")
    import_holidays(demo_store, table, "秘书")
    for row in dossier_summaries(demo_store, 1)[:2]:
        approve(demo_store, 1, row.uscc, "符合条件", "组长")
    return demo_store


def _pdf_text(path: Path) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(path).pages).split())


@pytest.mark.parametrize(
    ("start", "days", "period"),
    [
        # 25 (Fri), 28, 29, 30, 31: ends on the year's last day, one year.
        (date(2026, 12, 25), 5, "自12月25日至12月31日"),
        # 28, 29, 30, 31, (1 January off, weekend), 4: ends in the next year.
        (date(2026, 12, 28), 5, "自2026年12月28日至2027年1月4日"),
        # 31 December and the first working day after 元旦: two years though two days.
        (date(2026, 12, 31), 2, "自2026年12月31日至2027年1月4日"),
    ],
)
def test_the_notice_writes_the_period_with_years_when_it_spans_two(
    decided: Store, tmp_path: Path, start: date, days: int, period: str
) -> None:
    start_publicity(decided, 1, start, "秘书", days=days)
    ws = load_workbook(write_notice(decided, 1, tmp_path / "公示.xlsx")).active
    assert ws is not None
    assert ws.cell(2, 1).value == f"公示时间：{period}（{days}个工作日）"
    assert f"公示时间：{period}" in _pdf_text(write_notice(decided, 1, tmp_path / "公示.pdf"))
