"""统一社会信用代码 (unified social credit code, GB 32100-2015): normalising, checking, reading.

Layout of the 18 characters: 1 登记管理部门, 2 机构类别, 3–8 登记管理机关行政区划码,
9–17 主体标识码 (the organisation code of GB 11714, whose 17th character is its own check digit),
18 the code's check character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(CODE_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714 values digits 0–9 and letters A–Z as 10–35 (it has its own, larger alphabet).
_ORG_VALUE = {ch: i for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Letters people type for look-alike digits; the standard leaves them out for that reason.
_LOOKALIKES = {"O": "0", "I": "1", "Z": "2", "S": "5"}

# Characters that are never part of a code but ride along when it is pasted from a web page.
_INVISIBLE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")

# 单位性质 choices of the data form implied by the first two characters (GB 32100-2015 表1).
# Definite kinds outside the first four choices are 其他; a "9 其他" category within an authority
# does not tell the kind, so it is absent here and implied_legal_form gives None.
_LEGAL_FORMS = {
    "11": "其他",  # 机关
    "12": "事业单位",
    # 中央编办管理的群众团体 (人民团体) are 社会团体法人 without registration (民法典 第九十条).
    "13": "社团法人",
    "21": "其他",  # 外国常驻新闻机构
    "31": "其他",  # 律师执业机构
    "32": "其他",  # 公证处
    "33": "其他",  # 基层法律服务所
    "34": "其他",  # 司法鉴定机构
    "35": "其他",  # 仲裁委员会
    "41": "其他",  # 外国在华文化中心
    "51": "社团法人",  # 社会团体
    "52": "民办非企业单位",  # now 社会服务机构, same code
    "53": "其他",  # 基金会 (捐助法人)
    "61": "其他",  # 外国旅游部门常驻代表机构
    "62": "其他",  # 港澳台地区旅游部门常驻内地（大陆）代表机构
    "71": "其他",  # 宗教活动场所
    "72": "其他",  # 宗教院校
    "81": "其他",  # 基层工会
    "91": "企业",
    "92": "其他",  # 个体工商户: a natural person trading, not an enterprise
    "93": "其他",  # 农民专业合作社 (特别法人)
    "A1": "事业单位",  # 军队事业单位
    "N1": "其他",  # 组级集体经济组织
    "N2": "其他",  # 村级集体经济组织
    "N3": "其他",  # 乡镇级集体经济组织
}


@dataclass(frozen=True)
class UsccCheck:
    """The outcome of checking one code: errors reject it, warnings are only shown."""

    code: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the code has no errors (warnings do not count)."""
        return not self.errors


def normalize(text: str) -> str:
    """Strip, turn full-width characters half-width, drop inner spaces and upper-case."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).upper()


def check_char(prefix17: str) -> str:
    """The 18th character for the first 17 (which must be in CODE_ALPHABET)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(prefix17, _WEIGHTS, strict=True))
    return CODE_ALPHABET[(31 - total % 31) % 31]


def org_check_char(org8: str) -> str:
    """GB 11714 check digit of an organisation code's first eight characters (0–9, A–Z)."""
    total = sum(_ORG_VALUE[ch] * w for ch, w in zip(org8, _ORG_WEIGHTS, strict=True))
    rest = 11 - total % 11
    return {10: "X", 11: "0"}.get(rest, str(rest))


def validate(code: str) -> UsccCheck:
    """Check length, alphabet and the 18th check character; the 17th only warns.

    Some genuine early codes carry an organisation code whose own check digit is wrong, so a
    failing 17th character is a warning (dossier-format.md, "What a bad package gets").
    """
    code = normalize(code)
    errors: list[str] = []
    warnings: list[str] = []
    if len(code) != 18:
        errors.append(f"长度为{len(code)}位，应为18位")
    bad = list(dict.fromkeys(ch for ch in code if ch not in _VALUE))
    if bad:
        hint = [f"{ch}应为{_LOOKALIKES[ch]}" for ch in bad if ch in _LOOKALIKES]
        errors.append(
            f"含有代码中不会出现的字符“{'、'.join(bad)}”"
            + (f"（代码不使用字母I、O、Z、S、V，可能{'，'.join(hint)}）" if hint else "")
        )
    if errors:
        return UsccCheck(code, errors, warnings)
    expected = check_char(code[:17])
    if code[17] != expected:
        errors.append(f"第18位校验码应为“{expected}”，实为“{code[17]}”")
    org_expected = org_check_char(code[8:16])
    if code[16] != org_expected:
        warnings.append(
            f"统一社会信用代码“{code}”第17位（组织机构代码校验码）应为“{org_expected}”，"
            f"实为“{code[16]}”；部分早期赋码的代码如此，请核对营业执照或法人证书。"
        )
    return UsccCheck(code, errors, warnings)


def region_code(code: str) -> str:
    """登记管理机关行政区划码: characters 3–8, e.g. ``371500`` for 聊城市."""
    return normalize(code)[2:8]


def implied_legal_form(code: str) -> str | None:
    """The 单位性质 choice the first two characters imply, or None when they do not tell.

    91 企业 → 企业; 12 事业单位 and A1 军队事业单位 → 事业单位; 51 社会团体 and 13 群众团体 →
    社团法人; 52 → 民办非企业单位; any other kind the standard names (11 机关, 53 基金会,
    92 个体工商户, 93 农民专业合作社, …) → 其他. An "其他" category (x9) or an unknown pair
    gives None, so no contradiction is reported where the code cannot decide.
    """
    return _LEGAL_FORMS.get(normalize(code)[:2])


def make_valid(prefix17: str) -> str:
    """Append the right 18th character to 17 characters (demo data and tests)."""
    prefix17 = normalize(prefix17)
    if len(prefix17) != 17 or any(ch not in _VALUE for ch in prefix17):
        raise ValueError(f"not 17 characters of the code alphabet: {prefix17!r}")
    return prefix17 + check_char(prefix17)


def build(kind: str = "91", region: str = "371500", org8: str = "MA3C0001") -> str:
    """A fully valid code (17th and 18th characters right) from its kind, region and org body."""
    kind, region, org8 = normalize(kind), normalize(region), normalize(org8)
    parts_ok = all(ch in _VALUE for ch in kind + region + org8)
    if not parts_ok or len(kind) != 2 or len(region) != 6 or not region.isdigit() or len(org8) != 8:
        raise ValueError(f"bad code parts: {kind!r}, {region!r}, {org8!r}")
    return make_valid(kind + region + org8 + org_check_char(org8))
