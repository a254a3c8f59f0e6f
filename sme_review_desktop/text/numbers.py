"""Numbers as people write them: 260, 199.99, 0.35 — never 2.6E+2."""

from __future__ import annotations

from decimal import Decimal


def plain(v: Decimal) -> str:
    return format(v.normalize(), "f")
