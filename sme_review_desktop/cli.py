"""The command line: a thin skin over the same services the app uses.

Names, flags and JSON keys here are a contract relied on by tests outside the project.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sme_review_desktop import __version__
from sme_review_desktop.errors import UserError
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.location import locate
from sme_review_desktop.store.lock import acquire
from sme_review_desktop.store.paths import data_dir

log = logging.getLogger(__name__)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _emit(args: argparse.Namespace, payload: dict[str, Any], human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(human)


def _store(args: argparse.Namespace) -> Store:
    """The store, opened once per command; a local store is held against other programs."""
    if getattr(args, "_store", None) is None:
        folder = data_dir(args.data_dir)
        where = locate(folder, args.database_url)
        if where.database_url is None:
            args._lock = acquire(folder)
        args._store = where.open()
    store: Store = args._store
    return store


def _release(args: argparse.Namespace) -> None:
    if getattr(args, "_store", None) is not None:
        args._store.close()
    if getattr(args, "_lock", None) is not None:
        args._lock.release()


def _actor(args: argparse.Namespace) -> str:
    return str(args.actor or getpass.getuser())


def cmd_rulebooks(args: argparse.Namespace) -> int:
    from sme_review_desktop.rules.rulebook import all_rulebooks

    books = all_rulebooks()
    payload = {
        "rulebooks": [
            {
                "id": b.id,
                "title": b.title,
                "city": b.city,
                "conditions_articles": [a.article for a in b.conditions],
                "materials": len(b.materials),
            }
            for b in books.values()
        ]
    }
    _emit(args, payload, "\n".join(f"{b.id}\t{b.title}" for b in books.values()))
    return 0


def cmd_round_create(args: argparse.Namespace) -> int:
    from sme_review_desktop.rounds import create_round

    store = _store(args)
    rid = create_round(store, args.rulebook, args.name, args.reference_date, _actor(args))
    _emit(args, {"id": rid}, f"已创建认定批次 {rid}：{args.name}")
    return 0


def cmd_round_list(args: argparse.Namespace) -> int:
    from sme_review_desktop.rounds import list_rounds

    rounds = list_rounds(_store(args))
    payload = {
        "rounds": [
            {
                "id": r.id,
                "name": r.name,
                "rulebook": r.rulebook_id,
                "reference_date": r.reference_date.isoformat(),
                "dossiers": r.dossier_count,
                "locked": r.locked,
            }
            for r in rounds
        ]
    }
    lines = [f"{r.id}\t{r.name}\t{r.rulebook_id}\t{r.dossier_count}份" for r in rounds]
    _emit(args, payload, "\n".join(lines) or "（还没有认定批次）")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from sme_review_desktop.importing.limits import ImportLimits
    from sme_review_desktop.importing.service import import_paths
    from sme_review_desktop.store.settings import Settings

    store = _store(args)
    limits = ImportLimits.from_settings(Settings.load(store.data_dir))
    paths = [Path(p) for p in args.paths]
    results = list(import_paths(store, args.round, paths, _actor(args), limits=limits))
    payload = {"results": [r.as_json() for r in results]}
    labels = {"imported": "已导入", "new_version": "新版本", "rejected": "退回"}
    lines = []
    for r in results:
        detail = "；".join(r.errors) if r.errors else (r.platform_name or "")
        lines.append(f"[{labels.get(r.status, r.status)}] {r.path}  {detail}")
    _emit(args, payload, "\n".join(lines) or "没有找到申报材料。")
    return 1 if any(r.status == "rejected" for r in results) else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from sme_review_desktop.review.evaluation import evaluate_round

    results = evaluate_round(_store(args), args.round)
    payload = {"dossiers": [r.as_json() for r in results]}
    lines = [
        f"{r.uscc}\t{r.platform_name}\t第{r.version}版\t{r.evaluation.overall.label}"
        for r in results
    ]
    _emit(args, payload, "\n".join(lines) or "该批次还没有申报材料。")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.form_template import write_form
    from sme_review_desktop.rules.rulebook import get_rulebook

    target = Path(args.output)
    write_form(target, get_rulebook(args.rulebook))
    _emit(args, {"path": str(target)}, f"已导出申报模板：{target}")
    return 0


def cmd_expert_add(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.experts import add_expert, declare_conflict

    store = _store(args)
    eid = add_expert(store, args.round, args.name, _actor(args), args.organisation or "")
    for code in args.conflict or []:
        declare_conflict(store, args.round, args.name, code, args.reason or "", _actor(args))
    _emit(args, {"id": eid}, f"专家“{args.name}”已加入批次 {args.round}")
    return 0


def cmd_scores_enter(args: argparse.Namespace) -> int:
    from sme_review_desktop.cli_trust import parse_points
    from sme_review_desktop.scoring.entry import enter_scores

    points = parse_points(args.points)
    enter_scores(_store(args), args.round, args.expert, args.uscc, points, _actor(args))
    _emit(args, {"ok": True}, "已录入评分。")
    return 0


def cmd_scores_template(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.sheets import write_score_sheet

    target = write_score_sheet(
        _store(args), args.round, args.expert, Path(args.output), _actor(args)
    )
    _emit(args, {"path": str(target)}, f"已导出评分表：{target}")
    return 0


def cmd_scores_import(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.sheets import import_score_sheets

    results = import_score_sheets(
        _store(args), args.round, [Path(p) for p in args.files], _actor(args)
    )
    payload = {
        "results": [
            {
                "path": str(r.path),
                "status": r.status,
                "expert": r.expert,
                "count": r.count,
                "errors": r.errors,
            }
            for r in results
        ]
    }
    lines = [
        f"[{'已导入' if r.status == 'imported' else '退回'}] {r.path}  {'；'.join(r.errors)}"
        for r in results
    ]
    _emit(args, payload, "\n".join(lines))
    return 1 if any(r.status == "rejected" for r in results) else 0


def cmd_scores_summary(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.summary import score_summary

    store = _store(args)
    rows = score_summary(store, args.round)
    if args.output:
        from sme_review_desktop.scoring.summary_xlsx import write_score_summary

        write_score_summary(store, args.round, Path(args.output))
    payload = {"dossiers": [r.as_json() for r in rows]}
    lines = [
        f"{r.rank or '-'}\t{r.uscc}\t{r.platform_name}\t{'' if r.aggregate is None else r.aggregate}"
        for r in sorted(rows, key=lambda r: (r.rank is None, r.rank or 0))
    ]
    _emit(args, payload, "\n".join(lines))
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.decisions import DECISION_LABELS, decide

    decide(_store(args), args.round, args.uscc, args.decision, args.reason, _actor(args))
    _emit(args, {"ok": True}, f"已记录决定：{DECISION_LABELS[args.decision]}")
    return 0


def cmd_calendar_workdays(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.service import compute_period

    period = compute_period(
        _store(args), args.start, args.days, assume_weekends=args.assume_weekends
    )
    payload = {
        "start": period.start.isoformat(),
        "end": period.end.isoformat() if period.end else None,
        "warnings": period.warnings,
    }
    human = (
        f"{period.start.isoformat()} 至 {period.end.isoformat() if period.end else '（无法计算）'}"
    )
    _emit(args, payload, "\n".join([human, *period.warnings]))
    return 0


def cmd_calendar_import(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.holidays import import_holidays

    years = import_holidays(_store(args), Path(args.file), _actor(args))
    _emit(args, {"years": years}, f"已导入{'、'.join(map(str, years))}年的节假日安排。")
    return 0


def cmd_round_settings(args: argparse.Namespace) -> int:
    from sme_review_desktop.rounds import update_settings

    changes: dict[str, Any] = {}
    for pair in args.set or []:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UserError(f"设置应写成“名称=值”：{pair}")
        changes[key.strip()] = value
    settings = update_settings(_store(args), args.round, changes, _actor(args))
    _emit(args, {"settings": settings}, "\n".join(f"{k} = {v}" for k, v in settings.items()))
    return 0


def cmd_publicity_start(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.service import start_publicity
    from sme_review_desktop.publicity.workdays import format_period

    info = start_publicity(
        _store(args),
        args.round,
        args.start,
        _actor(args),
        days=args.days,
        assume_weekends=args.assume_weekends,
    )
    payload = {
        "start": info.start.isoformat(),
        "end": info.end.isoformat(),
        "working_days": info.working_days,
        "dossiers": info.dossiers,
        "warnings": info.warnings,
    }
    _emit(
        args,
        payload,
        f"公示期{format_period(info.start, info.end)}（{info.working_days}个工作日），共{info.dossiers}家。",
    )
    return 0


def cmd_objection_add(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.service import add_objection

    upheld = {"yes": True, "no": False}.get(args.upheld or "")
    oid = add_objection(
        _store(args),
        args.round,
        args.uscc,
        args.date,
        args.content,
        _actor(args),
        outcome=args.outcome or "",
        upheld=upheld,
    )
    _emit(args, {"id": oid}, f"已登记异议 {oid}")
    return 0


def cmd_finalize(args: argparse.Namespace) -> int:
    from sme_review_desktop.publicity.service import finalize

    result = finalize(_store(args), args.round, args.date, _actor(args))
    payload = {
        "certified": [{"uscc": u, "certificate": n} for u, n in result.certified],
        "excluded": [{"uscc": u, "reason": r} for u, r in result.excluded],
    }
    _emit(args, payload, "\n".join(f"{u}\t{n}" for u, n in result.certified) or "没有认定的平台。")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from sme_review_desktop.store.integrity import check_store

    report = check_store(_store(args))
    _emit(args, report.as_json(), "\n".join(report.lines()))
    return 0 if report.ok else 1


def cmd_export_minutes(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.minutes import write_minutes

    target = write_minutes(_store(args), args.round, Path(args.output), meeting_date=args.date)
    _emit(args, {"path": str(target)}, f"已导出会议纪要：{target}")
    return 0


def cmd_export_report(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.review_report import write_review_report

    target = write_review_report(_store(args), args.round, args.uscc, Path(args.output))
    _emit(args, {"path": str(target)}, f"已导出评审意见表：{target}")
    return 0


def cmd_export_scores(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.summary_xlsx import write_score_summary

    target = write_score_summary(_store(args), args.round, Path(args.output))
    _emit(args, {"path": str(target)}, f"已导出专家评分汇总表：{target}")
    return 0


def cmd_export_notice(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.notice import write_notice

    target = write_notice(_store(args), args.round, Path(args.output), final=args.final)
    what = "认定名单" if args.final else "公示名单"
    _emit(args, {"path": str(target)}, f"已导出{what}：{target}")
    return 0


def cmd_export_certificates(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.certificates import (
        OverlayLayout,
        calibration_page,
        write_certificates,
    )

    layout: OverlayLayout | None = None
    if args.overlay is not None or args.calibration:
        text = Path(args.overlay).read_text(encoding="utf-8") if args.overlay else ""
        layout = OverlayLayout.from_json(text) if text else OverlayLayout()
        if args.offset_x is not None or args.offset_y is not None:
            layout = replace(
                layout,
                offset_x=args.offset_x if args.offset_x is not None else layout.offset_x,
                offset_y=args.offset_y if args.offset_y is not None else layout.offset_y,
            )
    if args.calibration:
        assert layout is not None
        target = calibration_page(Path(args.output), layout)
        _emit(args, {"path": str(target), "count": 0}, f"已导出套打校准页：{target}")
        return 0
    if args.round is None:
        raise UserError("请用 --round 指定批次。")
    target, count = write_certificates(_store(args), args.round, Path(args.output), overlay=layout)
    _emit(args, {"path": str(target), "count": count}, f"已导出{count}张证书：{target}")
    return 0


def cmd_register_list(args: argparse.Namespace) -> int:
    from sme_review_desktop.register.platforms import register_rows

    today = args.date or date.today()
    rows = register_rows(_store(args), today)
    payload = {
        "date": today.isoformat(),
        "platforms": [
            {
                "certificate": r.number,
                "uscc": r.uscc,
                "platform_name": r.platform_name,
                "operator_name": r.operator_name,
                "rulebook": r.rulebook_id,
                "certified_on": r.certified_on.isoformat(),
                "valid_until": r.valid_until.isoformat(),
                "status": r.status,
                "reports_due": [{"period": p, "due": d.isoformat()} for p, d in r.reports_due],
                "reports_overdue": [
                    {"period": p, "due": d.isoformat()} for p, d in r.reports_overdue
                ],
                "complaints_last_year": r.complaints_last_year,
                "revoked_on": r.revoked_on.isoformat() if r.revoked_on else None,
            }
            for r in rows
        ],
    }
    lines = [
        f"{r.number}\t{r.platform_name}\t{r.status}\t有效期至{r.valid_until.isoformat()}"
        + (f"\t逾期未报{len(r.reports_overdue)}期" if r.reports_overdue else "")
        for r in rows
    ]
    _emit(args, payload, "\n".join(lines) or "名录中还没有示范平台。")
    return 0


def cmd_register_report(args: argparse.Namespace) -> int:
    from sme_review_desktop.register.platforms import mark_report

    mark_report(_store(args), args.certificate, args.period, args.date, _actor(args))
    _emit(args, {"ok": True}, f"已登记{args.certificate} {args.period}期报告。")
    return 0


def cmd_register_complaint(args: argparse.Namespace) -> int:
    from sme_review_desktop.register.platforms import add_complaint

    warning = add_complaint(_store(args), args.certificate, args.date, args.content, _actor(args))
    _emit(args, {"ok": True, "warning": warning}, warning or "已登记投诉。")
    return 0


def cmd_register_revoke(args: argparse.Namespace) -> int:
    from sme_review_desktop.register.platforms import revoke

    revoke(_store(args), args.certificate, args.date, args.reason, _actor(args))
    _emit(args, {"ok": True}, f"已撤销{args.certificate}。")
    return 0


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

    store = _store(args)
    stats = (
        overall_stats(store, args.date)
        if args.round is None
        else round_stats(store, args.round, args.date)
    )
    payload = stats.to_json()
    _emit(args, payload, "\n".join(_stats_lines(payload)))
    return 0


def cmd_export_stats(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.stats_report import write_stats_report

    store = _store(args)
    target = write_stats_report(store, args.round, Path(args.output), as_of=args.date)
    payload: dict[str, Any] = {"path": str(target)}
    if args.png_dir:
        from sme_review_desktop.overview.charts.catalogue import build_charts
        from sme_review_desktop.overview.round_stats import round_stats

        folder = Path(args.png_dir)
        payload["png"] = [
            str(c.save_png(folder / f"{c.key}.png"))
            for c in build_charts(round_stats(store, args.round, args.date))
        ]
    _emit(args, payload, f"已导出统计报告：{target}")
    return 0


def cmd_export_register(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.register_xlsx import write_register

    target, count = write_register(_store(args), Path(args.output), args.date or date.today())
    _emit(args, {"path": str(target), "count": count}, f"已导出名录（{count}个平台）：{target}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from sme_review_desktop.demo import load_demo

    ids = load_demo(_store(args), _actor(args))
    _emit(args, {"rounds": ids}, f"已载入演示数据：认定批次 {'、'.join(map(str, ids))}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from sme_review_desktop.ui.app import run

    return run(data_dir(args.data_dir), args.database_url, demo=args.demo)


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


def _leaf(
    parent: Any, func: Any, name: str, *, help: str, round_id: bool = False
) -> argparse.ArgumentParser:
    """A command: its --json switch, its handler, and --round when it works on one round."""
    p: argparse.ArgumentParser = parent.add_parser(name, help=help)
    if round_id:
        p.add_argument("--round", required=True, type=int, help="批次编号 round id")
    p.add_argument("--json", action="store_true", help="输出JSON output JSON")
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sme-review",
        description="示范平台认定评审系统 (SME public service demonstration platform review). "
        "不带子命令时启动图形界面 (no command: start the app).",
    )
    parser.add_argument("--version", action="version", version=f"sme-review {__version__}")
    parser.add_argument(
        "--data-dir",
        help="数据目录 data folder (默认 default: 用户数据目录 or $SME_REVIEW_DATA_DIR)",
    )
    parser.add_argument(
        "--database-url",
        help="共享服务器数据库地址 shared server URL, e.g. postgresql+psycopg://user:pass@host/db "
        "(默认 default: $SME_REVIEW_DATABASE_URL, 设置 settings.json database_url)",
    )
    parser.add_argument("--actor", help="操作人姓名 reviewer name for the audit log")
    parser.add_argument("--demo", action="store_true", help="打开演示数据 open the demo data set")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title="commands 子命令", metavar="COMMAND")

    _leaf(sub, cmd_rulebooks, "rulebooks", help="列出办法 list the rulebooks (measures)")

    rnd = sub.add_parser("round", help="认定批次 certification rounds")
    rsub = rnd.add_subparsers(title="round commands", metavar="ACTION", required=True)
    p = _leaf(rsub, cmd_round_create, "create", help="创建认定批次 create a round")
    p.add_argument("--rulebook", required=True, help="办法编号 rulebook id, e.g. liaocheng-2021")
    p.add_argument("--name", required=True, help="批次名称 round name")
    p.add_argument(
        "--reference-date", required=True, type=_date, help="基准日 reference date YYYY-MM-DD"
    )
    _leaf(rsub, cmd_round_list, "list", help="列出认定批次 list rounds")

    p = _leaf(sub, cmd_import, "import", help="导入申报材料 import dossier packages", round_id=True)
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="文件夹、zip或数据表 folder, zip, workbook"
    )

    _leaf(
        sub,
        cmd_evaluate,
        "evaluate",
        help="按办法审核 evaluate a round against its rulebook",
        round_id=True,
    )

    p = _leaf(
        sub, cmd_template, "template", help="导出申报模板 write the blank data form of a measure"
    )
    p.add_argument("--rulebook", required=True, help="办法编号 rulebook id")
    p.add_argument("-o", "--output", required=True, help="输出文件 output .xlsx")

    p = sub.add_parser("expert", help="评审专家 experts of a round")
    esub = p.add_subparsers(title="expert commands", metavar="ACTION", required=True)
    p = _leaf(
        esub,
        cmd_expert_add,
        "add",
        help="添加专家（及回避声明） add an expert (and conflicts)",
        round_id=True,
    )
    p.add_argument("--name", required=True, help="专家姓名 expert name")
    p.add_argument("--organisation", help="工作单位 organisation")
    p.add_argument(
        "--conflict",
        action="append",
        metavar="USCC",
        help="回避的单位 conflict with this applicant",
    )
    p.add_argument("--reason", help="回避原因 reason for the conflict")

    scores = sub.add_parser("scores", help="专家评分 expert scores")
    ssub = scores.add_subparsers(title="scores commands", metavar="ACTION", required=True)
    p = _leaf(
        ssub,
        cmd_scores_template,
        "template",
        help="导出专家离线评分表 write an expert's score sheet",
        round_id=True,
    )
    p.add_argument("--expert", required=True, help="专家姓名 expert name")
    p.add_argument("-o", "--output", required=True, help="输出文件 output .xlsx")
    p = _leaf(
        ssub,
        cmd_scores_import,
        "import",
        help="导入专家评分表 read score sheets back",
        round_id=True,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="评分表 score sheet .xlsx")
    p = _leaf(
        ssub,
        cmd_scores_enter,
        "enter",
        help="录入评分 enter one expert's points for one dossier",
        round_id=True,
    )
    p.add_argument("--expert", required=True, help="专家姓名 expert name")
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument(
        "points", nargs="+", metavar="指标=分数", help="criterion=points, e.g. 基本条件=18"
    )
    p = _leaf(
        ssub,
        cmd_scores_summary,
        "summary",
        help="评分汇总 aggregate, rank (and xlsx with -o)",
        round_id=True,
    )
    p.add_argument("-o", "--output", help="专家评分汇总表 .xlsx")

    p = _leaf(
        sub, cmd_decide, "decide", help="记录认定决定 record the panel's decision", round_id=True
    )
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument(
        "--decision",
        required=True,
        choices=["approved", "rejected", "pool"],
        help="拟认定/不予认定/纳入培育库",
    )
    p.add_argument("--reason", default="", help="理由 reason")

    p = _leaf(
        rsub,
        cmd_round_settings,
        "settings",
        help="查看或修改批次设置 show or change round settings",
        round_id=True,
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="e.g. objection_contact=联系人：… 电话：…",
    )

    cal = sub.add_parser("calendar", help="工作日与节假日 working days and holidays")
    csub = cal.add_subparsers(title="calendar commands", metavar="ACTION", required=True)
    p = _leaf(
        csub,
        cmd_calendar_workdays,
        "workdays",
        help="计算N个工作日的期间 compute a period of N working days",
    )
    p.add_argument("--start", required=True, type=_date, help="起始日 YYYY-MM-DD")
    p.add_argument("--days", required=True, type=int, help="工作日数 working days")
    p.add_argument(
        "--assume-weekends", action="store_true", help="缺少节假日数据的年份按周末计算 (warned)"
    )
    p = _leaf(
        csub,
        cmd_calendar_import,
        "import",
        help="导入节假日安排表 import a holiday table (csv/xlsx)",
    )
    p.add_argument("file", help="节假日表 holiday table")

    pub = sub.add_parser("publicity", help="公示 publicity")
    psub = pub.add_subparsers(title="publicity commands", metavar="ACTION", required=True)
    p = _leaf(
        psub, cmd_publicity_start, "start", help="开始公示拟认定名单 start publicity", round_id=True
    )
    p.add_argument("--start", required=True, type=_date, help="公示开始日 YYYY-MM-DD")
    p.add_argument("--days", type=int, help="工作日数 working days (default: the measure's)")
    p.add_argument("--assume-weekends", action="store_true", help="缺少节假日数据的年份按周末计算")

    p = sub.add_parser("objection", help="异议 objections during publicity")
    osub = p.add_subparsers(title="objection commands", metavar="ACTION", required=True)
    p = _leaf(osub, cmd_objection_add, "add", help="登记异议 log an objection", round_id=True)
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument("--date", required=True, type=_date, help="收到日期 YYYY-MM-DD")
    p.add_argument("--content", required=True, help="异议内容 content")
    p.add_argument("--outcome", help="处理结果 outcome")
    p.add_argument("--upheld", choices=["yes", "no"], help="异议是否成立 upheld?")

    p = _leaf(
        sub,
        cmd_finalize,
        "finalize",
        help="认定并锁定批次 certify and lock the round",
        round_id=True,
    )
    p.add_argument("--date", required=True, type=_date, help="认定日期 YYYY-MM-DD")

    reg = sub.add_parser("register", help="示范平台名录 the register of certified platforms")
    gsub = reg.add_subparsers(title="register commands", metavar="ACTION", required=True)
    p = _leaf(
        gsub, cmd_register_list, "list", help="名录与到期、报送情况 list with status and duties"
    )
    p.add_argument("--date", type=_date, help="统计日期 as of YYYY-MM-DD (default today)")
    p = _leaf(gsub, cmd_register_report, "report", help="登记收到的报告 record a report received")
    p.add_argument("--certificate", required=True, help="证书编号 certificate number")
    p.add_argument("--period", required=True, help="报告期，如 2027Q1 或 2027 period")
    p.add_argument("--date", required=True, type=_date, help="收到日期 YYYY-MM-DD")
    p = _leaf(gsub, cmd_register_complaint, "complaint", help="登记投诉 log a complaint")
    p.add_argument("--certificate", required=True, help="证书编号 certificate number")
    p.add_argument("--date", required=True, type=_date, help="收到日期 YYYY-MM-DD")
    p.add_argument("--content", required=True, help="投诉内容 content")
    p = _leaf(gsub, cmd_register_revoke, "revoke", help="撤销 revoke a certification")
    p.add_argument("--certificate", required=True, help="证书编号 certificate number")
    p.add_argument("--date", required=True, type=_date, help="撤销日期 YYYY-MM-DD")
    p.add_argument("--reason", required=True, help="撤销理由 reason")

    p = _leaf(
        sub,
        cmd_stats,
        "stats",
        help="统计概览 the numbers of the round overview (charts, 统计报告)",
    )
    p.description = STATS_HELP
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("--round", type=int, help="批次编号 round id (omit: all rounds side by side)")
    p.add_argument(
        "--date", type=_date, help="名录统计日期 register as of YYYY-MM-DD (default today)"
    )

    _leaf(
        sub,
        cmd_check,
        "check",
        help="完整性检查 integrity check of the store, evidence and audit log",
    )

    export = sub.add_parser("export", help="导出文书 export documents")
    xsub = export.add_subparsers(title="export commands", metavar="WHAT", required=True)
    p = _leaf(
        xsub,
        cmd_export_minutes,
        "minutes",
        help="会议纪要 meeting minutes (.pdf or .xlsx)",
        round_id=True,
    )
    p.add_argument("--date", type=_date, help="会议日期 YYYY-MM-DD (default today)")
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf/.xlsx")
    p = _leaf(
        xsub,
        cmd_export_notice,
        "notice",
        help="公示名单（或 --final 认定名单） notice list (.pdf/.xlsx)",
        round_id=True,
    )
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf/.xlsx")
    p.add_argument("--final", action="store_true", help="认定名单 the final list after 认定")
    p = _leaf(
        xsub,
        cmd_export_certificates,
        "certificates",
        help="证书 certificates of a finalised round (.pdf)",
    )
    p.add_argument("--round", type=int, help="批次编号 round id")
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf")
    p.add_argument(
        "--overlay",
        nargs="?",
        const="",
        metavar="LAYOUT.json",
        help="套打：只打印可变内容（可给版式文件） print only the variable text onto blanks",
    )
    p.add_argument("--offset-x", type=float, help="打印偏移（毫米，向右为正） printer offset x mm")
    p.add_argument("--offset-y", type=float, help="打印偏移（毫米，向上为正） printer offset y mm")
    p.add_argument("--calibration", action="store_true", help="套打校准页 calibration page")
    p = _leaf(
        xsub,
        cmd_export_stats,
        "stats",
        help="统计报告 the round's charts with their numbers (.pdf)",
        round_id=True,
    )
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf")
    p.add_argument(
        "--date", type=_date, help="名录统计日期 register as of YYYY-MM-DD (default today)"
    )
    p.add_argument(
        "--png-dir", metavar="DIR", help="另存每张图表为PNG also write each chart as PNG"
    )
    p = _leaf(xsub, cmd_export_register, "register", help="示范平台名录 the register (.xlsx)")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")
    p.add_argument("--date", type=_date, help="统计日期 as of YYYY-MM-DD (default today)")
    p = _leaf(
        xsub,
        cmd_export_report,
        "report",
        help="评审意见表 one dossier's review report (.pdf)",
        round_id=True,
    )
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument("-o", "--output", required=True, help="输出文件 .pdf")
    p = _leaf(
        xsub,
        cmd_export_scores,
        "scores",
        help="专家评分汇总表 score summary (.xlsx)",
        round_id=True,
    )
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")

    _leaf(sub, cmd_demo, "demo", help="载入演示数据 load the demo data set into the store")
    from sme_review_desktop import cli_trust

    cli_trust.register(sub, xsub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except UserError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head or similar: stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        _release(args)


if __name__ == "__main__":
    sys.exit(main())
