"""Publicity in working days, objections, finalisation, certificate numbers, and the register."""

from __future__ import annotations

from datetime import date

import pytest
from approval_helpers import approve

from sme_review_desktop.errors import UserError
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import (
    add_objection,
    finalize,
    settle_objection,
    start_publicity,
    valid_until,
)
from sme_review_desktop.register.platforms import (
    add_complaint,
    mark_report,
    register_rows,
    report_schedule,
    revoke,
)
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.store.database import Store


@pytest.fixture
def demo(demo_store: Store) -> Store:
    """The demo data set, a fresh copy per test (built once per session in conftest)."""
    return demo_store


def _approve(store: Store, round_id: int, n: int) -> list[str]:
    codes = [s.uscc for s in dossier_summaries(store, round_id)[:n]]
    for code in codes:
        approve(store, round_id, code, "评审合格", "组长")
    return codes


def test_publicity_needs_approved_dossiers(demo: Store) -> None:
    with pytest.raises(UserError, match="拟认定"):
        start_publicity(demo, 1, date(2026, 9, 28), "秘书")


def test_publicity_runs_five_working_days_across_national_day(demo: Store) -> None:
    _approve(demo, 1, 3)
    info = start_publicity(demo, 1, date(2026, 9, 28), "秘书")
    assert (info.start, info.end, info.working_days, info.dossiers) == (
        date(2026, 9, 28),
        date(2026, 10, 9),
        5,
        3,
    )


def test_publicity_reaching_an_unknown_year_is_refused_unless_weekends_assumed(demo: Store) -> None:
    _approve(demo, 2, 1)
    with pytest.raises(UserError, match="2027"):
        start_publicity(demo, 2, date(2026, 12, 29), "秘书")
    info = start_publicity(demo, 2, date(2026, 12, 29), "秘书", assume_weekends=True)
    assert info.end == date(2027, 1, 4) and "2027" in info.warnings[0]


def test_finalize_certifies_numbers_and_locks(demo: Store) -> None:
    codes = _approve(demo, 1, 3)
    start_publicity(demo, 1, date(2026, 9, 28), "秘书")
    oid = add_objection(demo, 1, codes[1], date(2026, 9, 30), "服务人数不实", "秘书")
    with pytest.raises(UserError, match="公示期"):
        finalize(demo, 1, date(2026, 10, 9), "局长")  # the last day of publicity is too early
    with pytest.raises(UserError, match="异议"):
        finalize(demo, 1, date(2026, 10, 12), "局长")
    settle_objection(demo, oid, "经核实属实", True, "秘书")
    result = finalize(demo, 1, date(2026, 10, 12), "局长")
    assert [u for u, _ in result.certified] == [codes[0], codes[2]]
    assert result.excluded == [(codes[1], "异议成立")]
    assert [n for _, n in result.certified] == [
        "聊示范平台〔2026〕001号",
        "聊示范平台〔2026〕002号",
    ]
    with pytest.raises(UserError, match="锁定"):
        decide(demo, 1, codes[0], "rejected", "改判", "组长")
    rows = {r.uscc: r for r in register_rows(demo, date(2026, 11, 1))}
    assert rows[codes[0]].valid_until == date(2029, 10, 11)
    assert rows[codes[0]].status == "有效"


def test_certificate_numbers_never_repeat_across_rounds(demo: Store) -> None:
    from sme_review_desktop.rounds import create_round, update_settings

    codes = _approve(demo, 1, 1)
    start_publicity(demo, 1, date(2026, 9, 28), "秘书")
    finalize(demo, 1, date(2026, 10, 12), "局长")
    # A second 聊城 round the same year, with one applicant carried over by re-import.
    rid = create_round(demo, "liaocheng-2021", "2026年度第二批", date(2026, 10, 30), "秘书")
    update_settings(demo, rid, {"certificate_pattern": "聊示范平台〔{year}〕{seq:03d}号"}, "秘书")
    from sme_review_desktop.models import Dossier, Round

    with demo.write() as session:  # move one unapproved dossier of round 1 into the new round
        d = session.query(Dossier).filter(Dossier.round_id == 1).order_by(Dossier.id.desc()).first()
        assert d is not None
        session.get(Round, 1)
        d.round_id = rid
        uscc = d.applicant.uscc
    # The demo's last 聊城 dossier lacks three materials: the panel approves it as an exception.
    approve(demo, rid, uscc, "合格", "组长", override="补正材料已在会上当场核验")
    start_publicity(demo, rid, date(2026, 11, 2), "秘书")
    result = finalize(demo, rid, date(2026, 11, 20), "局长")
    assert result.certified == [(uscc, "聊示范平台〔2026〕002号")]
    assert codes


@pytest.mark.parametrize(
    ("certified", "until"),
    [
        (date(2026, 10, 12), date(2029, 10, 11)),
        (date(2028, 2, 29), date(2031, 2, 27)),
        (date(2026, 1, 1), date(2028, 12, 31)),
    ],
)
def test_validity_is_three_years(certified: date, until: date) -> None:
    assert valid_until(certified, 3) == until


def test_liaocheng_reports_are_quarterly_on_the_25th() -> None:
    duty = get_rulebook("liaocheng-2021").procedure.reports[0]
    schedule = report_schedule(duty, date(2026, 10, 12), date(2029, 10, 11))
    assert schedule[:3] == [
        ("2026Q4", date(2026, 12, 25)),
        ("2027Q1", date(2027, 3, 25)),
        ("2027Q2", date(2027, 6, 25)),
    ]
    assert schedule[-1] == ("2029Q3", date(2029, 9, 25))
    assert len(schedule) == 12


def test_liaocheng_quarter_due_on_the_certification_day_counts() -> None:
    duty = get_rulebook("liaocheng-2021").procedure.reports[0]
    assert report_schedule(duty, date(2026, 12, 25), date(2029, 12, 24))[0] == (
        "2026Q4",
        date(2026, 12, 25),
    )
    assert report_schedule(duty, date(2026, 12, 26), date(2029, 12, 25))[0] == (
        "2027Q1",
        date(2027, 3, 25),
    )


def test_xian_annual_report_is_due_by_the_end_of_january() -> None:
    duty = get_rulebook("xian-2018").procedure.reports[0]
    schedule = report_schedule(duty, date(2026, 10, 12), date(2029, 10, 11))
    assert schedule == [
        ("2026", date(2027, 1, 31)),
        ("2027", date(2028, 1, 31)),
        ("2028", date(2029, 1, 31)),
    ]


def test_register_tracks_reports_complaints_and_revocation(demo: Store) -> None:
    codes = _approve(demo, 2, 1)  # 西安
    start_publicity(demo, 2, date(2026, 9, 28), "秘书")
    number = finalize(demo, 2, date(2026, 10, 12), "局长").certified[0][1]
    row = register_rows(demo, date(2027, 2, 10))[0]
    assert row.uscc == codes[0] and row.reports_overdue == [("2026", date(2027, 1, 31))]
    assert register_rows(demo, date(2027, 1, 5))[0].reports_due == [("2026", date(2027, 1, 31))]
    mark_report(demo, number, "2026", date(2027, 2, 11), "秘书")
    assert register_rows(demo, date(2027, 2, 12))[0].reports_overdue == []
    assert add_complaint(demo, number, date(2027, 3, 1), "服务不到位", "秘书") is None
    assert add_complaint(demo, number, date(2027, 6, 1), "收费过高", "秘书") is None
    warning = add_complaint(demo, number, date(2028, 2, 28), "未按约定服务", "秘书")
    assert warning and "3次" in warning  # three within one year: a revocation ground
    revoke(demo, number, date(2028, 3, 1), "一年内三次被投诉", "局长")
    assert register_rows(demo, date(2028, 3, 2))[0].status == "已撤销"
    assert register_rows(demo, date(2029, 8, 1))[0].status == "已撤销"


def test_register_status_expiring_and_expired(demo: Store) -> None:
    _approve(demo, 2, 1)
    start_publicity(demo, 2, date(2026, 9, 28), "秘书")
    finalize(demo, 2, date(2026, 10, 12), "局长")
    assert register_rows(demo, date(2029, 7, 13))[0].status == "即将到期"
    assert register_rows(demo, date(2029, 7, 12))[0].status == "有效"
    assert register_rows(demo, date(2029, 10, 12))[0].status == "已到期"
