"""The certificate's text, set in measured lines: the same breaks a CJK Paragraph makes, the
platform's name kept inside its band however long, the border inside its rules, and the QR
code's path."""

from __future__ import annotations

import itertools

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from sme_review_desktop.exports import cert_page, fonts
from sme_review_desktop.exports.cjk_lines import wrap_lines
from sme_review_desktop.exports.qr import QUIET, qr_path


def _paragraph_lines(text: str, font: str, size: float, width: float, indent: float) -> list[str]:
    style = ParagraphStyle(
        "p",
        fontName=font,
        fontSize=size,
        leading=size * 1.9,
        wordWrap="CJK",
        firstLineIndent=indent,
    )
    para = Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), style)
    para.wrap(width, 10_000)
    return ["".join(words).strip() for _, words in para.blPara.lines]


@pytest.mark.parametrize(
    ("text", "width", "indent"),
    [
        # 。and ，must not open a line: they hang in the margin
        ("你单位运营的聊城市运河科创服务平台被认定为聊城市中小企业。公共服务示范平台。", 586.8, 40),
        ("聊城市东昌府区中小企业公共服务综合示范平台，科技创新与成果转化服务中心被认定", 586.8, 40),
        # a Latin word moves down whole; runs of spaces are one space
        (
            "你单位运营的聊城市ABC  Digital Transformation Service Platform 数字化转型服务平台",
            586.8,
            40,
        ),
        ("ABC Technology Service Co., Ltd. 聊城分公司：", 300, 0),
        # narrower than two characters: one a line, never an endless loop
        ("聊城市，平台", 30, 0),
        ("", 586.8, 0),
    ],
)
def test_lines_break_where_a_cjk_paragraph_breaks_them(
    text: str, width: float, indent: float
) -> None:
    font = fonts.body_font()
    ours = [line for line, _ in wrap_lines(text, font, 20, (width - indent, width))]
    assert ours == _paragraph_lines(text, font, 20, width, indent)


def test_an_ordinary_name_is_the_main_line_at_the_largest_size() -> None:
    font = fonts.title_font()
    assert cert_page.main_lines("聊城市运河科创服务平台", font) == (32, ["聊城市运河科创服务平台"])
    name = "聊城市东昌府区中小企业公共服务综合示范平台"  # 21 characters: one line, a little smaller
    assert cert_page.main_lines(name, font) == (30, [name])


def _longest_at(size: float, font: str) -> int:
    """How many 平 fit one main line at ``size``."""
    n = 1
    while stringWidth("平" * (n + 1), font, size) <= cert_page.MAIN_WIDTH:
        n += 1
    return n


def test_a_name_one_character_too_long_for_32_pt_is_set_at_30() -> None:
    font = fonts.title_font()
    most = _longest_at(32, font)
    assert cert_page.main_lines("平" * most, font)[0] == 32  # just fits
    size, lines = cert_page.main_lines("平" * (most + 1), font)  # one more
    assert size == 30 and len(lines) == 1


@pytest.mark.parametrize("length", [40, 80, 120, 200, 400])
def test_a_long_name_is_set_smaller_and_never_leaves_its_band(length: int) -> None:
    font = fonts.title_font()
    platform = ("聊城市中小企业公共服务平台，" * 40)[:length]
    size, lines = cert_page.main_lines(platform, font)
    assert "".join(lines) == platform
    for line in lines:  # one hanging mark at most
        assert stringWidth(line, font, size) <= cert_page.MAIN_WIDTH + size
    if len(lines) > 2:
        assert size <= cert_page.MAIN_SIZES[-1]
        assert (len(lines) - 1) * size * 1.2 <= cert_page.MAIN_TOP - cert_page.MAIN_BOTTOM
    if length <= 40:
        assert len(lines) <= 2


def test_the_fret_border_stays_between_the_rules() -> None:
    """Every 回纹 cell inside its band: clear of the outer rule and the inner frame."""
    width, height = cert_page.PAGE
    for length in (width - 2 * cert_page.BAND, height - 2 * cert_page.BAND):
        cells = [cert_page._fret_cell(x, cert_page.CELL) for x in cert_page._cells(length)]
        xs = [x for pts in cells for x, _ in pts]  # clear of the corner squares at both ends
        assert min(xs) >= cert_page.CELL and max(xs) <= length - cert_page.CELL
        for pts in cells:
            assert all(0 <= y <= cert_page.CELL for _, y in pts)
        for a, b in itertools.pairwise(cells):  # no two cells overlap
            assert max(x for x, _ in a) < min(x for x, _ in b)
    assert cert_page.BAND + cert_page.CELL < cert_page.INNER


def test_qr_path_is_integer_rectangles_inside_the_quiet_zone() -> None:
    modules, path = qr_path("证书编号：聊示范平台〔2026〕001号")
    ops = path.splitlines()
    assert ops[-1] == "f"
    rects = [tuple(int(v) for v in op.split()[:4]) for op in ops[:-1]]
    assert all(op.endswith(" re") for op in ops[:-1])
    assert all(
        x >= QUIET and x + w <= modules - QUIET and QUIET <= y < modules - QUIET and h == 1
        for x, y, w, h in rects
    )
