"""CLI: the integrity check, 更正, the audit log, backups and restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sme_review_desktop.cli.common import actor, emit, leaf, open_store
from sme_review_desktop.cli.scoring import parse_points
from sme_review_desktop.errors import StoreError, UserError
from sme_review_desktop.store.lock import acquire
from sme_review_desktop.store.paths import data_dir


def cmd_check(args: argparse.Namespace) -> int:
    """Never a traceback: a database too damaged to open or read through is still checked
    (SQLite's own findings, what can be read, the evidence files) and named as damaged."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    from sme_review_desktop.store.integrity import check_damaged, check_store
    from sme_review_desktop.store.location import locate

    folder = data_dir(args.data_dir)
    try:
        report = check_store(open_store(args))
    except (DBAPIError, sqlite3.Error, StoreError) as exc:
        opened = not isinstance(exc, StoreError) or isinstance(exc.__cause__, DBAPIError)
        if not opened or locate(folder, args.database_url).database_url is not None:
            raise  # another program holds the folder, or a server's database: not ours to read
        report = check_damaged(folder, folder / "evidence", exc)
    emit(args, report.as_json(), "\n".join(report.lines()))
    return 0 if report.ok else 1


def cmd_correct_decision(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.corrections import correct_decision
    from sme_review_desktop.scoring.decisions import DECISION_LABELS

    correct_decision(
        open_store(args), args.round, args.uscc, args.decision, args.reason, actor(args)
    )
    emit(args, {"ok": True}, f"已更正认定决定为：{DECISION_LABELS[args.decision]}")
    return 0


def cmd_correct_score(args: argparse.Namespace) -> int:
    from sme_review_desktop.scoring.corrections import correct_scores

    points = parse_points(args.points)
    correct_scores(
        open_store(args), args.round, args.expert, args.uscc, points, args.reason, actor(args)
    )
    emit(args, {"ok": True}, "已更正评分。")
    return 0


def _audit_rows(args: argparse.Namespace) -> list[Any]:
    from sme_review_desktop.rounds import find_dossier
    from sme_review_desktop.store.audit_view import audit_rows

    with open_store(args).read() as session:
        dossier_id = find_dossier(session, args.round, args.uscc).id if args.uscc else None
        return audit_rows(session, args.round, dossier_id)


def cmd_audit(args: argparse.Namespace) -> int:
    rows = _audit_rows(args)
    human = "\n".join(
        f"{r.at:%Y-%m-%d %H:%M:%S}  {r.actor}  {r.label}  {r.platform_name}  {r.reason}".rstrip()
        for r in rows
    )
    emit(args, {"entries": [r.as_json() for r in rows]}, human or "（暂无审计记录）")
    return 0


def cmd_export_audit(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.audit_xlsx import write_audit

    rows = _audit_rows(args)
    title = f"审计记录（批次{args.round}" + (f"，{args.uscc}）" if args.uscc else "）")
    target = write_audit(rows, title, Path(args.output))
    emit(args, {"path": str(target), "entries": len(rows)}, f"已导出审计记录：{target}")
    return 0


def cmd_backup_create(args: argparse.Namespace) -> int:
    """Exit 1 when some evidence was damaged or missing: the archive is written (and restores)
    without it, and the files are named."""
    from sme_review_desktop.store.backups import write_archive

    result = write_archive(open_store(args), Path(args.output))
    payload = {
        "path": str(result.path),
        "complete": result.complete,
        "damaged": result.damaged,
        "missing": result.missing,
    }
    emit(args, payload, "\n".join(result.lines()))
    return 0 if result.complete else 1


def cmd_backup_heal(args: argparse.Namespace) -> int:
    """Put back missing or damaged evidence files from an archive; the database is untouched."""
    from sme_review_desktop.store.heal import heal_from_archive

    healed, left = heal_from_archive(open_store(args), Path(args.archive))
    lines = [f"已从备份补回{len(healed)}个证明材料文件。", *(f"  · {n}" for n in healed)]
    if left:
        lines += [f"仍有{len(left)}个文件缺失或损坏（该备份中也没有完好副本）："]
        lines += [f"  · {n}" for n in left]
    emit(args, {"healed": healed, "still_unsound": left}, "\n".join(lines))
    return 0 if not left else 1


def _key_folder(args: argparse.Namespace) -> Path:
    """Where the audit key is, without opening the store (verify needs no database)."""
    from sme_review_desktop.store.settings import Settings

    folder = data_dir(args.data_dir)
    settings = Settings.load(folder)
    server = args.database_url or settings.database_url
    return Path(settings.evidence_dir) if server and settings.evidence_dir else folder


def cmd_backup_verify(args: argparse.Namespace) -> int:
    from sme_review_desktop.store.backups import verify_archive

    report = verify_archive(Path(args.archive), key_folder=_key_folder(args))
    payload = {
        "ok": report.ok,
        "problems": report.problems,
        "unsound": report.unsound,
        "manifest": report.manifest,
    }
    emit(args, payload, "\n".join(report.lines()))
    return 0 if report.ok else 1


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from sme_review_desktop.store import audit
    from sme_review_desktop.store.backups import restore_archive
    from sme_review_desktop.store.database import open_store

    if args.database_url:
        raise UserError("共享服务器（PostgreSQL）模式请用 pg_restore 恢复数据库。")
    folder = data_dir(args.data_dir)
    with acquire(folder):
        report = restore_archive(Path(args.archive), folder)
        if report.ok:
            store = open_store(folder)
            with store.write() as session:
                audit.record(
                    session,
                    actor(args),
                    "backup.restore",
                    after={"archive": Path(args.archive).name, **report.manifest.get("counts", {})},
                )
            store.close()
    payload = {
        "ok": report.ok,
        "problems": report.problems,
        "unsound": report.unsound,
        "healed": report.healed,
    }
    lines = report.lines()
    emit(args, payload, "\n".join([*lines, "已恢复。"] if report.ok else lines))
    return 0 if report.ok else 1


def cmd_backup_list(args: argparse.Namespace) -> int:
    from sme_review_desktop.store.backups import list_backups

    found = list_backups(open_store(args))
    payload = {
        "backups": [
            {"path": str(b.path), "kind": b.kind, "at": b.at.isoformat(), "size": b.size}
            for b in found
        ]
    }
    human = "\n".join(f"{b.at:%Y-%m-%d %H:%M:%S}  {b.kind}  {b.path}" for b in found)
    emit(args, payload, human or "（暂无自动备份）")
    return 0


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    leaf(
        sub,
        cmd_check,
        "check",
        help="完整性检查 integrity check of the store, evidence and audit log",
    )

    correct = sub.add_parser("correct", help="更正（结果公示后） correct a published result")
    csub = correct.add_subparsers(title="correct commands", metavar="WHAT", required=True)
    p = leaf(csub, cmd_correct_decision, "decision", help="更正认定决定", round_id=True)
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument("--decision", required=True, choices=["approved", "rejected", "pool"])
    p.add_argument("--reason", required=True, help="更正理由（记入审计记录）")
    p = leaf(csub, cmd_correct_score, "score", help="更正专家评分", round_id=True)
    p.add_argument("--expert", required=True, help="专家姓名 expert name")
    p.add_argument("--uscc", required=True, help="统一社会信用代码 applicant's code")
    p.add_argument("--reason", required=True, help="更正理由（记入审计记录）")
    p.add_argument("points", nargs="+", metavar="指标=分数", help="criterion=points")

    p = leaf(sub, cmd_audit, "audit", help="审计记录 the audit log of a round", round_id=True)
    p.add_argument("--uscc", help="只看这家单位 one applicant only")

    backup = sub.add_parser("backup", help="备份与恢复 backup and restore")
    bsub = backup.add_subparsers(title="backup commands", metavar="ACTION", required=True)
    p = leaf(bsub, cmd_backup_create, "create", help="备份数据与证明材料到一个文件")
    p.add_argument("-o", "--output", required=True, help="备份文件 .zip")
    p = leaf(bsub, cmd_backup_verify, "verify", help="检查备份文件是否完整")
    p.add_argument("archive", help="备份文件 .zip")
    p = leaf(bsub, cmd_backup_restore, "restore", help="从备份文件恢复（先检查完整性）")
    p.add_argument("archive", help="备份文件 .zip")
    leaf(bsub, cmd_backup_list, "list", help="列出自动备份 automatic backups")
    p = leaf(bsub, cmd_backup_heal, "heal", help="从备份文件补回缺失或损坏的证明材料（不改动数据）")
    p.add_argument("archive", help="备份文件 .zip")


def add_exports(xsub: Any) -> None:
    """Add the audit log to ``sme-review export``."""
    p = leaf(xsub, cmd_export_audit, "audit", help="审计记录 audit log (.xlsx)", round_id=True)
    p.add_argument("--uscc", help="只看这家单位 one applicant only")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")
