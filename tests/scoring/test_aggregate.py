"""Aggregation (去掉一个最高分和一个最低分), ranking with ties, and the outlier flag."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from sme_review_desktop.scoring.aggregate import aggregate, outliers, rank


def test_nobody_scored_is_none() -> None:
    assert aggregate([]) is None


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        ([D(80)], D("80.00")),
        ([D(80), D(90)], D("85.00")),
        ([D(70), D(80), D(90), D(100)], D("85.00")),  # four: plain mean, nothing dropped
        ([D(60), D(80), D(82), D(84), D(99)], D("82.00")),  # five: drop 60 and 99
        ([D(60), D(80), D(82), D(84), D(86), D(99)], D("83.00")),  # six: drop one of each only
        ([D(80), D(80), D(80), D(80), D(80)], D("80.00")),
        ([D("80.5"), D("81"), D("81"), D("90"), D("70")], D("80.83")),  # rounded half up to 0.01
    ],
)
def test_aggregate_trims_from_five_scores(totals: list[D], expected: D) -> None:
    assert aggregate(totals) == expected


def test_trimming_is_a_round_setting() -> None:
    assert aggregate([D(60), D(80), D(82), D(84), D(99)], trim_from=None) == D("81.00")


def test_ranks_share_ties_and_skip_after_them() -> None:
    ranks = rank({1: D(90), 2: D(85), 3: D(90), 4: D(70), 5: None})
    assert ranks == {1: 1, 3: 1, 2: 3, 4: 4}


@pytest.mark.parametrize(
    ("other", "flagged"),
    [(D("64.99"), True), (D("65"), False), (D("95.01"), True), (D("95"), False), (D("80"), False)],
)
def test_outlier_is_more_than_15_points_from_the_others_mean(other: D, flagged: bool) -> None:
    totals = {"甲": D(80), "乙": D(80), "丙": D(80), "丁": other}
    assert ("丁" in outliers(totals)) is flagged


def test_a_single_score_has_nothing_to_compare_with() -> None:
    assert outliers({"甲": D(10)}) == set()
