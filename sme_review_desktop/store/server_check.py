"""Checking a shared-server setting before it is saved: can this PC reach the database, is it
this system's (and at which schema revision), can it write to the evidence folder.

Nothing here changes the server: the tables are created or upgraded only when the app opens
the store (store.open_store), after the user has saved the setting and restarted.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from sme_review_desktop.migrations import HEAD
from sme_review_desktop.store.database import current_revision

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432


@dataclass(frozen=True)
class ServerFields:
    """The parts of a database address as the settings dialog asks for them."""

    host: str
    port: int
    database: str
    user: str
    password: str

    def url(self) -> str:
        # URL.create percent-encodes what needs it (@ : / % # in a password).
        return URL.create(
            DRIVER,
            username=self.user or None,
            password=self.password or None,
            host=self.host or None,
            port=self.port if self.port != DEFAULT_PORT else None,
            database=self.database or None,
        ).render_as_string(hide_password=False)


def server_fields(url: str) -> ServerFields:
    """The parts of a stored address; an empty or unreadable one gives empty fields."""
    try:
        parsed = make_url(url) if url else None
    except ArgumentError:
        parsed = None
    if parsed is None:
        return ServerFields("", DEFAULT_PORT, "", "", "")
    return ServerFields(
        host=parsed.host or "",
        port=parsed.port or DEFAULT_PORT,
        database=parsed.database or "",
        user=parsed.username or "",
        password=parsed.password if isinstance(parsed.password, str) else "",
    )


@dataclass(frozen=True)
class Finding:
    ok: bool
    message: str


def check_server(url: str, evidence_dir: str, *, timeout_s: int = 5) -> list[Finding]:
    """What a reviewer needs to know before saving a server setting, one finding per check."""
    return [_check_database(url, timeout_s), _check_evidence(evidence_dir)]


def _check_database(url: str, timeout_s: int) -> Finding:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return Finding(False, "数据库地址格式不正确。")
    if not parsed.drivername.startswith("postgresql"):
        return Finding(False, "共享服务器只支持 PostgreSQL 数据库。")
    engine = create_engine(parsed, connect_args={"connect_timeout": timeout_s})
    try:
        with engine.connect() as conn:
            has_tables = bool(inspect(conn).get_table_names())
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return Finding(False, f"无法连接数据库：{reason}")
    finally:
        engine.dispose()
    if revision is None:
        if has_tables:
            return Finding(False, "该数据库中已有其他系统的数据表，本系统不会使用它。")
        return Finding(True, "已连接。数据库为空：第一台电脑启动时本系统会建立数据表。")
    if revision == HEAD:
        return Finding(True, f"已连接。数据库为本系统数据库（数据结构版本 {revision}）。")
    if revision < HEAD:
        return Finding(
            True,
            f"已连接。数据库的数据结构较旧（版本 {revision}）：第一台启动本版本的电脑会升级它，"
            "升级前请先在服务器上备份（pg_dump）。",
        )
    return Finding(
        False,
        f"数据库由更新版本的本系统建立（数据结构版本 {revision}），请先升级本电脑上的程序。",
    )


def _check_evidence(evidence_dir: str) -> Finding:
    if not evidence_dir.strip():
        return Finding(
            False,
            "未设置共享证明材料文件夹：证明材料将只保存在本机，其他电脑无法打开。",
        )
    folder = Path(evidence_dir).expanduser()
    if not folder.is_dir():
        return Finding(False, f"证明材料文件夹不存在或无法访问：{folder}")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as exc:
        return Finding(False, f"无法写入证明材料文件夹：{exc.strerror or exc}")
    return Finding(True, "证明材料文件夹可以读写。")
