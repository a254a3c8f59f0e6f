"""CLI: the shared server's roles and people (docs/server-mode.md, store/server_roles)."""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any

from sme_review_desktop.cli.common import actor, emit, leaf, open_store
from sme_review_desktop.errors import UserError

PASSWORD_ENV = "SME_REVIEW_NEW_PASSWORD"


def _store(args: argparse.Namespace) -> Any:
    # --database-url may follow the command (as the manual writes it) or precede it.
    args.database_url = args.server_database_url or args.database_url
    return open_store(args)


def _new_password(login: str) -> str:
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    try:
        first = getpass.getpass(f"为登录“{login}”设置口令：")
        second = getpass.getpass("再输入一次：")
    except EOFError:
        raise UserError(f"未给出口令：请设置环境变量 {PASSWORD_ENV}，或在终端中输入。") from None
    if first != second:
        raise UserError("两次输入的口令不一致，未创建用户。")
    return first


def cmd_setup(args: argparse.Namespace) -> int:
    from sme_review_desktop.store.server_roles import setup

    done = setup(_store(args), actor(args))
    emit(args, {"ok": True, "steps": done}, "\n".join(done) + "\n服务器角色与权限已设置。")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from sme_review_desktop.store.server_roles import ROLE_LABELS, add_user

    store = _store(args)
    add_user(store, args.login, args.name, args.role, _new_password(args.login), actor(args))
    emit(
        args,
        {"login": args.login, "name": args.name, "role": args.role},
        f"已创建登录“{args.login}”（{args.name}，{ROLE_LABELS[args.role]}）。",
    )
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    from sme_review_desktop.store.server_roles import ROLE_LABELS, list_users

    users = list_users(_store(args))
    lines = [
        f"{u.login}\t{u.name}\t{ROLE_LABELS.get(u.role, u.role)}"
        + ("\t已停用" if u.disabled_at else "")
        for u in users
    ]
    emit(args, {"users": [u.as_json() for u in users]}, "\n".join(lines) or "（尚无用户）")
    return 0


def cmd_user_disable(args: argparse.Namespace) -> int:
    from sme_review_desktop.store.server_roles import disable_user

    disable_user(_store(args), args.login, actor(args))
    emit(args, {"ok": True, "login": args.login}, f"已停用登录“{args.login}”。")
    return 0


def _url(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database-url",
        dest="server_database_url",
        help="共享服务器数据库地址 server URL (postgresql+psycopg://login:pass@host/db)",
    )


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    p = sub.add_parser("server", help="共享服务器的角色与用户 roles and people on the server")
    ssub = p.add_subparsers(title="server commands", metavar="ACTION", required=True)
    _url(leaf(ssub, cmd_setup, "setup", help="建立角色、权限与行级安全 set up roles (IT, once)"))
    users = ssub.add_parser("user", help="用户 people")
    usub = users.add_subparsers(title="user commands", metavar="ACTION", required=True)
    p = leaf(usub, cmd_user_add, "add", help="添加用户 add a login")
    _url(p)
    p.add_argument("--login", required=True, help="登录名 login (a-z, 0-9, _)")
    p.add_argument("--name", required=True, help="姓名 registered name (audit log; expert name)")
    p.add_argument("--role", required=True, choices=["staff", "expert", "admin"], help="角色 role")
    _url(leaf(usub, cmd_user_list, "list", help="列出用户 list logins"))
    p = leaf(usub, cmd_user_disable, "disable", help="停用用户 disable a login")
    _url(p)
    p.add_argument("--login", required=True, help="登录名 login")
