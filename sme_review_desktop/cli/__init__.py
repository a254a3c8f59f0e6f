"""The command line (sme-review): a thin skin over the same services the app uses.

Names, flags and JSON keys here are a contract relied on by tests outside the project. One
module per command group; each adds its commands to the parser and imports its services only
when a command runs, so ``sme-review --version`` stays quick.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from sme_review_desktop import __version__
from sme_review_desktop.cli import (
    certificates,
    exports,
    importing,
    overview,
    publicity,
    register,
    review,
    rounds,
    scoring,
    server,
    trust,
)
from sme_review_desktop.cli.common import actor, emit, leaf, open_store, release
from sme_review_desktop.errors import UserError
from sme_review_desktop.store.paths import data_dir

log = logging.getLogger(__name__)


def cmd_demo(args: argparse.Namespace) -> int:
    from sme_review_desktop.demo import load_demo

    ids = load_demo(open_store(args), actor(args), story=True)
    emit(args, {"rounds": ids}, f"已载入演示数据：认定批次 {'、'.join(map(str, ids))}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from sme_review_desktop.ui.app import run

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
        "--database-url",
        help="共享服务器数据库地址 shared server URL, e.g. postgresql+psycopg://user:pass@host/db "
        "(默认 default: $SME_REVIEW_DATABASE_URL, 设置 settings.json database_url)",
    )
    parser.add_argument("--actor", help="操作人姓名 reviewer name for the audit log")
    parser.add_argument("--demo", action="store_true", help="打开演示数据 open the demo data set")
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(title="commands 子命令", metavar="COMMAND")
    for group in (rounds, importing, review, scoring, publicity, register, overview, trust, server):
        group.add_commands(sub)
    certificates.add_commands(sub)
    export = sub.add_parser("export", help="导出文书 export documents")
    xsub = export.add_subparsers(title="export commands", metavar="WHAT", required=True)
    exports.add_exports(xsub)
    trust.add_exports(xsub)
    leaf(sub, cmd_demo, "demo", help="载入演示数据 load the demo data set into the store")
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
    except OSError as exc:  # the machine's fault (full disk, read-only folder): said, not traced
        # imported here: it needs SQLAlchemy, which `--version` must not load
        from sme_review_desktop.store.faults import DISK_FULL_MESSAGE, is_disk_full, is_read_only

        if is_disk_full(exc):
            print(f"错误：{DISK_FULL_MESSAGE}", file=sys.stderr)
            return 2
        if is_read_only(exc):
            where = f"：{exc.filename}" if exc.filename else ""
            print(f"错误：无法写入（只读或没有写入权限）{where}。", file=sys.stderr)
            return 2
        raise
    finally:
        release(args)
