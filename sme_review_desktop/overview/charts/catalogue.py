"""Which charts a scope has, and building them by key."""

from __future__ import annotations

from collections.abc import Callable

from sme_review_desktop.overview.charts.base import Chart, Stats
from sme_review_desktop.overview.charts.cross_round import rounds_chart
from sme_review_desktop.overview.charts.register_charts import (
    register_expiry_chart,
    register_status_chart,
    register_years_chart,
)
from sme_review_desktop.overview.charts.round_charts import (
    county_chart,
    dossier_scores_chart,
    expert_spread_chart,
    funnel_chart,
    shortfalls_chart,
)
from sme_review_desktop.overview.stats_model import (
    RoundStats,
)

Builder = Callable[[Stats], Chart]


ROUND_CHARTS: tuple[tuple[str, str], ...] = (
    ("funnel", "评审漏斗"),
    ("shortfalls", "不符合条件"),
    ("by_county", "分县（市、区）"),
    ("expert_spread", "专家评分分布"),
    ("dossier_scores", "各申报评分"),
    ("register_years", "历年认定"),
    ("register_expiry", "有效期届满"),
    ("register_status", "名录状况"),
)


OVERALL_CHARTS: tuple[tuple[str, str], ...] = (
    ("rounds", "各批次对比"),
    ("by_county", "分县（市、区）"),
    ("register_years", "历年认定"),
    ("register_expiry", "有效期届满"),
    ("register_status", "名录状况"),
)


_BUILDERS: dict[str, Callable[..., Chart]] = {
    "funnel": funnel_chart,
    "shortfalls": shortfalls_chart,
    "by_county": county_chart,
    "expert_spread": expert_spread_chart,
    "dossier_scores": dossier_scores_chart,
    "register_years": register_years_chart,
    "register_expiry": register_expiry_chart,
    "register_status": register_status_chart,
    "rounds": rounds_chart,
}


def chart_keys(stats: Stats) -> tuple[tuple[str, str], ...]:
    return ROUND_CHARTS if isinstance(stats, RoundStats) else OVERALL_CHARTS


def build_chart(key: str, stats: Stats) -> Chart:
    return _BUILDERS[key](stats)


def build_charts(stats: Stats) -> list[Chart]:
    return [build_chart(key, stats) for key, _ in chart_keys(stats)]
