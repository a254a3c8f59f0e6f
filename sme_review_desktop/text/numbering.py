"""Chinese numbering as the measures write it: 第七条, （三）, 第二章."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 26 → 二十六 (enough for any measure)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def article_label(n: int) -> str:
    return f"第{chinese_numeral(n)}条"


def chapter_label(n: int) -> str:
    return f"第{chinese_numeral(n)}章"


def item_label(n: int, style: str = "paren_chinese") -> str:
    """（三） for items; (1) style for 西安 第十九条（四）'s sub-items."""
    return f"（{n}）" if style == "paren_arabic" else f"（{chinese_numeral(n)}）"


def clause_label(article: int, item: int) -> str:
    """第七条（三）; item 0 is the article's lead-in and is shown as the article alone."""
    return article_label(article) + (item_label(item) if item else "")
