"""What every command shares: dates, output, the store opened once and held, the actor."""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from sme_review_desktop.store.paths import data_dir

if TYPE_CHECKING:  # SQLAlchemy is imported by the commands that open a store, not by --version
    from sme_review_desktop.store.database import Store


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def emit(args: argparse.Namespace, payload: dict[str, Any], human: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(human)


def open_store(args: argparse.Namespace) -> Store:
    """The store, opened once per command; a local store is held against other programs."""
    if getattr(args, "_store", None) is None:
        from sme_review_desktop.store.database import folder_writable
        from sme_review_desktop.store.location import locate
        from sme_review_desktop.store.lock import acquire

        folder = data_dir(args.data_dir)
        where = locate(folder, args.database_url)
        # A folder this process cannot write is read (store.read_only), not locked: the lock
        # cannot be made there, and a read-only store refuses every write anyway.
        if where.database_url is None and folder_writable(folder):
            args._lock = acquire(folder)
        args._store = where.open()
    store: Store = args._store
    return store


def release(args: argparse.Namespace) -> None:
    if getattr(args, "_store", None) is not None:
        args._store.close()
    if getattr(args, "_lock", None) is not None:
        args._lock.release()


def actor(args: argparse.Namespace) -> str:
    return str(args.actor or getpass.getuser())


def leaf(
    parent: Any, func: Any, name: str, *, help: str, round_id: bool = False
) -> argparse.ArgumentParser:
    """A command: its --json switch, its handler, and --round when it works on one round."""
    p: argparse.ArgumentParser = parent.add_parser(name, help=help)
    if round_id:
        p.add_argument("--round", required=True, type=int, help="批次编号 round id")
    p.add_argument("--json", action="store_true", help="输出JSON output JSON")
    p.set_defaults(func=func)
    return p
