"""Data-form values as people really type them (dossier-format.md, "Values as people …").

Each parser takes the cell value as the workbook reader gives it (str, int, float, bool,
date/datetime or None) and returns the typed value, None for an empty cell ("not declared",
which is not 0), or raises ValueFormError with a Chinese message naming the field, the value
and what to type instead.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from sme_review_desktop.errors import ValueFormError
from sme_review_desktop.rules import uscc

Parsed = Decimal | date | bool | str

# Powers of ten of the money units, so conversion is an exact decimal shift.
_MONEY = {"元": 0, "千元": 3, "万元": 4, "百万元": 6, "亿元": 8, "万": 4, "亿": 8}
# Magnitude words people put before a count unit (1.2万人次).
_MAGNITUDE = {"": 0, "千": 3, "万": 4, "亿": 8}
# Words typed for each count unit; NFKC has already turned ㎡ and m² into m2.
_COUNT_SYNONYMS = {
    "家": ("家", "个", "户"),
    "人": ("人", "名", "位"),
    "次": ("次", "场"),
    "人次": ("人次", "人", "次"),
    "平方米": ("平方米", "平米", "m2"),
}
_UNIT_EXAMPLE = {"家": "120", "人": "25", "次": "12", "人次": "1500", "平方米": "800"}

_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
# A number with optional sign, thousands groups of exactly three digits, and decimals.
_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?")
_DATES = (
    re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
)
_TIME_TAIL = re.compile(r"(?:T|\s+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")

_TRUE = {"是", "有", "Y", "YES", "TRUE", "✓", "✔", "√", "1", "☑"}
_FALSE = {"否", "无", "N", "NO", "FALSE", "✗", "✘", "×", "0", "☒"}

# Excel's 1900 date system counts 1900-02-29, a day that never was, as serial 60.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_FAKE_LEAP_DAY = 60
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31


def _clean(text: str) -> str:
    """NFKC (full-width → half-width, ㎡ → m2), no zero-width characters, stripped."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).replace("−", "-").strip()


def _shown(raw: object) -> str:
    """The value as the user saw it, for messages."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _tidy(value: Decimal) -> Decimal:
    """3500.00 → 3500 and 0.350 → 0.35, without switching to exponent notation."""
    if value == value.to_integral_value():
        try:
            return value.quantize(Decimal(1))
        except InvalidOperation:  # more digits than the context's precision: leave it be
            return value
    return value.normalize()


def _from_float(raw: float, field_label: str) -> Decimal:
    if not math.isfinite(raw):
        raise ValueFormError(f"“{field_label}”的值“{raw}”不是数字：请填写数字。")
    # repr gives the shortest text that round-trips, i.e. what Excel showed (0.35, not 0.3499…).
    return Decimal(repr(raw))


def _split_number(text: str) -> tuple[Decimal, str] | None:
    """Leading number of ``text`` (thousands commas removed) and the rest, or None."""
    m = _NUMBER.match(text)
    if m is None or (m.group(2) is None and not m.group(3)):
        return None
    rest = text[m.end() :]
    if rest[:1] in (",", ".") or rest[:1].isdigit():
        return None  # 1,20 or 1.2.3: a typo, not a number with a unit
    digits = (m.group(2) or "0").replace(",", "")
    number = Decimal(f"{m.group(1)}{digits}.{m.group(3) or '0'}")
    return number, rest


def _money_unit_error(field_label: str, raw: object, unit: str) -> ValueFormError:
    return ValueFormError(
        f"“{field_label}”的值“{_shown(raw)}”无法换算为{unit}：请填写金额，如 350 或 350{unit}。"
    )


def _convert_money(number: Decimal, suffix: str, unit: str, raw: object, label: str) -> Decimal:
    if suffix == "":
        return number
    if suffix not in _MONEY:
        raise _money_unit_error(label, raw, unit)
    return number.scaleb(_MONEY[suffix] - _MONEY[unit])


def _convert_count(number: Decimal, suffix: str, unit: str, raw: object, label: str) -> Decimal:
    words = _COUNT_SYNONYMS.get(unit, (unit,) if unit else ())
    suffix = suffix.lower()  # 800M2
    for magnitude, power in _MAGNITUDE.items():
        if not suffix.startswith(magnitude):
            continue
        rest = suffix[len(magnitude) :]
        if rest == "" or rest in words:
            return number.scaleb(power)
    example = _UNIT_EXAMPLE.get(unit, "100")
    if unit:
        raise ValueFormError(
            f"“{label}”的值“{_shown(raw)}”的单位与本项的单位“{unit}”不符："
            f"请只填写数字，如 {example} 或 {example}{unit}。"
        )
    raise ValueFormError(f"“{label}”的值“{_shown(raw)}”不是数字：请只填写数字，如 {example}。")


def parse_number(
    raw: object, unit: str, *, number_format: str | None = None, field_label: str
) -> Decimal | None:
    """A figure in the field's ``unit`` (万元, 亿元, 家, 人, 次, 人次, 平方米, % or "").

    Text may carry thousands separators (``1,200``, ``1，200``), full-width digits and a unit:
    money units convert among each other (``2300000元`` = ``0.35亿元`` = ``350万元`` = 350 万元);
    count units accept the field's own unit, its usual synonyms (``12场`` for 次) and
    万/千/亿 before it (``1.2万人次``). Conversion shifts decimals, never through floats.
    """
    if unit == "%":
        return parse_percent(raw, number_format=number_format, field_label=field_label)
    if raw is None:
        return None
    if isinstance(raw, (bool, date)):
        # A TRUE or a date in a figure's cell is a wrong row or a wrong column, not a figure.
        raise ValueFormError(
            f"“{field_label}”的值“{_shown(raw)}”不是数字：请填写数字"
            + (f"，单位为{unit}。" if unit else "。")
        )
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return _tidy(_from_float(raw, field_label))
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValueFormError(f"“{field_label}”的值“{raw}”不是数字：请填写数字。")
        return _tidy(raw)
    text = _SPACES.sub("", _clean(str(raw)))
    if not text:
        return None
    split = _split_number(text)
    if split is None:
        raise ValueFormError(
            f"“{field_label}”的值“{_shown(raw)}”不是数字："
            f"请填写数字{f'（单位为{unit}）' if unit else ''}；未开展的填0，未统计的留空。"
        )
    number, suffix = split
    if unit in _MONEY:
        return _tidy(_convert_money(number, suffix, unit, raw, field_label))
    return _tidy(_convert_count(number, suffix, unit, raw, field_label))


def is_percent_format(number_format: str | None) -> bool:
    """True when an Excel number format scales by 100 (``0%``, ``0.0%``).

    A ``%`` inside quotes, after a backslash or in brackets is literal text (``0"%"``) and
    shows the stored number unscaled, so it does not count.
    """
    if not number_format:
        return False
    i, n = 0, len(number_format)
    while i < n:
        ch = number_format[i]
        if ch == "\\":
            i += 2
            continue
        if ch in '"[':
            close = number_format.find('"' if ch == '"' else "]", i + 1)
            i = n if close < 0 else close + 1
            continue
        if ch == "%":
            return True
        i += 1
    return False


def parse_percent(
    raw: object, *, number_format: str | None = None, field_label: str
) -> Decimal | None:
    """A percentage as the number before the % sign: ``86``, ``86%``, ``８６％``, ``86.5`` → 86…

    A number cell that Excel shows as 86% holds 0.86 with a percent format and gives 86. A
    plain 0.86 without that format stays 0.86: it may mean 0.86% as well as 86%, and guessing
    would turn a real 0.86% into a passing 86%. The rule then shows the figure for a person.
    """
    if raw is None:
        return None
    if isinstance(raw, (int, float, Decimal)) and not isinstance(raw, bool):
        value = parse_number(raw, "", field_label=field_label)
        if value is not None and is_percent_format(number_format):
            value = _tidy(value.scaleb(2))
        return value
    text = _SPACES.sub("", _clean(str(raw))) if isinstance(raw, str) else None
    if text == "":
        return None
    split = _split_number(text) if text is not None else None
    if split is None or split[1] not in ("", "%"):
        raise ValueFormError(
            f"“{field_label}”的值“{_shown(raw)}”不是百分比：请填写百分数，如 86 或 86%。"
        )
    return _tidy(split[0])


def _excel_serial(serial: float) -> date | None:
    whole = math.floor(serial)
    if not 1 <= whole <= _EXCEL_MAX_SERIAL or whole == _EXCEL_FAKE_LEAP_DAY:
        return None
    # Serials before the fake leap day are one day off from the epoch used after it.
    offset = whole + 1 if whole < _EXCEL_FAKE_LEAP_DAY else whole
    return _EXCEL_EPOCH + timedelta(days=offset)


def _make_date(year: str, month: str, day: str, raw: object, field_label: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueFormError(
            f"“{field_label}”的值“{_shown(raw)}”不是真实存在的日期：请核对年月日，如 2019-03-15。"
        ) from None


def parse_date(raw: object, *, field_label: str) -> date | None:
    """A date from an Excel date, an Excel serial number, or text such as ``2019-03-15``,
    ``2019/3/15``, ``2019.3.15``, ``2019年3月15日`` or ``20190315`` (full-width digits too).

    An eight-digit number such as 20190315 is read as yyyymmdd: people type it so, and as a
    serial it would be after the year 9999.
    """
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if isinstance(raw, float) and not math.isfinite(raw):
            text = ""
        elif 10000101 <= raw <= 99991231 and float(raw).is_integer():
            text = str(int(raw))
        else:
            found = _excel_serial(raw)
            if found is not None:
                return found
            text = ""
    else:
        text = _SPACES.sub(" ", _clean(str(raw))) if isinstance(raw, str) else ""
        if isinstance(raw, str) and not text:
            return None
        text = _TIME_TAIL.sub("", text).replace(" ", "")
    for pattern in _DATES:
        m = pattern.fullmatch(text)
        if m:
            return _make_date(m.group("y"), m.group("m"), m.group("d"), raw, field_label)
    raise ValueFormError(
        f"“{field_label}”的值“{_shown(raw)}”不是日期：请填写完整的年月日，如 2019-03-15。"
    )


def parse_bool(raw: object, *, field_label: str) -> bool | None:
    """是/否, also 有/无, Y/N, YES/NO, TRUE/FALSE (any case), ✓/✗ (✔ ✘ √ ×) and 1/0."""
    if raw is None or isinstance(raw, bool):
        return raw
    finite = isinstance(raw, (int, float)) or (isinstance(raw, Decimal) and raw.is_finite())
    if finite and raw in (0, 1):
        return raw == 1
    text = _SPACES.sub("", _clean(str(raw))).upper()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueFormError(f"“{field_label}”的值“{_shown(raw)}”无法识别：请填写“是”或“否”。")


def parse_text(raw: object) -> str | None:
    """Stripped text, None when empty; Excel numbers as shown (13812345678, not 13812345678.0)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        text = str(int(raw)) if raw.is_integer() else repr(raw)
    elif isinstance(raw, datetime):
        text = raw.date().isoformat() if raw.time() == datetime.min.time() else str(raw)
    elif isinstance(raw, date):
        text = raw.isoformat()
    else:
        text = str(raw)
    text = _INVISIBLE.sub("", text).strip()
    return text or None


def _parse_uscc(raw: object, field_label: str) -> str | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # Excel keeps 15 significant digits, so an all-digit code typed into a number cell has
        # lost its tail; only an exact integer that still checks is taken.
        if isinstance(raw, int) and uscc.validate(str(raw)).ok:
            return str(raw)
        raise ValueFormError(
            f"“{field_label}”的值“{_shown(raw)}”被Excel存成了数字，末几位可能已丢失："
            "请把该单元格设为文本格式后重新输入18位代码。"
        )
    text = parse_text(raw)
    return uscc.normalize(text) if text is not None else None


def _parse_enum(raw: object, choices: list[str], field_label: str) -> str | None:
    text = parse_text(raw)
    if text is None:
        return None
    wanted = _SPACES.sub("", _clean(text))
    for choice in choices:
        if _SPACES.sub("", _clean(choice)) == wanted:
            return choice
    raise ValueFormError(
        f"“{field_label}”的值“{text}”不是可选项：请从{'、'.join(choices)}中选填一项。"
    )


def parse_value(
    field_type: str,
    raw: object,
    *,
    unit: str | None,
    number_format: str | None,
    field_label: str,
    choices: list[str] | None = None,
) -> Parsed | None:
    """Type one cell by its field's type (text, uscc, enum, date, bool, number); None if empty.

    A uscc value is only normalised here; the form reader checks it and rejects a bad one.
    """
    if field_type == "text":
        return parse_text(raw)
    if field_type == "uscc":
        return _parse_uscc(raw, field_label)
    if field_type == "enum":
        if not choices:
            raise ValueError(f"enum field {field_label!r} has no choices")
        return _parse_enum(raw, choices, field_label)
    if field_type == "date":
        return parse_date(raw, field_label=field_label)
    if field_type == "bool":
        return parse_bool(raw, field_label=field_label)
    if field_type == "number":
        return parse_number(raw, unit or "", number_format=number_format, field_label=field_label)
    raise ValueError(f"unknown field type {field_type!r}")
