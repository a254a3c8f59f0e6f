"""CLI: evaluating a round against its measure, item conclusions, findings, version comparison."""

from __future__ import annotations

import argparse
from typing import Any

from sme_review_desktop.cli.common import actor, emit, leaf, open_store


def cmd_evaluate(args: argparse.Namespace) -> int:
    from sme_review_desktop.review.evaluation import evaluate_round
    from sme_review_desktop.review.finding_record import round_findings

    store = open_store(args)
    results = evaluate_round(store, args.round)
    with store.read() as session:
        found = round_findings(session, args.round)
    payload = {
        "dossiers": [
            {**r.as_json(), "findings": [f.as_json() for f in found.get(r.dossier_id, [])]}
            for r in results
        ]
    }
    lines = []
    for r in results:
        marks = "、".join(f.label for f in found.get(r.dossier_id, []))
        lines.append(
            f"{r.uscc}\t{r.platform_name}\t第{r.version}版\t{r.evaluation.overall.label}"
            + (f"\t提示：{marks}" if marks else "")
        )
    emit(args, payload, "\n".join(lines) or "该批次还没有申报材料。")
    return 0


def cmd_review_set(args: argparse.Namespace) -> int:
    from sme_review_desktop.review.conclusions import set_item_conclusion

    n = set_item_conclusion(
        open_store(args), args.round, args.uscc, args.item, args.conclusion, actor(args), args.note
    )
    emit(args, {"ok": True, "clauses": n}, f"已记录 {args.item} 的审核结论（{n}款）。")
    return 0


def cmd_review_show(args: argparse.Namespace) -> int:
    from sme_review_desktop.review.conclusions import item_states
    from sme_review_desktop.review.finding_record import dossier_findings
    from sme_review_desktop.rounds import find_dossier

    store = open_store(args)
    version, states = item_states(store, args.round, args.uscc)
    with store.read() as session:
        found = dossier_findings(session, find_dossier(session, args.round, args.uscc))
    payload = {
        "uscc": args.uscc.strip().upper(),
        "version": version,
        "items": [s.as_json() for s in states],
        "findings": [f.as_json() for f in found],
    }
    names = {"met": "符合", "unmet": "不符合", "supplement": "待补正", None: "未审核"}
    lines = [
        f"{s.article}.{s.item}\t{s.title}\t系统：{s.suggestion}\t评审：{names[s.conclusion]}"
        + ("\t需重新核对" if s.needs_recheck else "")
        for s in states
    ] + [f"提示：{f.label}：{f.message}" for f in found]
    emit(args, payload, "\n".join(lines))
    return 0


def cmd_review_explain(args: argparse.Namespace) -> int:
    from sme_review_desktop.review.finding_record import explain_finding

    explain_finding(open_store(args), args.round, args.uscc, args.sha256, args.note, actor(args))
    emit(args, {"ok": True}, "已标记为已说明。")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from sme_review_desktop.review.version_diff import diff_versions

    d = diff_versions(open_store(args), args.round, args.uscc, args.from_version, args.to_version)
    lines = [f"第{d.from_version}版 → 第{d.to_version}版"]
    lines += [
        f"数据 {f['label']}：{f['from'] or '（空）'} → {f['to'] or '（空）'}" for f in d.figures
    ]
    lines += [f"新增材料 {p}" for p in d.added] + [f"删除材料 {p}" for p in d.removed]
    lines += [f"更换材料 {p}" for p in d.changed]
    lines += [f"系统结论 {i['article']}.{i['item']}：{i['from']} → {i['to']}" for i in d.items]
    if d.empty:
        lines.append("两版没有差别。")
    emit(args, d.as_json(), "\n".join(lines))
    return 0


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    leaf(
        sub,
        cmd_evaluate,
        "evaluate",
        help="按办法审核 evaluate a round against its rulebook",
        round_id=True,
    )
    review = sub.add_parser("review", help="逐条审核结论 the reviewer's item conclusions")
    rsub = review.add_subparsers(title="review commands", metavar="ACTION", required=True)
    p = leaf(rsub, cmd_review_set, "set", help="记录一项的审核结论 conclude an item", round_id=True)
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument("--item", required=True, help="条.项，如 7.1 article.item")
    p.add_argument(
        "--conclusion",
        required=True,
        choices=["met", "unmet", "supplement"],
        help="符合/不符合/待补正",
    )
    p.add_argument("--note", help="审核意见 note")
    p = leaf(
        rsub, cmd_review_show, "show", help="审核结论与提示 conclusions and findings", round_id=True
    )
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p = leaf(
        rsub,
        cmd_review_explain,
        "explain",
        help="将“材料与他人相同”标记为已说明 mark a duplicate explained",
        round_id=True,
    )
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument("--sha256", required=True, help="文件的SHA-256（可只写开头） the file's hash")
    p.add_argument("--note", required=True, help="说明 why it is legitimate")
    p = leaf(sub, cmd_diff, "diff", help="比较两个版本 compare two versions", round_id=True)
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument("--from", dest="from_version", type=int, help="旧版本号 (默认倒数第二版)")
    p.add_argument("--to", dest="to_version", type=int, help="新版本号 (默认最新版)")
