"""Minutes of the review meeting: read the PDF and the xlsx back."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from approval_helpers import approve
from openpyxl import load_workbook
from pypdf import PdfReader

from sme_review_desktop.demo import load_demo
from sme_review_desktop.errors import UserError
from sme_review_desktop.exports.minutes import write_minutes
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.store.database import Store, open_store

CRITERIA = ("基本条件", "服务能力", "服务业绩", "示范带动", "特色创新")


@pytest.fixture
def meeting(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "data")
    load_demo(store)
    rows = dossier_summaries(store, 1)
    for name in ("王一", "李二", "张三"):
        add_expert(store, 1, name, "秘书")
    declare_conflict(store, 1, "张三", rows[0].uscc, "曾任该单位顾问", "秘书")
    for name in ("王一", "李二"):
        enter_scores(store, 1, name, rows[0].uscc, dict.fromkeys(CRITERIA, Decimal(15)), "秘书")
    approve(store, 1, rows[0].uscc, "服务业绩突出", "组长")
    return store


def test_minutes_pdf_lists_attendees_conflicts_scores_and_signatures(
    meeting: Store, tmp_path: Path
) -> None:
    target = write_minutes(meeting, 1, tmp_path / "纪要.pdf", meeting_date=date(2026, 9, 20))
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    for expected in (
        "会议纪要",
        "2026年9月20日",
        "王一、李二、张三",
        "曾任该单位顾问",
        "张三：回避",
        "75.00",
        "拟认定",
        "服务业绩突出",
        "签字",
    ):
        assert expected in text.replace("\n", ""), expected
    if shutil.which("pdffonts"):
        out = subprocess.run(
            ["pdffonts", str(target)], capture_output=True, text=True, check=True
        ).stdout
        fonts = out.splitlines()[2:]
        assert (
            fonts
            and all(" yes " in f.split("TrueType")[-1] for f in fonts)
            and "Helvetica" not in out
        )


def test_minutes_xlsx_has_the_same_rows(meeting: Store, tmp_path: Path) -> None:
    ws = load_workbook(write_minutes(meeting, 1, tmp_path / "纪要.xlsx"))["会议纪要"]
    header = [c.value for c in ws[5]]
    assert header == ["序号", "平台名称", "专家评分", "综合得分", "排名", "决定", "理由"]
    first = [c.value for c in ws[6]]
    assert first[3] == "75.00" and first[5] == "拟认定" and "张三：回避" in first[2]


def test_minutes_refuse_other_formats_and_leave_nothing(meeting: Store, tmp_path: Path) -> None:
    with pytest.raises(UserError):
        write_minutes(meeting, 1, tmp_path / "纪要.docx")
    assert list(tmp_path.glob("纪要*")) == []
