"""Every PDF the app writes, measured: the text layer reads back (rare characters outside the
BMP included), every font is embedded, and the GB/T 9704 documents (公示名单, 认定名单, 会议纪要)
keep the type area, the 28-character line and the Chinese line-breaking rules."""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from approval_helpers import approve
from pypdf import PdfReader
from sqlalchemy import update

from sme_review_desktop.exports.certificates import write_certificates
from sme_review_desktop.exports.cjk_break import CLOSING, OPENING
from sme_review_desktop.exports.minutes import write_minutes
from sme_review_desktop.exports.notice import write_notice
from sme_review_desktop.exports.review_report import write_review_report
from sme_review_desktop.exports.stats_report import write_stats_report
from sme_review_desktop.models import DossierVersion
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.publicity.service import finalize, start_publicity
from sme_review_desktop.rounds import update_settings
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.store.database import Store

MM = 72 / 25.4
# 𠮷 (U+20BB7, CJK Ext. B) is in the bundled LXGW WenKai, not in UMing or SimSun: it proves
# the fallback face and the UTF-16 ToUnicode map; 𠀾 (U+2003E) is in both; 喆 and 堃 are common.
PLATFORM = "𠮷祥𠀾科技服务平台"
OPERATOR = "聊城喆堃信息技术有限公司"
RARE = ("𠮷", "𠀾", "喆", "堃")
CRITERIA = ("基本条件", "服务能力", "服务业绩", "示范带动", "特色创新")


@pytest.fixture
def documents(demo_store: Store, tmp_path: Path) -> dict[str, Path]:
    """Every PDF the app writes, from one round whose first platform has rare characters."""
    store = demo_store
    rows = dossier_summaries(store, 1)
    with store.write() as session:
        session.execute(
            update(DossierVersion)
            .where(DossierVersion.dossier_id == rows[0].dossier_id)
            .values(platform_name=PLATFORM, operator_name=OPERATOR)
        )
    for name in ("王一", "李二", "张三"):
        add_expert(store, 1, name, "秘书")
    update_settings(store, 1, {"expected_experts": "2"}, "秘书")  # 张三 scores none of them
    declare_conflict(store, 1, "张三", rows[1].uscc, "曾任该单位顾问", "秘书")
    for row in rows[:4]:
        for name in ("王一", "李二"):
            enter_scores(store, 1, name, row.uscc, dict.fromkeys(CRITERIA, Decimal(15)), "秘书")
        approve(store, 1, row.uscc, "符合认定条件，服务业绩突出", "组长")
    update_settings(
        store,
        1,
        {
            "document_number": "聊工信字〔2026〕15号",
            "contact_person": "王某",
            "contact_phone": "0635-8888888",
            "supervision_phone": "0635-8889999",
            "contact_address": "聊城市东昌府区东昌路1号",
        },
        "秘书",
    )
    out = {
        "minutes": write_minutes(store, 1, tmp_path / "纪要.pdf", meeting_date=date(2026, 9, 20))
    }
    out["report"] = write_review_report(store, 1, rows[0].uscc, tmp_path / "意见表.pdf")
    start_publicity(store, 1, date(2026, 9, 28), "秘书")
    out["notice"] = write_notice(store, 1, tmp_path / "公示.pdf")
    finalize(store, 1, date(2026, 10, 12), "局长")
    out["final"] = write_notice(store, 1, tmp_path / "认定.pdf", final=True)
    out["certificates"] = write_certificates(store, 1, tmp_path / "证书.pdf")[0]
    out["stats"] = write_stats_report(store, 1, tmp_path / "统计.pdf", as_of=date(2026, 12, 1))
    return out


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_every_pdf_reads_back_with_rare_characters(documents: dict[str, Path]) -> None:
    for kind, path in documents.items():
        poppler = _squeeze(
            subprocess.run(
                ["pdftotext", "-enc", "UTF-8", str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        pypdf = _squeeze("".join(page.extract_text() for page in PdfReader(path).pages))
        for text in (poppler, pypdf):
            printed = RARE if kind in ("notice", "final", "certificates", "report") else RARE[:2]
            for ch in printed:  # the minutes and the statistics name platforms, not operators
                assert ch in text, (kind, ch)
            assert "₻" not in text, kind  # what reportlab's odd-length hex turned 𠮷 into
        if kind in ("notice", "final", "certificates"):
            assert PLATFORM in poppler and PLATFORM in pypdf, kind


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_every_pdf_embeds_every_font(documents: dict[str, Path]) -> None:
    for kind, path in documents.items():
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
        rows = out.stdout.splitlines()[2:]
        assert rows, kind
        for row in rows:
            assert " yes " in row.split("TrueType")[-1], (kind, row)


def _segments(path: Path) -> list[tuple[int, float, float, str, list[dict]]]:
    """Each page's text lines, cut at table rules: (page, top, size, text, chars)."""
    out = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            verticals = [
                (line["x0"], line["top"], line["bottom"])
                for line in page.lines
                if abs(line["x0"] - line["x1"]) < 0.1
            ]
            groups: dict[tuple[float, int], list[dict]] = defaultdict(list)
            for ch in page.chars:
                if ch["text"].isspace():
                    continue
                cell = sum(
                    1
                    for x, top, bottom in verticals
                    if x < ch["x0"] and top - 1 <= ch["top"] <= bottom + 1
                )
                groups[(round(ch["top"], 1), cell)].append(ch)
            for (top, _cell), chars in sorted(groups.items()):
                chars.sort(key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                out.append((n, top, round(chars[0]["size"], 1), text, chars))
    return out


@pytest.mark.parametrize("kind", ["notice", "final", "minutes"])
def test_gbt9704_type_area_lines_and_breaking(documents: dict[str, Path], kind: str) -> None:
    path = documents[kind]
    left, right, top, bottom = 28 * MM, (28 + 156) * MM, 37 * MM, (37 + 225) * MM
    tol = 0.5 * MM
    segments = _segments(path)
    body = [s for s in segments if s[4][0]["top"] < bottom]
    with pdfplumber.open(path) as pdf:
        assert all((round(p.width), round(p.height)) == (595, 842) for p in pdf.pages)
        first_page_chars = [c for c in pdf.pages[0].chars if not c["text"].isspace()]
    # The type area, measured on the text: the first line tops at 37 mm, text starts at 28 mm.
    assert abs(min(c["top"] for c in first_page_chars) - top) <= tol
    assert abs(min(c["x0"] for s in body for c in s[4]) - left) <= tol
    for page, _top, _size, text, chars in body:
        assert chars[0]["x0"] >= left - tol and chars[-1]["x1"] <= right + tol, (page, text)
        assert chars[0]["top"] >= top - tol and chars[0]["bottom"] <= bottom + tol, (page, text)
    # Page numbers 「— n —」 under the type area, 4号.
    numbers = [s for s in segments if s[4][0]["top"] >= bottom]
    assert [s[3] for s in numbers] == [f"—{n}—" for n in range(1, len(numbers) + 1)]
    assert all(s[2] == 14 for s in numbers)
    # 3号 body lines: at most 22 to a page; a full line is justified from edge to edge, and a
    # full line of Chinese characters holds 28 of them.
    lines_16 = [s for s in body if s[2] == 16]
    per_page: dict[int, int] = defaultdict(int)
    for s in lines_16:
        per_page[s[0]] += 1
    assert max(per_page.values()) <= 22
    full = [s for s in lines_16 if abs(s[4][-1]["x1"] - right) <= tol]
    assert full, kind
    plain = [
        s
        for s in full
        if abs(s[4][0]["x0"] - left) <= tol and all(abs(c["width"] - 16) < 0.5 for c in s[4])
    ]
    if kind != "minutes":
        assert plain and all(len(s[3]) == 28 for s in plain), [s[3] for s in plain]
    # Chinese line breaking: no line (or table-cell line) opens with closing punctuation or
    # closes with opening punctuation.
    for page, _top, _size, text, _chars in segments:
        assert text[0] not in CLOSING, (page, text)
        assert text[-1] not in OPENING, (page, text)
    # Units are never split across lines, and the table's headers are one line each.
    texts = [s[3] for s in segments]
    whole = "".join(texts)
    for unit in (
        "2026年10月12日",
        "2029年10月11日",
        "〔2026〕15号",
        "〔2026〕001号",
        "0635-8888888",
        "2026年9月28日",
        "75.00",
    ):
        if unit in whole:
            assert any(unit in t for t in texts), (kind, unit)
    if kind != "minutes":
        assert "序号" in texts and "所在县（市、区）" in texts
    # The faces used are named in the document's properties.
    info = PdfReader(path).metadata
    assert info is not None and "正文" in str(info.get("/Keywords")), info


def test_signature_is_centred_over_the_date_four_characters_in(
    documents: dict[str, Path],
) -> None:
    """GB/T 9704 7.3.5.2: 成文日期右空四字, 发文机关署名 centred over it."""
    right = (28 + 156) * 72 / 25.4
    pitch = 156 * MM / 28
    segments = _segments(documents["notice"])
    [date_line] = [s for s in segments if s[3] == "2026年9月28日"]
    [issuer] = [s for s in segments if s[3] == "聊城市工业和信息化局"]
    assert abs(date_line[4][-1]["x1"] - (right - 4 * pitch)) <= 0.5 * MM
    centre = (date_line[4][0]["x0"] + date_line[4][-1]["x1"]) / 2
    assert abs((issuer[4][0]["x0"] + issuer[4][-1]["x1"]) / 2 - centre) <= 0.5 * MM
    assert date_line[1] > issuer[1]  # the date under the issuer


def test_notice_prints_the_contacts_as_notices_do(documents: dict[str, Path]) -> None:
    texts = [s[3] for s in _segments(documents["notice"])]
    assert "联系人：王某　　咨询电话：0635-8888888" in "".join(texts) or any(
        t.startswith("联系人：王某") and "咨询电话：0635-8888888" in t for t in texts
    )
    assert "监督电话：0635-8889999" in texts
    assert "地址：聊城市东昌府区东昌路1号" in texts
