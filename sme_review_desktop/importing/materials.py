"""Which numbered material (申报材料清单) an evidence file belongs to, from its path's names.

dossier-format.md: a file or folder whose name starts with a material's number belongs to that
material, Arabic (``3``, ``03``, ``03_``, ``3.``, ``3-``, ``3 ``) or Chinese (``三、``, ``(三)``,
``（三）``); a file inside such a folder belongs to the folder's material.

A file put under the wrong material can hide a missing one from the formal review, while one
left unnumbered is still shown under 其他材料; so where a name is ambiguous we say None.
"""

from __future__ import annotations

import re
import unicodedata

from sme_review_desktop.text.numbering import chinese_numeral

# Separators that may follow a leading number (after NFKC, so （ ） ， ： are ASCII here).
_SEPARATORS = set("_.-— 、,:;)([]【】《“\"'")
# A "." or "-" followed by a digit makes a decimal, a date or a range (3.15, 3.5亿, 3-5), not a
# material number.
_NUMERIC_JOINERS = set(".-")
# Measure words and date words: 12月活动照片, 3家企业, 5人 are quantities, not numbering.
_QUANTITY_WORDS = set(
    "年月日号时分秒天周季岁个家人次场期万亿千百十元份张页项条届楼点米倍名位户篇本册套台件所座级类批轮"
)

_ARABIC = re.compile(r"\(?(\d+)\)?")
_CHINESE = re.compile(r"([一二三四五六七八九十]+)")
_CHINESE_VALUES = {chinese_numeral(n): n for n in range(1, 100)}


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _arabic(name: str) -> int | None:
    m = _ARABIC.match(name)
    if m is None:
        return None
    token = m.group(0)
    if token.startswith("(") != token.endswith(")"):
        if token.startswith("("):
            return None  # "(3" with no closing bracket
        token = token[:-1]  # "3)" numbering, the bracket is the separator
    if token.startswith("("):
        return int(m.group(1))
    rest = name[len(token) :]
    if not rest:
        return int(m.group(1))
    nxt = rest[0]
    if nxt in _NUMERIC_JOINERS and rest[1:2].isdigit():
        return None
    if nxt in _SEPARATORS or (_is_cjk(nxt) and nxt not in _QUANTITY_WORDS):
        return int(m.group(1))
    return None  # 5G应用.pdf, 3D打印, 3年报告


def _chinese(name: str) -> int | None:
    bracketed = name.startswith("(")
    m = _CHINESE.match(name, 1 if bracketed else 0)
    if m is None:
        return None
    value = _CHINESE_VALUES.get(m.group(1))
    rest = name[m.end() :]
    if bracketed:
        return value if rest.startswith(")") else None
    # A bare numeral needs a separator: 三年, 十佳, 一季度 start words, not numbering.
    return value if not rest or rest[0] in _SEPARATORS else None


def material_number(name: str, max_number: int) -> int | None:
    """The material number a file or folder name starts with, or None.

    Accepted: ``3``, ``03``, ``03_``, ``3.``, ``3-``, ``3 ``, ``3、``, ``(3)``, ``3)``, a number
    directly followed by a Chinese word (``03营业执照.pdf``) unless the word is a measure or
    date word (``12月``, ``3家``); Chinese ``三、``, ``(三)``, ``（三）``, ``十四、``. Full-width
    digits and brackets count, as do circled digits (①). Only numbers 1..max_number count,
    so ``2019年报告.pdf`` or ``2019-03-15.jpg`` are never material 2019.
    """
    text = unicodedata.normalize("NFKC", name).strip()
    number = _arabic(text)
    if number is None:
        number = _chinese(text)
    if number is None or not 1 <= number <= max_number:
        return None
    return number


def material_for_path(rel_path: str, max_number: int) -> int | None:
    """The material of a file from its path relative to the dossier's root, or None (其他材料).

    The outermost numbered component wins: ``06-活动照片/1.png`` is material 6, because the
    county filed the folder and the names inside only order its files. Both ``/`` and ``\\``
    separate components, as zips made on Windows use either.
    """
    for part in re.split(r"[/\\]+", rel_path):
        if part in ("", "."):
            continue
        number = material_number(part, max_number)
        if number is not None:
            return number
    return None
