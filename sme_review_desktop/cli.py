"""The command line: a thin skin over the same services the app uses.

Names, flags and JSON keys here are a contract relied on by tests outside the project.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from . import __version__
from .errors import UserError
from .paths import data_dir
from .store import Store, open_store

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
    return open_store(data_dir(args.data_dir), args.database_url)


def _actor(args: argparse.Namespace) -> str:
    return str(args.actor or getpass.getuser())


def cmd_rulebooks(args: argparse.Namespace) -> int:
    from .rules.rulebook import all_rulebooks

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
    from .rounds import create_round

    store = _store(args)
    rid = create_round(store, args.rulebook, args.name, args.reference_date, _actor(args))
    _emit(args, {"id": rid}, f"已创建认定批次 {rid}：{args.name}")
    return 0


def cmd_round_list(args: argparse.Namespace) -> int:
    from .rounds import list_rounds

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
    from .importing.service import import_paths
    from .settings import Settings

    store = _store(args)
    limits = Settings.load(store.data_dir).import_limits()
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
    from .evaluation import evaluate_round

    results = evaluate_round(_store(args), args.round)
    payload = {"dossiers": [r.as_json() for r in results]}
    lines = [
        f"{r.uscc}\t{r.platform_name}\t第{r.version}版\t{r.evaluation.overall.label}"
        for r in results
    ]
    _emit(args, payload, "\n".join(lines) or "该批次还没有申报材料。")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .exports.form_template import write_form
    from .rules.rulebook import get_rulebook

    target = Path(args.output)
    write_form(target, get_rulebook(args.rulebook))
    _emit(args, {"path": str(target)}, f"已导出申报模板：{target}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import load_demo

    ids = load_demo(_store(args), _actor(args))
    _emit(args, {"rounds": ids}, f"已载入演示数据：认定批次 {'、'.join(map(str, ids))}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from .ui.app import run

    return run(data_dir(args.data_dir), args.database_url, demo=args.demo)


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
        "--database-url", help="数据库地址 SQLAlchemy URL, e.g. postgresql+psycopg://… (共享服务器)"
    )
    parser.add_argument("--actor", help="操作人姓名 reviewer name for the audit log")
    parser.add_argument("--demo", action="store_true", help="打开演示数据 open the demo data set")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title="commands 子命令", metavar="COMMAND")

    p = sub.add_parser("rulebooks", help="列出办法 list the rulebooks (measures)")
    p.add_argument("--json", action="store_true", help="输出JSON output JSON")
    p.set_defaults(func=cmd_rulebooks)

    rnd = sub.add_parser("round", help="认定批次 certification rounds")
    rsub = rnd.add_subparsers(title="round commands", metavar="ACTION", required=True)
    p = rsub.add_parser("create", help="创建认定批次 create a round")
    p.add_argument("--rulebook", required=True, help="办法编号 rulebook id, e.g. liaocheng-2021")
    p.add_argument("--name", required=True, help="批次名称 round name")
    p.add_argument(
        "--reference-date", required=True, type=_date, help="基准日 reference date YYYY-MM-DD"
    )
    p.add_argument("--json", action="store_true", help="输出JSON output JSON")
    p.set_defaults(func=cmd_round_create)
    p = rsub.add_parser("list", help="列出认定批次 list rounds")
    p.add_argument("--json", action="store_true", help="输出JSON output JSON")
    p.set_defaults(func=cmd_round_list)

    p = sub.add_parser("import", help="导入申报材料 import dossier packages")
    p.add_argument("--round", required=True, type=int, help="批次编号 round id")
    p.add_argument(
        "paths", nargs="+", metavar="PATH", help="文件夹、zip或数据表 folder, zip, workbook"
    )
    p.add_argument("--json", action="store_true", help="输出JSON output JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("evaluate", help="按办法审核 evaluate a round against its rulebook")
    p.add_argument("--round", required=True, type=int, help="批次编号 round id")
    p.add_argument("--json", action="store_true", help="输出JSON output JSON")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("template", help="导出申报模板 write the blank data form of a measure")
    p.add_argument("--rulebook", required=True, help="办法编号 rulebook id")
    p.add_argument("-o", "--output", required=True, help="输出文件 output .xlsx")
    p.add_argument("--json", action="store_true", help="输出JSON output JSON")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("demo", help="载入演示数据 load the demo data set into the store")
    p.add_argument("--json", action="store_true", help="输出JSON output JSON")
    p.set_defaults(func=cmd_demo)
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


if __name__ == "__main__":
    sys.exit(main())
