"""The certificate's text, set in measured lines: the same breaks a CJK Paragraph makes, kept
inside its block however long the names, and its QR code's path."""

from __future__ import annotations

from datetime import date

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from sme_review_desktop.exports import certificates, fonts
from sme_review_desktop.exports.certificates import CertificateText
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


def _certificate(platform: str, holder: str = "聊城市科技创新服务中心") -> CertificateText:
    return CertificateText(
        number="聊示范平台〔2026〕001号",
        holder=holder,
        platform=platform,
        city="聊城市",
        issuer="聊城市工业和信息化局",
        certified_on=date(2026, 10, 12),
        valid_until=date(2029, 10, 11),
    )


def test_an_ordinary_certificate_keeps_20_pt_justified_and_indented() -> None:
    font = fonts.body_font()
    size, lines = certificates._body_lines(
        _certificate("聊城市东昌府区中小企业公共服务综合示范平台"), font
    )
    assert size == 20
    assert [line.text for line in lines] == [
        "聊城市科技创新服务中心：",
        "你单位运营的聊城市东昌府区中小企业公共服务综合示范平台",
        "被认定为聊城市中小企业公共服务示范平台。",
        "有效期：2026年10月12日至2029年10月11日。",
    ]
    left, right = certificates._TEXT_LEFT, certificates._TEXT_LEFT + certificates._TEXT_WIDTH
    assert [line.x - left for line in lines] == [0, 40, 0, 40]  # 首行缩进两字
    full = lines[1]  # not a paragraph's last line: spread to the right edge
    width = sum(stringWidth(ch, font, size) for ch in full.text)
    assert full.x + width + full.char_space * (len(full.text) - 1) == pytest.approx(right)
    assert all(line.char_space == 0 for line in (lines[0], lines[2], lines[3]))


@pytest.mark.parametrize("length", [40, 80, 200])
def test_a_long_name_is_set_smaller_and_never_leaves_the_text_block(length: int) -> None:
    font = fonts.body_font()
    platform = ("聊城市中小企业公共服务平台，" * 20)[:length]
    size, lines = certificates._body_lines(_certificate(platform, holder=platform[:60]), font)
    right = certificates._TEXT_LEFT + certificates._TEXT_WIDTH
    for line in lines:
        width = stringWidth(line.text, font, size)
        assert (
            line.x + width + line.char_space * (len(line.text) - 1) <= right + size
        )  # one hanging mark
        assert line.y - 0.2 * size >= certificates._TEXT_BOTTOM  # above the issuer and the QR code
    assert "".join(line.text for line in lines).startswith(platform[:60])
    if length == 200:
        assert size < 20


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
