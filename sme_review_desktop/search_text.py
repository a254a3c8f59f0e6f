"""Search keys for names: the text itself plus its pinyin initials (临清 → lq)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore") if p)


def search_key(*parts: str) -> str:
    """One lower-case string holding every part and its pinyin initials, for substring search."""
    texts = [p for p in parts if p]
    return "\n".join([*texts, *(initials(t) for t in texts)]).lower()
