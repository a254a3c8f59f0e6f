"""公示名单, 认定名单, certificates and the review report: read back, fonts checked, QR decoded."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from approval_helpers import approve
from openpyxl import load_workbook
from pypdf import PdfReader
from reportlab import rl_config
from sqlalchemy import update

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports.certificates import (
    OverlayLayout,
    calibration_page,
    write_certificates,
)
from sme_review_desktop.exports.notice import write_notice
from sme_review_desktop.exports.review_report import write_review_report
from sme_review_desktop.models import DossierVersion
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import finalize, start_publicity
from sme_review_desktop.review.walkthrough import (
    link_evidence,
    load_workspace,
    set_decision,
    set_note,
)
from sme_review_desktop.rounds import update_settings
from sme_review_desktop.store.database import Store

RARE = "𠀀"  # CJK Extension B: not in the bundled font


def _text(path: Path) -> str:
    """The PDF's text without whitespace (line breaks fall anywhere in Chinese)."""
    return "".join("".join(p.extract_text() for p in PdfReader(path).pages).split())


def _has(text: str, expected: str) -> bool:
    return "".join(expected.split()) in text


def _fonts(path: Path) -> list[str]:
    """pdffonts lines; every font must be embedded (the emb column says yes)."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return out.stdout.splitlines()[2:]


def _all_embedded(path: Path) -> None:
    if shutil.which("pdffonts"):
        lines = _fonts(path)
        assert lines and all(" yes " in line for line in lines), lines


@pytest.fixture
def decided(demo_store: Store) -> Store:
    store = demo_store
    for row in dossier_summaries(store, 1)[:3]:
        approve(store, 1, row.uscc, "符合条件", "组长")
    update_settings(
        store,
        1,
        {"objection_contact": "中小企业科 0635-8888888", "document_number": "聊工信字〔2026〕15号"},
        "秘书",
    )
    return store


@pytest.fixture
def certified(decided: Store) -> Store:
    start_publicity(decided, 1, date(2026, 9, 28), "秘书")
    finalize(decided, 1, date(2026, 10, 12), "局长")
    return decided


def test_notice_pdf_reads_like_the_government_document(decided: Store, tmp_path: Path) -> None:
    start_publicity(decided, 1, date(2026, 9, 28), "秘书")
    target = write_notice(decided, 1, tmp_path / "公示.pdf")
    text = _text(target)
    names = [r.platform_name for r in dossier_summaries(decided, 1)[:3]]
    for expected in (
        "关于2026年度聊城市中小企业公共服务示范平台拟认定名单的公示",
        "聊工信字〔2026〕15号",
        # National Day 2026 inside the period: 28 Sept + 5 working days ends on 9 October.
        "自9月28日至10月9日",
        "中小企业科 0635-8888888",
        "2026年9月28日",
        "— 1 —",
        "— 2 —",
        "序号",
        "所在县（市、区）",
        *names,
    ):
        assert _has(text, expected), expected
    reader = PdfReader(target)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 portrait in points
    _all_embedded(target)


def test_notice_xlsx_has_title_period_and_a_printable_table(decided: Store, tmp_path: Path) -> None:
    start_publicity(decided, 1, date(2026, 9, 28), "秘书")
    ws = load_workbook(write_notice(decided, 1, tmp_path / "公示.xlsx")).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "2026年度聊城市中小企业公共服务示范平台拟认定名单"
    assert rows[1][0] == "公示时间：自9月28日至10月9日（5个工作日）"
    assert rows[2] == ("序号", "平台名称", "运营单位", "所在县（市、区）", "平台类别")
    assert [r[0] for r in rows[3:]] == [1, 2, 3]
    first = dossier_summaries(decided, 1)[0]
    assert rows[3][1] == first.platform_name
    assert ws.print_title_rows == "$3:$3"  # the header repeats on every printed page
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    longest = max(len(r[1]) for r in rows[3:])
    assert ws.column_dimensions["B"].width >= 2 * longest  # a Chinese character is two units


def test_notice_needs_publicity_and_final_list_needs_certificates(
    decided: Store, tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="尚未开始公示"):
        write_notice(decided, 1, tmp_path / "a.pdf")
    with pytest.raises(UserError, match="尚未认定"):
        write_notice(decided, 1, tmp_path / "b.pdf", final=True)
    assert not list(tmp_path.glob("*.pdf"))


def test_final_list_carries_certificate_numbers(certified: Store, tmp_path: Path) -> None:
    text = _text(write_notice(certified, 1, tmp_path / "认定.pdf", final=True))
    assert _has(text, "关于公布2026年度聊城市中小企业公共服务示范平台认定名单的通知")
    assert _has(text, "聊示范平台〔2026〕001号") and _has(text, "聊示范平台〔2026〕003号")
    assert _has(text, "有效期自2026年10月12日至2029年10月11日")
    ws = load_workbook(write_notice(certified, 1, tmp_path / "认定.xlsx", final=True)).active
    assert ws is not None
    assert ws["F3"].value == "证书编号" and ws["F4"].value == "聊示范平台〔2026〕001号"


def test_certificates_one_landscape_page_each_with_qr(certified: Store, tmp_path: Path) -> None:
    target, count = write_certificates(certified, 1, tmp_path / "证书.pdf")
    reader = PdfReader(target)
    assert count == len(reader.pages) == 3
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)
    first = dossier_summaries(certified, 1)[0]
    page = "".join(reader.pages[0].extract_text().split())
    for expected in (
        "证书",
        f"运营单位：{first.operator_name}",
        first.platform_name,
        "被认定为聊城市中小企业公共服务示范平台",
        "有效期：2026年10月12日至2029年10月11日",
        "证书编号：聊示范平台〔2026〕001号",
        "聊城市工业和信息化局",
        "2026年10月12日",
    ):
        assert _has(page, expected), expected
    # The seal is stamped on paper: no placeholder is printed.
    assert "印章" not in page and "盖章" not in page
    _all_embedded(target)
    if shutil.which("pdftoppm") and shutil.which("zbarimg"):
        png = tmp_path / "page"
        subprocess.run(
            ["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(target), str(png)],
            check=True,
        )
        [image] = tmp_path.glob("page*.png")
        decoded = subprocess.run(
            ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
            capture_output=True,
            text=True,
        ).stdout
        assert decoded.startswith("SMEC1.")  # signed: tests/exports/test_certificate_qr.py


def test_certificates_share_one_drawn_blank_and_write_binary_streams(
    certified: Store, tmp_path: Path
) -> None:
    """The border, title and sentence are one form XObject used by every page; page streams are
    plain Flate (no ASCII85), as every PDF of the app, so exporting leaves the switch alone."""
    before = rl_config.useA85
    target, _ = write_certificates(certified, 1, tmp_path / "证书.pdf")
    assert rl_config.useA85 == before
    pages = PdfReader(target).pages
    forms = {tuple(ref.idnum for ref in page["/Resources"]["/XObject"].values()) for page in pages}
    assert len(forms) == 1 and len(next(iter(forms))) == 1
    for page in pages:
        assert list(page["/Contents"].get_object()["/Filter"]) == ["/FlateDecode"]
    assert _has("".join(pages[1].extract_text().split()), "证书")  # the form's text reads too


def test_only_a_finalised_round_has_certificates(decided: Store, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="只有已认定"):
        write_certificates(decided, 1, tmp_path / "证书.pdf")
    assert not (tmp_path / "证书.pdf").exists()


def test_missing_glyph_is_named_and_nothing_is_written(certified: Store, tmp_path: Path) -> None:
    first = dossier_summaries(certified, 1)[1]
    with certified.write() as session:
        session.execute(
            update(DossierVersion)
            .where(DossierVersion.dossier_id == first.dossier_id)
            .values(platform_name=f"{RARE}城服务平台")
        )
    target = tmp_path / "证书.pdf"
    with pytest.raises(UserError) as caught:
        write_certificates(certified, 1, target)
    assert RARE in caught.value.message and "U+20000" in caught.value.message
    assert "聊示范平台〔2026〕002号" in caught.value.message
    assert not target.exists() and not list(tmp_path.glob(".*part"))


def test_overlay_prints_only_the_variable_text(certified: Store, tmp_path: Path) -> None:
    layout = OverlayLayout(offset_x=1.5, offset_y=-2)
    target, _ = write_certificates(certified, 1, tmp_path / "套打.pdf", overlay=layout)
    page = PdfReader(target).pages[0].extract_text()
    assert "聊示范平台〔2026〕001号" in page and "证　书" not in page and "被认定为" not in page
    assert OverlayLayout.from_json(layout.to_json()) == layout
    calib = calibration_page(tmp_path / "校准.pdf", layout)
    assert _has(_text(calib), "偏移 X +1.5 mm，Y -2 mm")
    with pytest.raises(UserError, match="套打版式文件无法读取"):
        OverlayLayout.from_json("{not json")


def test_review_report_has_items_decisions_notes_and_evidence(
    decided: Store, tmp_path: Path
) -> None:
    row = dossier_summaries(decided, 1)[0]
    ws = load_workspace(decided, row.dossier_id)
    item = ws.items()[1]
    part = item.parts[0]
    set_decision(decided, row.dossier_id, item.article, item.item, part.id, "met", "审核员甲")
    set_note(
        decided, row.dossier_id, item.article, item.item, part.id, "营业执照核对无误", "审核员甲"
    )
    evidence = ws.evidence[0]
    link_evidence(
        decided, row.dossier_id, item.article, item.item, part.id, evidence.id, 2, "审核员甲"
    )
    target = write_review_report(decided, 1, row.uscc, tmp_path / "意见表.pdf")
    text = _text(target)
    for expected in (
        "评审意见表",
        row.platform_name,
        row.uscc,
        "形式审查",
        item.label,
        "营业执照核对无误",
        f"佐证：{evidence.rel_path} 第2页",
        "审核员甲",
        "评审人",  # the other clauses, concluded before 拟认定 (approval_helpers.review_all)
        "签字",
        "专家评分与评审决定",
        "评审决定：拟认定（理由：符合条件）",
        "认定状态：拟认定",
        "第1页，共",
    ):
        assert _has(text, expected), expected
    assert "未完成" not in text
    _all_embedded(target)


def test_review_report_of_a_certified_platform_says_so(certified: Store, tmp_path: Path) -> None:
    """The sheet shows what the record says: certified with its number, and the checklist's
    own state named as the checklist's, not a misleading 「未完成」."""
    row = dossier_summaries(certified, 1)[0]
    text = _text(write_review_report(certified, 1, row.uscc, tmp_path / "意见表.pdf"))
    assert _has(text, "认定状态：已认定（证书编号聊示范平台〔2026〕")
    assert _has(text, "有效期2026年10月12日至2029年10月11日")
    assert _has(text, "逐条审查未标记完成") and "未完成" not in text.replace("未标记完成", "")
    reader = PdfReader(tmp_path / "意见表.pdf")
    count = len(reader.pages)
    last = "".join(reader.pages[-1].extract_text().split())
    assert f"第{count}页，共{count}页" in last
