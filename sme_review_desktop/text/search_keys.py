"""Search keys for names: the text itself plus its pinyin initials (临清 → lq).

A version's key is made once, when it is imported, and stored with it: making 20,000 of them
(and importing pypinyin's phrase dictionary) took half of a 10,000-dossier round's start-up.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    from pypinyin import Style, lazy_pinyin  # 0.3 s to import: only when a key is made

    return "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore") if p)


def name_key(*names: str) -> str:
    """One lower-case string holding every name and its pinyin initials, for substring search."""
    texts = [n for n in names if n]
    return "\n".join([*texts, *(initials(t) for t in texts)]).lower()


def search_key(names: str, *codes: str) -> str:
    """A stored ``name_key`` with codes (credit code…) that need no pinyin."""
    return "\n".join([names, *(c.lower() for c in codes if c)])
