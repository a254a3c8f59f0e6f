"""CLI: importing dossier packages, and the blank data form counties fill in."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sme_review_desktop.cli.common import actor, emit, leaf, open_store


def cmd_import(args: argparse.Namespace) -> int:
    from sme_review_desktop.importing.limits import ImportLimits
    from sme_review_desktop.importing.service import import_paths
    from sme_review_desktop.store.settings import Settings

    store = open_store(args)
    limits = ImportLimits.from_settings(Settings.load(store.data_dir))
    paths = [Path(p) for p in args.paths]
    results = list(import_paths(store, args.round, paths, actor(args), limits=limits))
    payload = {"results": [r.as_json() for r in results]}
    # 未变: the very bytes of the dossier's latest version (a batch re-run), nothing written
    labels = {
        "imported": "已导入",
        "new_version": "新版本",
        "unchanged": "未变",
        "rejected": "退回",
    }
    lines = []
    for r in results:
        detail = "；".join(r.errors) if r.errors else (r.platform_name or "")
        lines.append(f"[{labels.get(r.status, r.status)}] {r.path}  {detail}")
    emit(args, payload, "\n".join(lines) or "没有找到申报材料。")
    return 1 if any(r.status == "rejected" for r in results) else 0


def cmd_template(args: argparse.Namespace) -> int:
    from sme_review_desktop.exports.form_template import write_form
    from sme_review_desktop.rules.rulebook import get_rulebook

    target = Path(args.output)
    write_form(target, get_rulebook(args.rulebook))
    emit(args, {"path": str(target)}, f"已导出申报模板：{target}")
    return 0


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    p = leaf(sub, cmd_import, "import", help="导入申报材料 import dossier packages", round_id=True)
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="文件夹、zip或数据表 folder, zip, workbook"
    )

    p = leaf(
        sub, cmd_template, "template", help="导出申报模板 write the blank data form of a measure"
    )
    p.add_argument("--rulebook", required=True, help="办法编号 rulebook id")
    p.add_argument("-o", "--output", required=True, help="输出文件 output .xlsx")
