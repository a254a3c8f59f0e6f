"""The register (示范平台名录): report duties, status, validity, complaints, revocation, the bar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from approval_helpers import approve
from sqlalchemy import select

from sme_review_desktop.errors import NotFound, UserError
from sme_review_desktop.models import AuditEntry, Certificate, ReportDue
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import finalize, start_publicity, valid_until
from sme_review_desktop.register.platforms import (
    EXPIRING_DAYS,
    add_complaint,
    mark_report,
    reapplication_bar,
    register_rows,
    report_schedule,
    revoke,
    status_of,
    year_before,
)
from sme_review_desktop.rules.rulebook import ReportDuty, get_rulebook
from sme_review_desktop.store.database import Store

LIAOCHENG, XIAN = 1, 2  # the demo's rounds


@pytest.fixture
def demo(demo_store: Store) -> Store:
    """The demo data set, a fresh copy per test (built once per session in conftest)."""
    return demo_store


def _certify(store: Store, round_id: int, certified_on: date, n: int = 1) -> list[tuple[str, str]]:
    """Approve the round's first ``n`` dossiers, publicise them and certify them on a date."""
    codes = [s.uscc for s in dossier_summaries(store, round_id)[:n]]
    for code in codes:
        approve(store, round_id, code, "评审合格", "组长")
    publicised = certified_on - timedelta(days=30)
    start_publicity(store, round_id, publicised, "秘书", assume_weekends=True)
    return finalize(store, round_id, certified_on, "局长").certified


def _duties(store: Store, number: str) -> list[tuple[str, date]]:
    with store.read() as session:
        cert = session.scalars(select(Certificate).where(Certificate.number == number)).one()
        return [
            (d.period, d.due_on)
            for d in session.scalars(
                select(ReportDue)
                .where(ReportDue.certificate_id == cert.id)
                .order_by(ReportDue.due_on)
            )
        ]


def _liaocheng_duty() -> ReportDuty:
    return get_rulebook("liaocheng-2021").procedure.reports[0]


def _xian_duty() -> ReportDuty:
    return get_rulebook("xian-2018").procedure.reports[0]


# ---- validity ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("certified", "until"),
    [
        (date(2025, 10, 15), date(2028, 10, 14)),
        (date(2026, 3, 1), date(2029, 2, 28)),
        (date(2027, 3, 1), date(2030, 2, 28)),  # the span covers 2028-02-29
        # Certified on a leap day: the anniversary in 2027 falls on 2月28日 (民法典 第二百零二条,
        # 没有对应日的，月末日), so the certificate runs to the day before, 2月27日.
        (date(2024, 2, 29), date(2027, 2, 27)),
        (date(2024, 2, 28), date(2027, 2, 27)),
    ],
)
def test_validity_is_three_years_from_the_certification_date(certified: date, until: date) -> None:
    assert get_rulebook("liaocheng-2021").procedure.validity_years == 3
    assert get_rulebook("xian-2018").procedure.validity_years == 3
    assert valid_until(certified, 3) == until


def test_finalize_records_validity_from_a_leap_day(demo: Store) -> None:
    [(code, number)] = _certify(demo, LIAOCHENG, date(2024, 2, 29))
    [row] = register_rows(demo, date(2024, 3, 1))
    assert (row.number, row.uscc) == (number, code)
    assert (row.certified_on, row.valid_until) == (date(2024, 2, 29), date(2027, 2, 27))
    assert register_rows(demo, date(2027, 2, 27))[0].status == "即将到期"
    assert register_rows(demo, date(2027, 2, 28))[0].status == "已到期"


# ---- report schedules --------------------------------------------------------------------------


def test_the_rulebooks_state_the_duties_of_the_measures() -> None:
    lc, xa = _liaocheng_duty(), _xian_duty()
    assert (lc.kind, lc.day, lc.article) == ("quarterly", 25, 20)
    assert (xa.kind, xa.month, xa.day, xa.article) == ("annual", 1, "last", 19)


@pytest.mark.parametrize(
    ("certified", "first", "last", "count"),
    [
        # From the first day of a quarter: every quarter of three years.
        (date(2027, 1, 4), ("2027Q1", date(2027, 3, 25)), ("2029Q4", date(2029, 12, 25)), 12),
        # After the 25th of a quarter's last month: that quarter's report is not owed, but the
        # validity (to 2030-03-25) reaches the same quarter three years on.
        (date(2027, 3, 26), ("2027Q2", date(2027, 6, 25)), ("2030Q1", date(2030, 3, 25)), 12),
        # Valid to 2030-03-24: the 2030Q1 report falls after expiry and is not owed.
        (date(2027, 3, 25), ("2027Q1", date(2027, 3, 25)), ("2029Q4", date(2029, 12, 25)), 12),
        # On the due date itself: owed (the day counts).
        (date(2027, 6, 25), ("2027Q2", date(2027, 6, 25)), ("2030Q1", date(2030, 3, 25)), 12),
        # Leap day: valid to 2027-02-27, so 2027Q1 (due 3月25日) falls outside.
        (date(2024, 2, 29), ("2024Q1", date(2024, 3, 25)), ("2026Q4", date(2026, 12, 25)), 12),
    ],
)
def test_liaocheng_quarterly_reports_across_three_years(
    certified: date, first: tuple[str, date], last: tuple[str, date], count: int
) -> None:
    schedule = report_schedule(_liaocheng_duty(), certified, valid_until(certified, 3))
    assert (schedule[0], schedule[-1], len(schedule)) == (first, last, count)
    for period, due in schedule:
        assert due.day == 25 and due.month in (3, 6, 9, 12)
        assert period == f"{due.year}Q{due.month // 3}"
    dues = [d for _, d in schedule]
    assert dues == sorted(set(dues))


def test_a_liaocheng_report_due_the_day_after_expiry_is_not_owed() -> None:
    # Certified 2026-12-26: valid to 2029-12-25, the last quarter's due date, which is owed.
    schedule = report_schedule(_liaocheng_duty(), date(2026, 12, 26), date(2029, 12, 25))
    assert schedule[-1] == ("2029Q4", date(2029, 12, 25))
    schedule = report_schedule(_liaocheng_duty(), date(2026, 12, 26), date(2029, 12, 24))
    assert schedule[-1] == ("2029Q3", date(2029, 9, 25))


@pytest.mark.parametrize(
    ("certified", "expected"),
    [
        (
            date(2025, 11, 20),
            [("2025", date(2026, 1, 31)), ("2026", date(2027, 1, 31)), ("2027", date(2028, 1, 31))],
        ),
        # Certified in January, before the deadline: no report for the year before certification.
        (date(2026, 1, 15), [("2026", date(2027, 1, 31)), ("2027", date(2028, 1, 31))]),
        # Leap day certification: the reports fall on 31 January, never on February dates.
        (
            date(2024, 2, 29),
            [("2024", date(2025, 1, 31)), ("2025", date(2026, 1, 31)), ("2026", date(2027, 1, 31))],
        ),
    ],
)
def test_xian_annual_report_by_the_end_of_january_of_the_next_year(
    certified: date, expected: list[tuple[str, date]]
) -> None:
    assert report_schedule(_xian_duty(), certified, valid_until(certified, 3)) == expected


def test_finalize_creates_the_duties_of_each_measure(demo: Store) -> None:
    [(_, lc)] = _certify(demo, LIAOCHENG, date(2027, 1, 4))
    [(_, xa)] = _certify(demo, XIAN, date(2027, 1, 4))
    lc_duties = _duties(demo, lc)
    assert len(lc_duties) == 12
    assert lc_duties[0] == ("2027Q1", date(2027, 3, 25))
    assert lc_duties[-1] == ("2029Q4", date(2029, 12, 25))
    # Valid to 2030-01-03: the 2029 summary, due 2030-01-31, falls after expiry and is not
    # asked for (the measure binds 示范平台; by then the title has lapsed or been renewed).
    assert _duties(demo, xa) == [("2027", date(2028, 1, 31)), ("2028", date(2029, 1, 31))]


# ---- reports received, due and overdue as of a date --------------------------------------------


def test_liaocheng_reports_due_and_overdue_as_of_a_date(demo: Store) -> None:
    [(_, number)] = _certify(demo, LIAOCHENG, date(2026, 11, 2))

    def row(day: date) -> tuple[list[tuple[str, date]], list[tuple[str, date]]]:
        [r] = register_rows(demo, day)
        return r.reports_due, r.reports_overdue

    q4, q1 = ("2026Q4", date(2026, 12, 25)), ("2027Q1", date(2027, 3, 25))
    assert row(date(2026, 11, 30)) == ([], [])
    assert row(date(2026, 12, 1)) == ([q4], [])  # due this month
    assert row(date(2026, 12, 25)) == ([q4], [])  # the due date itself is not late
    assert row(date(2026, 12, 26)) == ([], [q4])
    assert row(date(2027, 3, 25)) == ([q1], [q4])
    assert row(date(2027, 3, 26)) == ([], [q4, q1])
    mark_report(demo, number, "2026Q4", date(2027, 1, 5), "秘书")
    assert row(date(2027, 3, 26)) == ([], [q1])
    # As of a day before it arrived, the late report was still outstanding.
    assert row(date(2027, 1, 4)) == ([], [q4])
    assert row(date(2027, 1, 5)) == ([], [])
    mark_report(demo, number, "2027Q1", date(2027, 3, 20), "秘书")  # on time
    assert row(date(2027, 3, 26)) == ([], [])


def test_xian_report_overdue_after_the_31st_of_january(demo: Store) -> None:
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    due = ("2026", date(2027, 1, 31))
    assert register_rows(demo, date(2026, 12, 31))[0].reports_due == []
    assert register_rows(demo, date(2027, 1, 1))[0].reports_due == [due]
    assert register_rows(demo, date(2027, 1, 31))[0].reports_overdue == []
    assert register_rows(demo, date(2027, 2, 1))[0].reports_overdue == [due]
    mark_report(demo, number, "2026", date(2027, 1, 30), "秘书")
    assert register_rows(demo, date(2027, 2, 1))[0].reports_overdue == []


def test_marking_a_report_needs_a_known_certificate_and_period(demo: Store) -> None:
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    with pytest.raises(NotFound, match="2026Q1"):
        mark_report(demo, number, "2026Q1", date(2027, 1, 5), "秘书")
    with pytest.raises(NotFound, match="没有编号为"):
        mark_report(demo, "西示范平台〔2026〕999号", "2026", date(2027, 1, 5), "秘书")
    mark_report(demo, f"  {number} ", "2026", date(2027, 1, 5), "秘书")  # spaces are trimmed
    with demo.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "register.report"


# ---- status ------------------------------------------------------------------------------------


def _cert(certified: date, revoked: date | None = None) -> Certificate:
    return Certificate(
        number="x",
        certified_on=certified,
        valid_until=valid_until(certified, 3),
        revoked_on=revoked,
        revoke_reason="",
    )


def test_status_at_the_boundaries() -> None:
    cert = _cert(date(2026, 10, 12))  # valid to 2029-10-11
    expiry = date(2029, 10, 11)
    assert EXPIRING_DAYS == 90
    assert status_of(cert, date(2026, 10, 12)) == "有效"
    assert status_of(cert, expiry - timedelta(days=EXPIRING_DAYS + 1)) == "有效"
    assert status_of(cert, expiry - timedelta(days=EXPIRING_DAYS)) == "即将到期"
    assert status_of(cert, expiry - timedelta(days=1)) == "即将到期"
    assert status_of(cert, expiry) == "即将到期"  # the last day of validity
    assert status_of(cert, expiry + timedelta(days=1)) == "已到期"


def test_status_after_revocation() -> None:
    cert = _cert(date(2026, 10, 12), revoked=date(2028, 3, 1))
    assert status_of(cert, date(2028, 2, 29)) == "有效"  # the day before: still valid
    assert status_of(cert, date(2028, 3, 1)) == "已撤销"
    assert status_of(cert, date(2029, 10, 1)) == "已撤销"  # revocation outranks 即将到期
    assert status_of(cert, date(2029, 10, 12)) == "已撤销"  # and 已到期


def test_register_shows_each_status(demo: Store) -> None:
    _certify(demo, LIAOCHENG, date(2026, 10, 12))
    expiry = date(2029, 10, 11)
    statuses = {
        day: register_rows(demo, day)[0].status
        for day in (
            expiry - timedelta(days=91),
            expiry - timedelta(days=90),
            expiry,
            expiry + timedelta(days=1),
        )
    }
    assert list(statuses.values()) == ["有效", "即将到期", "即将到期", "已到期"]


# ---- complaints (西安: three within one year is a revocation ground) --------------------------


def test_year_before_is_a_calendar_year() -> None:
    assert year_before(date(2027, 6, 1)) == date(2026, 6, 1)
    assert year_before(date(2028, 3, 1)) == date(2027, 3, 1)  # not 2027-03-02 (365 days)
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_the_rulebooks_state_the_complaint_limit() -> None:
    assert get_rulebook("xian-2018").procedure.complaints_per_year == 3
    assert get_rulebook("liaocheng-2021").procedure.complaints_per_year is None


def test_two_complaints_within_a_year_are_no_ground(demo: Store) -> None:
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    assert add_complaint(demo, number, date(2027, 1, 10), "服务不到位", "秘书") is None
    assert add_complaint(demo, number, date(2027, 1, 11), "收费过高", "秘书") is None
    assert register_rows(demo, date(2027, 1, 12))[0].complaints_last_year == 2


def test_the_third_complaint_within_a_year_flags_the_ground(demo: Store) -> None:
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    add_complaint(demo, number, date(2027, 1, 10), "一", "秘书")
    add_complaint(demo, number, date(2027, 5, 10), "二", "秘书")
    warning = add_complaint(demo, number, date(2028, 1, 9), "三", "秘书")
    assert warning is not None and "一年内已被投诉3次" in warning and "撤销" in warning
    assert "4次" in (add_complaint(demo, number, date(2028, 1, 9), "四", "秘书") or "")
    # Logging a complaint never revokes by itself: the bureau decides.
    assert register_rows(demo, date(2028, 1, 10))[0].status == "有效"


def test_three_complaints_spread_over_more_than_a_year_are_no_ground(demo: Store) -> None:
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    add_complaint(demo, number, date(2027, 1, 10), "一", "秘书")
    add_complaint(demo, number, date(2027, 5, 10), "二", "秘书")
    # Exactly a year after the first: the first is no longer 「一年内」.
    assert add_complaint(demo, number, date(2028, 1, 10), "三", "秘书") is None
    rows = register_rows(demo, date(2028, 1, 10))
    assert rows[0].complaints_last_year == 2


def test_a_year_across_a_leap_day_is_a_calendar_year(demo: Store) -> None:
    # 2027-03-02 to 2028-03-01 is less than a year, though 366 days apart with 2028-02-29.
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    add_complaint(demo, number, date(2027, 3, 2), "一", "秘书")
    add_complaint(demo, number, date(2027, 9, 1), "二", "秘书")
    assert add_complaint(demo, number, date(2028, 3, 1), "三", "秘书") is not None
    assert register_rows(demo, date(2028, 3, 1))[0].complaints_last_year == 3
    assert register_rows(demo, date(2028, 3, 2))[0].complaints_last_year == 2


def test_complaints_entered_out_of_order(demo: Store) -> None:
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    add_complaint(demo, number, date(2027, 3, 1), "一", "秘书")
    add_complaint(demo, number, date(2028, 6, 1), "二", "秘书")
    # An older complaint entered late: the three span fifteen months, no one year holds three.
    assert add_complaint(demo, number, date(2027, 1, 1), "三", "秘书") is None
    # One that completes a year with the later ones does flag the ground.
    add_complaint(demo, number, date(2027, 12, 1), "四", "秘书")
    warning = add_complaint(demo, number, date(2027, 11, 1), "五", "秘书")
    assert warning is not None and "3次" in warning


def test_complaints_counted_as_of_a_date(demo: Store) -> None:
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    add_complaint(demo, number, date(2027, 1, 10), "一", "秘书")
    add_complaint(demo, number, date(2027, 6, 10), "二", "秘书")
    assert register_rows(demo, date(2027, 1, 9))[0].complaints_last_year == 0
    assert register_rows(demo, date(2027, 3, 1))[0].complaints_last_year == 1
    assert register_rows(demo, date(2027, 6, 10))[0].complaints_last_year == 2
    assert register_rows(demo, date(2028, 1, 10))[0].complaints_last_year == 1
    assert register_rows(demo, date(2028, 6, 10))[0].complaints_last_year == 0


def test_liaocheng_names_no_complaint_limit(demo: Store) -> None:
    [(_, number)] = _certify(demo, LIAOCHENG, date(2026, 11, 2))
    for day in (1, 2, 3, 4):
        assert add_complaint(demo, number, date(2027, 1, day), "投诉", "秘书") is None
    assert register_rows(demo, date(2027, 1, 5))[0].complaints_last_year == 4


# ---- revocation and the re-application bar -----------------------------------------------------


def test_revocation_needs_a_reason_and_happens_once(demo: Store) -> None:
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    with pytest.raises(UserError, match="理由"):
        revoke(demo, number, date(2027, 3, 1), "  ", "局长")
    with pytest.raises(UserError, match="早于认定日期"):
        revoke(demo, number, date(2026, 11, 1), "一年内三次被投诉", "局长")
    with pytest.raises(NotFound):
        revoke(demo, "不存在的编号", date(2027, 3, 1), "理由", "局长")
    assert register_rows(demo, date(2027, 3, 1))[0].revoked_on is None
    revoke(demo, number, date(2027, 3, 1), "一年内三次被投诉", "局长")
    with pytest.raises(UserError, match="已于2027-03-01撤销"):
        revoke(demo, number, date(2027, 4, 1), "又一次", "局长")
    row = register_rows(demo, date(2027, 3, 1))[0]
    assert (row.status, row.revoked_on, row.revoke_reason) == (
        "已撤销",
        date(2027, 3, 1),
        "一年内三次被投诉",
    )
    assert register_rows(demo, date(2027, 2, 28))[0].status == "有效"
    with demo.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None and entry.action == "register.revoke"
        assert entry.after == {
            "number": number,
            "date": "2027-03-01",
            "reason": "一年内三次被投诉",
            "ground": None,
        }


def test_liaocheng_revocation_bars_reapplication_for_three_years(demo: Store) -> None:
    [(code, number)] = _certify(demo, LIAOCHENG, date(2026, 11, 2))
    with demo.read() as session:
        assert reapplication_bar(session, code, "liaocheng-2021", date(2027, 6, 1)) is None
    revoke(demo, number, date(2027, 6, 1), "违法违规行为经查实", "局长")
    assert get_rulebook("liaocheng-2021").procedure.reapply_bar_years == 3
    with demo.read() as session:
        for on in (date(2027, 6, 1), date(2029, 12, 31), date(2030, 5, 31)):
            warning = reapplication_bar(session, code, "liaocheng-2021", on)
            assert warning is not None
            assert number in warning and "2027-06-01" in warning and "3年内不得申报" in warning
        assert reapplication_bar(session, code, "liaocheng-2021", date(2030, 6, 1)) is None
        # The bar is the 聊城 measure's: another applicant or another measure is not barred.
        assert reapplication_bar(session, "91371500MA3C000000", "liaocheng-2021", on) is None
        assert reapplication_bar(session, code, "xian-2018", date(2028, 1, 1)) is None


def test_xian_names_no_reapplication_bar(demo: Store) -> None:
    [(code, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    revoke(demo, number, date(2027, 6, 1), "不向中小企业主管部门报送年度总结报告", "局长")
    assert get_rulebook("xian-2018").procedure.reapply_bar_years == 0
    with demo.read() as session:
        assert reapplication_bar(session, code, "xian-2018", date(2027, 6, 2)) is None


def test_a_revoked_platform_owes_no_more_reports(demo: Store) -> None:
    [(_, number)] = _certify(demo, XIAN, date(2026, 11, 2))
    late = date(2029, 6, 1)
    assert register_rows(demo, late)[0].reports_overdue  # unrevoked: its reports are overdue
    revoke(demo, number, date(2027, 3, 1), "一年内三次被投诉", "局长")
    row = register_rows(demo, late)[0]
    assert (row.reports_due, row.reports_overdue) == ([], [])
    before = register_rows(demo, date(2027, 2, 28))[0]  # the day before, it still owed them
    assert before.status == "有效"
