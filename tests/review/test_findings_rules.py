"""The findings as pure rules (measures.md rules 14–16), at and around every boundary."""

from __future__ import annotations

from datetime import date

import pytest

from sme_review_desktop.review.findings import (
    Holding,
    Revocation,
    already_certified,
    outside_city,
    revocation_findings,
    stale_decision,
)
from sme_review_desktop.rules.rulebook import get_rulebook

LIAOCHENG, XIAN = get_rulebook("liaocheng-2021"), get_rulebook("xian-2018")


@pytest.mark.parametrize(
    ("book", "code", "outside"),
    [
        (LIAOCHENG, "91371502MA3C0002X8", False),
        (LIAOCHENG, "91371599MA3C0002X8", False),
        (LIAOCHENG, "91610131MA6W00010X", True),  # 西安 高新区 in 聊城
        (LIAOCHENG, "91371402MA3C0002X8", True),  # 德州, one digit off
        (XIAN, "91610131MA6W00010X", False),
        (XIAN, "91610402MA6W00082G", True),  # 咸阳
    ],
)
def test_outside_city_reads_the_prefix_from_the_rulebook(
    book: object, code: str, outside: bool
) -> None:
    found = outside_city(book, code)  # type: ignore[arg-type]
    assert (found is not None) == outside
    if found:
        assert found.blocking and found.overridable and code[2:8] in found.message


REVOKED = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("reference", "barred"),
    [
        (date(2024, 2, 29), False),  # revoked after the reference date
        (date(2024, 3, 1), True),
        (date(2027, 2, 28), True),  # the last day within 3 years
        (date(2027, 3, 1), False),  # 3 years to the day: may apply again
    ],
)
def test_article_22_bars_for_three_years_without_exception(reference: date, barred: bool) -> None:
    found = revocation_findings(
        LIAOCHENG, [Revocation("聊示范平台〔2023〕001号", REVOKED, 22)], reference
    )
    assert [f.code for f in found] == (["barred_after_revocation"] if barred else [])
    if barred:
        assert found[0].blocking and not found[0].overridable
        assert "第二十二条" in found[0].message


def test_article_21_bars_nothing_and_no_ground_is_for_a_person() -> None:
    on = date(2026, 6, 30)
    assert revocation_findings(LIAOCHENG, [Revocation("n", REVOKED, 21)], on) == []
    [found] = revocation_findings(LIAOCHENG, [Revocation("n", REVOKED, None)], on)
    assert (found.code, found.blocking, found.overridable) == ("revoked_before", True, True)
    # Older than the bar, the ground no longer matters.
    assert revocation_findings(LIAOCHENG, [Revocation("n", REVOKED, None)], date(2027, 3, 1)) == []


@pytest.mark.parametrize("ground", [19, None])
def test_no_xian_revocation_bars_reapplication(ground: int | None) -> None:
    assert revocation_findings(XIAN, [Revocation("n", REVOKED, ground)], date(2025, 1, 1)) == []


@pytest.mark.parametrize(
    ("valid_until", "revoked", "flagged"),
    [
        (date(2026, 12, 31), None, False),  # expires in the round's year: may re-apply
        (date(2027, 1, 1), None, True),
        (date(2025, 6, 30), None, False),  # expired before
        (date(2028, 1, 1), date(2026, 1, 5), False),  # revoked: revocation_findings' concern
    ],
)
def test_already_certified_until_the_year_it_expires(
    valid_until: date, revoked: date | None, flagged: bool
) -> None:
    found = already_certified([Holding("聊示范平台〔2024〕001号", valid_until, revoked)], 2026)
    assert (found is not None) == flagged
    if found:
        assert found.blocking and found.overridable


@pytest.mark.parametrize(
    ("decided_on", "newest", "stale"), [(1, 1, False), (1, 2, True), (2, 2, False)]
)
def test_stale_decision(decided_on: int, newest: int, stale: bool) -> None:
    found = stale_decision("拟认定", decided_on, newest)
    assert (found is not None) == stale
    if found:
        assert not found.blocking and f"第{newest}版" in found.message
