"""CLI: the numbers of the round overview (概览)."""

from __future__ import annotations

import argparse
from typing import Any

from sme_review_desktop.cli.common import emit, iso_date, leaf, open_store


def _stats_lines(payload: dict[str, Any]) -> list[str]:
    """``stats`` without --json: the same numbers, a line each."""
    from sme_review_desktop.scoring.decisions import DECISION_LABELS

    names = {**DECISION_LABELS, "undecided": "未决定"}
    lines: list[str] = []
    if payload["scope"] == "round":
        r, f = payload["round"], payload["funnel"]
        s, d = f["suggestion"], f["decision"]
        lines += [
            f"{r['name']}（{r['rulebook_title']}）",
            f"收到申报 {f['received']}　形式审查通过 {f['formal_complete']}",
            f"系统建议：符合 {s['met']}　待核 {s['review']}　不符合 {s['unmet']}",
            "评审决定：" + "　".join(f"{names.get(k, k)} {n}" for k, n in d.items()),
            f"已公示 {f['publicised']}　已认定 {f['certified']}",
            "",
            "不符合的条件：" if payload["shortfalls"] else "不符合的条件：无",
        ]
        lines += [
            f"  {x['label']}：{x['dossiers']} 家不符合（系统 {x['app']}，评审人 {x['reviewer']}）"
            for x in payload["shortfalls"]
        ]
        experts = payload["scoring"]["experts"]
        if payload["scoring"]["panel"]:
            lines += ["", "专家评分（份数 中位数 平均 与汇总分平均偏差）："]
            for e in [*experts, payload["scoring"]["panel"]]:
                if e["count"]:
                    dev = "" if e["mean_deviation"] is None else f"{e['mean_deviation']:+.2f}"
                    lines.append(
                        f"  {e['name']}\t{e['count']}\t{e['median']:.2f}\t{e['mean']:.2f}\t{dev}"
                    )
    else:
        lines.append("各批次（收到申报 / 拟认定 / 已认定）：")
        lines += [
            f"  {r['id']}\t{r['name']}\t{r['received']} / {r['approved']} / {r['certified']}"
            for r in payload["rounds"]
        ]
    lines += ["", "分县（市、区）（申报 / 拟认定 / 已认定）："]
    lines += [
        f"  {c['county']}\t{c['dossiers']} / {c['approved']} / {c['certified']}"
        for c in payload["by_county"]
    ]
    g = payload["register"]
    st = g["status"]
    lines += [
        "",
        f"名录（截至{g['as_of']}）：{g['certificates']}个示范平台，有效 {st['valid']}，"
        f"即将到期 {st['expiring']}，已到期 {st['expired']}，已撤销 {st['revoked']}；"
        f"逾期未报 {g['reports_overdue']} 份（{g['platforms_with_overdue']} 家）",
    ]
    return lines


def cmd_stats(args: argparse.Namespace) -> int:
    from sme_review_desktop.overview.cross_round import overall_stats
    from sme_review_desktop.overview.round_stats import round_stats

    store = open_store(args)
    stats = (
        overall_stats(store, args.date)
        if args.round is None
        else round_stats(store, args.round, args.date)
    )
    payload = stats.to_json()
    emit(args, payload, "\n".join(_stats_lines(payload)))
    return 0


STATS_HELP = """\
统计概览：与“统计 → 概览”的图表和统计报告PDF相同的数字。
The numbers behind the overview's charts and the 统计报告 PDF (same function).

With --round: one round. JSON keys:
  scope "round"; as_of (the register's day); round {id, name, rulebook, rulebook_title,
  reference_date}
  funnel {received, formal_complete (every required material present),
    suggestion {met, review, unmet} (the app's overall suggestion),
    decision {approved, rejected, pool (the measure's decisions), undecided},
    publicised (拟认定 once publicity started), certified (certificates issued)}
  shortfalls [{article, item, part, clause, text, label, threshold, app, reviewer,
    dossiers}] — clauses some dossier falls short of, most first: app = the app finds it
    unmet, reviewer = a reviewer decided 不符合, dossiers = either (each dossier once)
  by_county [{county, dossiers, approved, certified}] (newest version's 所在县（市、区）)
  scoring {experts [{name, count, min, q1, median, q3, max, mean, mean_deviation (the
    expert's total minus the dossier's aggregate, averaged), flagged (totals flagged as
    more than 15 points from the others' mean), totals}], panel {same, of the
    aggregates} or null, dossiers [{uscc, platform_name, scores {expert: total},
    aggregate, rank, outliers}] by rank}
  register {scope, as_of, certificates, certified_by_year [{year, count}],
    expiring_by_month [{month "YYYY-MM", count}] (36 months from as_of's month, not
    revoked), status {valid, expiring (within 90 days), expired, revoked},
    reports_overdue, platforms_with_overdue, revoked, revocations_by_year [{year, count}]}
    — the round's certificates only.
Without --round: all rounds. JSON keys: scope "all"; as_of; rounds [{id, name, rulebook,
  rulebook_title, reference_date, received, approved, certified}]; by_county (named
  城市·县区); register (every certificate).
"""


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    p = leaf(
        sub,
        cmd_stats,
        "stats",
        help="统计概览 the numbers of the round overview (charts, 统计报告)",
    )
    p.description = STATS_HELP
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("--round", type=int, help="批次编号 round id (omit: all rounds side by side)")
    p.add_argument(
        "--date", type=iso_date, help="名录统计日期 register as of YYYY-MM-DD (default today)"
    )
