"""Each chart's numbers as table rows, for the table under it in the 统计报告 PDF."""

from __future__ import annotations

from collections.abc import Sequence

from sme_review_desktop.overview.charts.base import Stats, pct
from sme_review_desktop.overview.stats_model import (
    SUGGESTIONS,
    OverallStats,
    RegisterStats,
    RoundStats,
)
from sme_review_desktop.scoring.decisions import DECISION_LABELS


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def chart_table(key: str, stats: Stats) -> tuple[list[str], list[list[str]]]:
    """The numbers of one chart as a header and rows of text: the table under it in the PDF."""
    if key == "funnel":
        assert isinstance(stats, RoundStats)
        f = stats.funnel
        names = {**DECISION_LABELS, "undecided": "未决定"}
        rows = [
            ["收到申报", str(f.received), pct(f.received, f.received)],
            [
                "形式审查通过（材料齐全）",
                str(f.formal_complete),
                pct(f.formal_complete, f.received),
            ],
        ]
        rows += [
            [
                f"系统建议：{label}",
                str(f.suggestion.get(k, 0)),
                pct(f.suggestion.get(k, 0), f.received),
            ]
            for k, label in SUGGESTIONS
        ]
        rows += [
            [f"评审决定：{names.get(d, d)}", str(n), pct(n, f.received)]
            for d, n in f.decision.items()
        ]
        rows += [
            ["已公示", str(f.publicised), pct(f.publicised, f.received)],
            ["已认定（发证）", str(f.certified), pct(f.certified, f.received)],
        ]
        return ["环节", "申报材料（份）", "占收到申报"], rows
    if key == "shortfalls":
        assert isinstance(stats, RoundStats)
        return ["条款", "条件", "标准", "系统判定不符合", "评审人判定不符合", "不符合（家）"], [
            [
                s.clause,
                s.text,
                s.threshold or "评审人判断",
                str(s.app),
                str(s.reviewer),
                str(s.dossiers),
            ]
            for s in stats.shortfalls
        ]
    if key == "by_county":
        return ["县（市、区）", "申报", "拟认定", "已认定"], [
            [c.county, str(c.dossiers), str(c.approved), str(c.certified)] for c in stats.by_county
        ]
    if key == "expert_spread":
        assert isinstance(stats, RoundStats)
        sc = stats.scoring
        every = [*sc.experts, *([sc.panel] if sc.panel else [])]
        return [
            "专家",
            "评分份数",
            "最低",
            "下四分位",
            "中位数",
            "上四分位",
            "最高",
            "平均",
            "平均偏差",
            "被标记偏离",
        ], [
            [
                e.name,
                str(e.count),
                _num(e.minimum),
                _num(e.q1),
                _num(e.median),
                _num(e.q3),
                _num(e.maximum),
                _num(e.mean),
                "" if e.mean_deviation is None else f"{e.mean_deviation:+.2f}",
                "" if e is sc.panel else str(e.flagged),
            ]
            for e in every
        ]
    if key == "dossier_scores":
        assert isinstance(stats, RoundStats)
        experts = [e.name for e in stats.scoring.experts]
        rows = []
        for d in stats.scoring.dossiers:
            scores = dict(d.scores)
            rows.append(
                [
                    str(d.rank or ""),
                    d.platform_name,
                    *[
                        (
                            ""
                            if n not in scores
                            else f"{scores[n]:.2f}" + ("*" if n in d.outliers else "")
                        )
                        for n in experts
                    ],
                    _num(d.aggregate),
                ]
            )
        return ["名次", "平台名称", *experts, "汇总分"], rows
    reg = stats.register
    if key == "register_years":
        revoked = dict(reg.revocations_by_year)
        years = sorted({y for y, _ in reg.certified_by_year} | set(revoked))
        certified = dict(reg.certified_by_year)
        return ["年份", "认定（家）", "撤销（家）"], [
            [str(y), str(certified.get(y, 0)), str(revoked.get(y, 0))] for y in years
        ]
    if key == "register_expiry":
        return _expiry_table(reg)
    if key == "register_status":
        return ["项目", "数量"], [
            ["有效", str(reg.status["valid"])],
            ["即将到期（90天内）", str(reg.status["expiring"])],
            ["已到期", str(reg.status["expired"])],
            ["已撤销", str(reg.status["revoked"])],
            ["逾期未报的报告（份）", str(reg.reports_overdue)],
            ["有逾期未报的平台（家）", str(reg.platforms_with_overdue)],
        ]
    if key == "rounds":
        assert isinstance(stats, OverallStats)
        return ["认定批次", "办法", "收到申报", "拟认定", "已认定"], [
            [
                r.round.name,
                r.round.rulebook_title,
                str(r.received),
                str(r.approved),
                str(r.certified),
            ]
            for r in stats.rounds
        ]
    raise KeyError(key)


def _expiry_table(reg: RegisterStats) -> tuple[list[str], list[list[str]]]:
    """Twelve month columns a row per year: 36 months in a few lines."""
    by_year: dict[str, dict[int, int]] = {}
    for month, n in reg.expiring_by_month:
        year, mm = month.split("-")
        by_year.setdefault(year, {})[int(mm)] = n
    rows = [
        [
            f"{y}年",
            *[("" if m not in months else str(months[m])) for m in range(1, 13)],
            str(sum(months.values())),
        ]
        for y, months in by_year.items()
    ]
    return ["年份", *[f"{m}月" for m in range(1, 13)], "合计"], rows


def table_widths(key: str, columns: Sequence[str], total: float) -> list[float]:
    """Column widths (in the caller's unit) that give text columns room."""
    wide = {
        "funnel": {0: 3.0},
        "shortfalls": {1: 3.2, 2: 2.0, 0: 1.3},
        "by_county": {0: 2.0},
        "dossier_scores": {1: 3.0},
        "rounds": {0: 3.0, 1: 3.0},
        "register_status": {0: 3.0},
        "register_expiry": {0: 1.8, 13: 1.3},
    }.get(key, {})
    weights = [wide.get(i, 1.0) for i in range(len(columns))]
    return [total * w / sum(weights) for w in weights]
