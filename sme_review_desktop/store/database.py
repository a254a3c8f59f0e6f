"""Opening the local store: engine, pragmas, migrations (with a backup first), sessions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from sme_review_desktop.errors import EditConflict, StoreError
from sme_review_desktop.migrations import HEAD
from sme_review_desktop.store.changes import ChangeRecorder, Changes
from sme_review_desktop.store.faults import DiskFull, is_disk_full

if TYPE_CHECKING:
    from alembic.config import Config

STORE_FILE = "store.sqlite3"
BUSY_TIMEOUT_MS = 15_000
# The PostgreSQL advisory lock every write transaction takes (any constant; "SMEW" in ASCII).
SERVER_WRITE_LOCK = 0x534D4557
STALE_MESSAGE = "该记录已被其他评审人修改，请刷新后再改。"
# PostgreSQL's insufficient_privilege: a login's role or a row-level policy refused (server_roles).
NOT_PERMITTED = "42501"


def _not_permitted(exc: DBAPIError) -> StoreError | None:
    if getattr(exc.orig, "sqlstate", None) != NOT_PERMITTED:
        return None
    return StoreError(
        "当前登录无权进行此操作（共享服务器按登录的角色限制可查看和更改的内容），未作任何改动。"
    )


READ_ONLY_MESSAGE = (
    "数据目录 {folder} 是只读的（只读介质、只读共享或没有写入权限）：只能查看和导出，不能修改。"
)


@dataclass
class Store:
    """An open store: the database and the data folder holding evidence and backups."""

    engine: Engine
    data_dir: Path
    _sessions: sessionmaker[Session]
    evidence_root: Path | None = None  # server mode: the shared evidence folder
    read_only: bool = False  # a data folder this process cannot write: reading only
    # Told what each committed write changed (the app's windows refresh from it).
    listeners: list[Callable[[Changes], None]] = field(default_factory=list)

    @property
    def evidence_dir(self) -> Path:
        return self.evidence_root or self.data_dir / "evidence"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def key_folder(self) -> Path:
        """Where ``keys/`` lives: the data folder, or in server mode the shared evidence
        folder, so every PC of the bureau signs the audit log with one key."""
        return self.evidence_root or self.data_dir

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it changes is committed."""
        with self._sessions() as session:
            session.info["key_folder"] = self.key_folder  # for verify_chain; never written
            try:
                yield session
            except DBAPIError as exc:
                refused = _not_permitted(exc)
                if refused is None:
                    raise
                raise refused from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed whole on success, rolled back whole on any error.

        Writers take turns, on SQLite (BEGIN IMMEDIATE) and on a server alike (an advisory
        lock held to the end of the transaction): the audit chain appends to the last entry,
        and an import checks for an applicant before adding it. A row changed by another
        program since this session read it (version_id_col) becomes an EditConflict. Once
        committed, the listeners are told what changed.
        """
        if self.read_only:
            raise StoreError(READ_ONLY_MESSAGE.format(folder=self.data_dir))
        with self._sessions() as session:
            recorder = ChangeRecorder(session)
            # audit.record signs entries with the key kept outside the database (store/keys).
            session.info["key_folder"] = self.key_folder
            if self.is_sqlite:
                session.connection(execution_options={"sqlite_immediate": True})
            elif self.engine.dialect.name == "postgresql":
                session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": SERVER_WRITE_LOCK}
                )
            try:
                yield session
                session.commit()
            except StaleDataError as exc:
                session.rollback()
                raise EditConflict(STALE_MESSAGE) from exc
            except (OSError, DBAPIError) as exc:
                session.rollback()
                if is_disk_full(exc):  # rolled back whole: say so, without a traceback
                    raise DiskFull() from exc
                refused = _not_permitted(exc) if isinstance(exc, DBAPIError) else None
                if refused is None:
                    raise
                raise refused from exc
            except BaseException:
                session.rollback()
                raise
        changes = recorder.changes()
        if changes is not None:
            self.announce(changes)

    def announce(self, changes: Changes) -> None:
        """Tell every listener; they run in the writing thread and must only hand it on."""
        for listener in list(self.listeners):
            listener(changes)

    def close(self) -> None:
        self.engine.dispose()


def _read_only_uri(path: Path) -> str:
    """How to read a store in a folder this process cannot write. A WAL database needs its
    ``-shm`` file, which cannot be made here: read-only if it exists, else ``immutable`` (no
    one writes a read-only folder; a non-empty ``-wal`` without ``-shm`` is left to fail)."""
    uri = path.resolve().as_uri()
    try:
        probe = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        try:
            probe.execute("select count(*) from sqlite_master").fetchone()
            return f"{uri}?mode=ro"
        finally:
            probe.close()
    except sqlite3.Error:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return f"{uri}?mode=ro"
        return f"{uri}?immutable=1"


def folder_writable(folder: Path) -> bool:
    """Whether this process may create files in ``folder`` (a read-only mount or share, or
    no write permission, says no)."""
    return os.access(folder, os.W_OK)


def _sqlite_engine(path: Path, *, read_only: bool = False) -> Engine:
    timeout = BUSY_TIMEOUT_MS / 1000
    if read_only:
        uri = _read_only_uri(path)
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, timeout=timeout)
        )
    else:
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN, so writes can take the lock up front.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only:  # both would write to the file
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # BEGIN IMMEDIATE for writes: a second writer waits for the lock instead of failing
        # half-way through its transaction with "database is locked".
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _alembic_config() -> Config:
    from alembic.config import Config  # only when migrating: its import costs 0.4 s

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent.parent / "migrations"))
    return cfg


def head_revision() -> str:
    return HEAD


def current_revision(engine: Engine) -> str | None:
    """The revision Alembic stamped (its ``alembic_version`` table), read without Alembic."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(versions) > 1:  # branched heads: leave it to Alembic to report
        return ",".join(sorted(versions))
    return versions[0] if versions else None


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite store with the online backup API (consistent even while in use)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
    return target


def _migrate(engine: Engine, data_dir: Path, db_path: Path | None) -> None:
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    has_tables = bool(inspect(engine).get_table_names())
    if current is None and has_tables:
        raise StoreError(
            f"数据目录中的数据库不是本系统的数据库，未作任何改动：{db_path or engine.url}"
        )
    if current is not None and db_path is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_sqlite(db_path, data_dir / "backups" / f"升级前备份-{current}-{stamp}.sqlite3")
    from alembic import command

    cfg = _alembic_config()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Two PCs starting a new release at once: the second waits, then finds nothing to do.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SERVER_WRITE_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _check_current(engine: Engine, data_dir: Path) -> None:
    """A read-only store cannot be migrated: it must already be this release's."""
    current = current_revision(engine)
    if current != head_revision():
        raise StoreError(
            f"数据目录 {data_dir} 是只读的，其中的数据库需要先升级才能被本版本读取："
            "请在可写的位置打开一次（或复制到可写的位置）。"
        )


def redact(text: str, url: str | None = None) -> str:
    """``text`` with the password of a database URL replaced by ***: as a URL it is rendered
    without its password; any other text has the URL's password (if any) struck out."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if url is None:
        try:
            return make_url(text).render_as_string(hide_password=True)
        except (ArgumentError, ValueError):
            return text
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        return text
    return text.replace(str(password), "***") if password else text


def open_store(
    data_dir: Path, database_url: str | None = None, *, evidence_dir: Path | None = None
) -> Store:
    """Open (creating or upgrading as needed) the store in ``data_dir`` or at ``database_url``.

    ``evidence_dir`` (server mode) is the shared folder holding the evidence files; without
    it they live in the data folder's ``evidence/``.
    """
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建数据目录 {data_dir}：{exc.strerror}") from exc
    db_path: Path | None = None
    read_only = False
    if database_url:
        engine = create_engine(database_url, pool_pre_ping=True)
    else:
        db_path = data_dir / STORE_FILE
        read_only = db_path.exists() and not folder_writable(data_dir)
        engine = _sqlite_engine(db_path, read_only=read_only)
    try:
        if read_only:
            _check_current(engine, data_dir)
        else:
            _migrate(engine, data_dir, db_path)
    except OperationalError as exc:
        engine.dispose()
        where = db_path or redact(database_url or "")
        raise StoreError(f"无法打开数据库 {where}：{redact(str(exc.orig), database_url)}") from exc
    except DBAPIError as exc:
        engine.dispose()
        if _not_permitted(exc) is None:
            raise
        # A reviewer's login on a server that this release has to upgrade: only the owner may.
        raise StoreError(
            "服务器上的数据库需要升级到本版本，但当前登录无权修改数据表：请信息科用拥有数据表的"
            "登录运行 sme-review server setup 后再启动。"
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    from sme_review_desktop.store import text_limits

    sessions = sessionmaker(engine)
    text_limits.install(sessions)  # a text too long is refused alike on SQLite and a server
    store = Store(
        engine=engine,
        data_dir=data_dir,
        _sessions=sessions,
        evidence_root=evidence_dir,
        read_only=read_only,
    )
    if read_only:
        return store  # nothing can be finished or swept in a folder that cannot be written
    _recover_evidence(store)
    # What a killed backup or restore left (a database copy in the temp folder, .restore-…).
    from sme_review_desktop.store.leftovers import sweep

    sweep(data_dir)
    return store


def _recover_evidence(store: Store) -> None:
    """Finish or discard what an import killed mid-way left in the evidence staging folder."""
    from sme_review_desktop.models import EvidenceBlob
    from sme_review_desktop.store.evidence import EvidenceStore

    def recorded(sha256: str) -> bool:
        with store.read() as session:
            return session.get(EvidenceBlob, sha256) is not None

    EvidenceStore(store.evidence_dir).recover(recorded)
