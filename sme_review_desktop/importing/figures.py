"""Declared figures in the store: typed values ↔ the canonical text kept in DeclaredFigure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sme_review_desktop.models import DeclaredFigure
from sme_review_desktop.rules.engine import Value
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.text.numbers import plain


def encode(value: Decimal | date | bool | str) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode(key: str, text: str | None) -> Value:
    if text is None:
        return None
    fdef = field_catalogue().get(key)
    kind = fdef.type if fdef else "text"
    if kind == "number":
        return Decimal(text)
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "bool":
        return text == "1"
    return text


def typed_figures(rows: Iterable[DeclaredFigure]) -> dict[str, Value]:
    return {row.key: decode(row.key, row.value) for row in rows}
