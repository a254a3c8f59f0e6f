"""reportlab's ToUnicode CMap, corrected for characters outside the BMP (one patch, one place).

reportlab 4–5 write each subset's ToUnicode entry as ``<%04X>`` of the code point: for 𠮷
(U+20BB7) that is ``<20BB7>``, an odd-length hex string, which is not UTF-16BE. The page
shows the glyph, but pdftotext reads 「₻」 and pypdf drops it, so a rare character in a name
cannot be found, copied or read aloud. The PDF specification wants UTF-16BE: a surrogate pair
``<D842DFB7>``. This module replaces the one function that writes the map; every other byte of
reportlab's output is unchanged. Importing it is enough (``fonts`` does, and every export
passes there).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase import ttfonts


def utf16_hex(code_point: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap wants: 4 digits, or 8 for a pair."""
    if code_point < 0x10000:
        return f"{code_point:04X}"
    return chr(code_point).encode("utf-16-be").hex().upper()


def make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ``makeToUnicodeCMap`` with every destination in UTF-16BE."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1),
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16_hex(v)}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
