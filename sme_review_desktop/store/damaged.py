"""A damaged SQLite store looked at without trusting it: what SQLite's own check finds, and
what can still be read, table by table.

``check`` exists for the day the database says 「database disk image is malformed」, so it
must not need a healthy database to run: this opens the file read-only with the plain sqlite3
module (no migration, no session, no write of any kind) and survives every error it meets.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sme_review_desktop.models import Base

_MAX_FINDINGS = 30  # integrity_check can list thousands of pages; the first ones say enough


@dataclass
class Survey:
    findings: list[str] = field(default_factory=list)  # PRAGMA integrity_check, or why not
    readable: dict[str, int | None] = field(default_factory=dict)  # table → rows, None: lost


def _connect(db: Path) -> sqlite3.Connection:
    """Read-only; ``immutable`` where even that needs a write (WAL in a read-only folder)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        con.execute("select count(*) from sqlite_master").fetchone()
        return con
    except sqlite3.Error:
        return sqlite3.connect(f"file:{db}?immutable=1", uri=True)


def _findings(con: sqlite3.Connection) -> list[str]:
    """PRAGMA integrity_check's findings; where it stops at the damage itself, quick_check's
    (which walks the pages without reading every row), then the check of each table alone."""
    for pragma in ("integrity_check", "quick_check"):
        try:
            rows = [str(r[0]) for r in con.execute(f"PRAGMA {pragma}({_MAX_FINDINGS})")]
        except sqlite3.Error:
            continue
        lines = [line for row in rows for line in row.splitlines() if line.strip()]
        return [] if lines == ["ok"] else lines
    found = []
    for table in Base.metadata.sorted_tables:
        try:
            rows = [str(r[0]) for r in con.execute(f'PRAGMA integrity_check("{table.name}")')]
        except sqlite3.Error as exc:
            found.append(f"{table.name}：{exc}")
            continue
        found += [f"{table.name}：{r}" for r in rows if r != "ok"]
    return found or ["SQLite 无法完成完整性检查"]


def survey(db: Path) -> Survey:
    out = Survey()
    if not db.is_file():
        out.findings = [f"数据库文件不存在：{db}"]
        return out
    try:
        con = _connect(db)
    except sqlite3.Error as exc:
        out.findings = [f"数据库文件无法打开：{exc}"]
        return out
    try:
        out.findings = _findings(con)
        for table in Base.metadata.sorted_tables:
            try:
                (n,) = con.execute(f'select count(*) from "{table.name}"').fetchone()
                # a count can pass over a damaged page that reading the rows meets
                for _row in con.execute(f'select * from "{table.name}"'):
                    pass
                out.readable[table.name] = int(n)
            except sqlite3.Error:
                out.readable[table.name] = None
    finally:
        con.close()
    return out
