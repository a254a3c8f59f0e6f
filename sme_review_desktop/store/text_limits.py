"""Text lengths checked before the database sees them, the same on SQLite and PostgreSQL.

SQLite stores a 500-character name in a VARCHAR(200) column without a word; PostgreSQL
refuses it (``value too long for type character varying(200)``) and the whole transaction
with it. So the limits are read from the models' column lengths and checked here, in Python
(``len`` counts characters, as PostgreSQL does), for every row a session flushes
(``install``) and for the rows the import inserts in bulk (``check_row``): one rule, one
Chinese message naming the field, on both databases.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import String, Table, event, inspect
from sqlalchemy.orm import InstanceState, Session, sessionmaker

from sme_review_desktop.errors import UserError
from sme_review_desktop.models import Base

# How a person names the field; a column not listed is named by its table and column.
LABELS: dict[str, str] = {
    "applicant.name": "运营单位名称",
    "applicant.uscc": "统一社会信用代码",
    "dossier_version.platform_name": "平台名称",
    "dossier_version.operator_name": "运营单位名称",
    "dossier_version.county": "所在县（市、区）",
    "dossier_version.platform_type": "平台类型",
    "dossier_version.legal_form": "法人性质",
    "dossier_version.source_name": "申报材料名称",
    "dossier_version.form_path": "申报数据表路径",
    "dossier_version.imported_by": "导入人",
    "evidence_file.rel_path": "证明材料路径",
    "declared_figure.key": "申报数据项名称",
    "round.name": "批次名称",
    "expert.name": "专家姓名",
    "expert.organisation": "专家单位",
    "audit_entry.actor": "操作人",
}


class TextTooLong(UserError):
    """A text is longer than its column allows."""


def _limits(table: Table) -> dict[str, int]:
    return {
        c.name: int(c.type.length)
        for c in table.columns
        if isinstance(c.type, String) and c.type.length
    }


LIMITS: dict[str, dict[str, int]] = {
    name: _limits(table) for name, table in Base.metadata.tables.items()
}


def label(table: str, column: str) -> str:
    return LABELS.get(f"{table}.{column}", f"{table}.{column}")


def check_value(table: str, column: str, value: object) -> None:
    """Raise TextTooLong when ``value`` is a text longer than ``table.column`` allows."""
    limit = LIMITS.get(table, {}).get(column)
    if limit is None or not isinstance(value, str) or len(value) <= limit:
        return
    shown = value[:20] + ("…" if len(value) > 20 else "")
    raise TextTooLong(
        f"“{label(table, column)}”最多{limit}个字，现为{len(value)}个字（“{shown}”）：请缩短后再保存。"
    )


def check_row(table: str, row: Mapping[str, Any]) -> None:
    """Check one row about to be inserted in bulk (``session.execute(insert(T), rows)``)."""
    for column, value in row.items():
        check_value(table, column, value)


def check_object(obj: object) -> None:
    """Check every text attribute of an ORM object about to be flushed (only values set or
    loaded: an expired attribute is not fetched in the middle of a flush)."""
    state: InstanceState[Any] | None = inspect(obj, raiseerr=False)
    if state is None:
        return
    loaded = state.dict
    for prop in state.mapper.column_attrs:
        column = prop.columns[0]
        if prop.key in loaded and column.table is not None:
            check_value(str(getattr(column.table, "name", "")), column.name, loaded[prop.key])


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        check_object(obj)


def install(sessions: sessionmaker[Session]) -> None:
    """Check every row the store's sessions flush."""
    event.listen(sessions, "before_flush", _before_flush)
