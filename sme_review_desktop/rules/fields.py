"""The data form's fields (dossier-format.md), loaded from ``resources/dossier-fields.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sme_review_desktop.errors import RulebookError
from sme_review_desktop.store.paths import resources_dir
from sme_review_desktop.text.yaml_text import parse_yaml

FIELD_TYPES = {"text", "uscc", "enum", "date", "bool", "number"}


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    group: str
    type: str
    unit: str | None = None
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@cache
def field_catalogue() -> dict[str, FieldDef]:
    """Every field of data form version 1, in the contract's order."""
    path = resources_dir() / "dossier-fields.yaml"
    try:
        rows = parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RulebookError(f"无法读取字段表 {path}：{exc}") from exc
    fields: dict[str, FieldDef] = {}
    for row in rows:
        if row.get("type") not in FIELD_TYPES:
            raise RulebookError(f"字段表 {path} 中字段 {row.get('key')} 的类型无效")
        fields[row["key"]] = FieldDef(
            key=row["key"],
            label=row["label"],
            group=row.get("group", ""),
            type=row["type"],
            unit=row.get("unit"),
            required=bool(row.get("required", False)),
            choices=tuple(row.get("choices", ())),
            help=row.get("help", ""),
        )
    return fields
