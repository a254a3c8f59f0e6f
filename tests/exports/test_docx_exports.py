"""Word versions of the notice, the minutes and the review report: read back with python-docx
(content, GB/T 9704 page setup, grid, fonts), and converted by LibreOffice headless where it is
installed, the PDF it makes measured with pdfplumber; the 审计校验码 on the PDFs too."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from approval_helpers import approve
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from sme_review_desktop.cli import main
from sme_review_desktop.exports.docx_export import (
    write_minutes_docx,
    write_notice_docx,
    write_report_docx,
)
from sme_review_desktop.exports.minutes import write_minutes
from sme_review_desktop.exports.notice import listing, write_notice
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import finalize, start_publicity
from sme_review_desktop.rounds import update_settings
from sme_review_desktop.store.audit import audit_check_code
from sme_review_desktop.store.database import Store

MM = 72 / 25.4
EMU_PER_MM = 36000


@pytest.fixture
def publicised(demo_store: Store) -> Store:
    for row in dossier_summaries(demo_store, 1)[:3]:
        approve(demo_store, 1, row.uscc, "符合条件", "组长")
    update_settings(
        demo_store,
        1,
        {
            "document_number": "聊工信字〔2026〕15号",
            "contact_person": "王某",
            "contact_phone": "0635-8888888",
            "supervision_phone": "0635-12345",
        },
        "秘书",
    )
    start_publicity(demo_store, 1, date(2026, 9, 28), "秘书")
    return demo_store


def _text(doc: object) -> str:
    """Every paragraph's and table cell's text, whitespace removed."""
    parts = [p.text for p in doc.paragraphs]  # type: ignore[attr-defined]
    for table in doc.tables:  # type: ignore[attr-defined]
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "".join("".join(parts).split())


def _mm(emu: int | None) -> float:
    assert emu is not None
    return emu / EMU_PER_MM


def test_notice_docx_has_the_content_and_the_gbt9704_page(
    publicised: Store, tmp_path: Path
) -> None:
    target = write_notice_docx(publicised, 1, tmp_path / "公示.docx")
    doc = Document(str(target))
    section = doc.sections[0]
    assert round(_mm(section.page_width)) == 210 and round(_mm(section.page_height)) == 297
    margins = [section.top_margin, section.left_margin, section.right_margin, section.bottom_margin]
    assert [round(_mm(m), 1) for m in margins] == [37, 28, 26, 35]  # 156 × 225 mm type area
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid is not None and grid.get(qn("w:linePitch")) == "579"  # 22 lines in 225 mm
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16  # type: ignore[union-attr]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    spacing = normal.element.rPr.find(qn("w:spacing"))
    pitch = 16 + int(spacing.get(qn("w:val"))) / 20  # 3号 tightened: 28 fit 156 mm, 29 do not
    assert 28 * pitch <= 156 * MM < 29 * pitch
    title = next(p for p in doc.paragraphs if "公示" in p.text and p.runs[0].font.size)
    assert title.runs[0].font.size.pt == 22  # type: ignore[union-attr]
    assert title.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.alignment == 1  # centred
    doc_listing = listing(publicised, 1)
    text = _text(doc)
    for expected in (
        doc_listing.title,
        "聊工信字〔2026〕15号",
        *doc_listing.paragraphs,
        "联系人：王某",
        "监督电话：0635-12345",
        "聊城市工业和信息化局",
        "2026年9月28日",
        f"附件：{doc_listing.attachment}",
        *(cell for row in doc_listing.rows for cell in row),
        f"审计校验码：{audit_check_code(publicised)}",
    ):
        assert "".join(expected.split()) in text, expected
    assert "字体" in doc.core_properties.keywords and doc.core_properties.title
    # the page numbers alternate: odd on the right, even on the left
    assert doc.settings.odd_and_even_pages_header_footer
    assert section.footer.paragraphs[0].alignment == 2
    assert section.even_page_footer.paragraphs[0].alignment == 0


def test_minutes_and_report_docx_say_what_their_pdfs_say(publicised: Store, tmp_path: Path) -> None:
    minutes = Document(str(write_minutes_docx(publicised, 1, tmp_path / "纪要.docx")))
    text = _text(minutes)
    for expected in (
        "会议纪要",
        "一、回避情况",
        "二、评分与决定",
        "专家组组长（签字）",
        "审计校验码：",
    ):
        assert expected in text, expected
    row = dossier_summaries(publicised, 1)[0]
    report = Document(str(write_report_docx(publicised, 1, row.uscc, tmp_path / "意见表.docx")))
    text = _text(report)
    for expected in (
        "评审意见表",
        row.platform_name,
        row.uscc,
        "形式审查结论",
        "逐条审查未标记完成",
        "评审决定：拟认定（理由：符合条件）",
        "认定状态：拟认定，公示中",
        "评审人（签字）",
    ):
        assert expected in text, expected


def test_the_cli_writes_docx_by_the_suffix(publicised: Store, tmp_path: Path) -> None:
    base = ["--data-dir", str(publicised.data_dir)]
    if not publicised.is_sqlite:
        base += ["--database-url", publicised.engine.url.render_as_string(hide_password=False)]
    uscc = dossier_summaries(publicised, 1)[0].uscc
    publicised.close()
    for argv, name in (
        (["notice", "--round", "1"], "公示.docx"),
        (["minutes", "--round", "1", "--date", "2026-09-20"], "纪要.DOCX"),
    ):
        assert main([*base, "export", *argv, "-o", str(tmp_path / name)]) == 0
        assert Document(str(tmp_path / name)).paragraphs
    report = tmp_path / "意见表.docx"
    assert main([*base, "export", "report", "--round", "1", "--uscc", uscc, "-o", str(report)]) == 0
    assert uscc in _text(Document(str(report)))


def test_the_pdfs_print_the_audit_check_code(publicised: Store, tmp_path: Path) -> None:
    code = audit_check_code(publicised)
    assert len(code) == 9 and code[4] == "-"
    for path in (
        write_notice(publicised, 1, tmp_path / "公示.pdf"),
        write_minutes(publicised, 1, tmp_path / "纪要.pdf"),
    ):
        last = PdfReader(path).pages[-1].extract_text()
        assert f"审计校验码：{code}" in "".join(last.split()), path
    finalize(publicised, 1, date(2026, 10, 12), "局长")
    final = write_notice(publicised, 1, tmp_path / "认定.pdf", final=True)
    # the check code is of the log as it stood at printing: finalising moved it on
    assert "审计校验码：" + audit_check_code(publicised) in "".join(
        PdfReader(final).pages[-1].extract_text().split()
    )
    assert audit_check_code(publicised) != code


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_libreoffice_lays_the_notice_on_the_gbt9704_type_area(
    publicised: Store, tmp_path: Path
) -> None:
    """LibreOffice's PDF of the .docx, measured on the text: first line's top at 37 mm, text
    from 28 mm, full justified lines ending at 184 mm (±2 mm: LibreOffice substitutes faces
    this PC lacks), 28 characters to a full body line, at most 22 body lines a page."""
    source = write_notice_docx(publicised, 1, tmp_path / "公示.docx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    pdf_path = tmp_path / "公示.pdf"
    tol = 2 * MM
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (595, 842)
        chars = [c for c in page.chars if not c["text"].isspace() and c["top"] < 262 * MM]
        assert abs(min(c["top"] for c in chars) - 37 * MM) <= tol
        assert abs(min(c["x0"] for c in chars) - 28 * MM) <= tol
        assert max(c["x1"] for c in chars) <= 184 * MM + tol
        body = [c for c in chars if round(c["size"]) == 16]
        lines: dict[int, list[dict]] = {}
        for c in body:
            lines.setdefault(round(c["top"]), []).append(c)
        assert len(lines) <= 22
        full = [ln for ln in lines.values() if abs(max(c["x1"] for c in ln) - 184 * MM) <= tol]
        # lines of Chinese characters only (digits are narrower), starting at the left edge
        plain = [
            ln
            for ln in full
            if min(c["x0"] for c in ln) < 30 * MM and all(c["width"] > 15 for c in ln)
        ]
        assert plain and all(len(ln) == 28 for ln in plain), [
            "".join(c["text"] for c in ln) for ln in plain
        ]
        numbers = "".join(c["text"] for c in page.chars if c["top"] > 262 * MM)
        assert numbers.replace(" ", "") == "—1—"
