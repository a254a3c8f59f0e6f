"""An exception (例外认定) and the findings are flagged in every document the decision shows in:
the 会议纪要, the 评审意见表 and the 统计报告 (issue 18)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from sme_review_desktop.exports.minutes import write_minutes
from sme_review_desktop.exports.review_report import write_review_report
from sme_review_desktop.exports.stats_report import summary
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.overview.round_stats import round_stats
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.store.database import Store

REASON = "专家组认为整改到位可以认定"


def _text(path: Path) -> str:
    return "".join((p.extract_text() or "") for p in PdfReader(path).pages).replace("\n", "")


def test_an_exception_is_flagged_in_minutes_report_and_statistics(
    demo_store: Store, tmp_path: Path
) -> None:
    rows = dossier_summaries(demo_store, 1)
    decide(demo_store, 1, rows[2].uscc, "approved", "评审组意见", "组长", override=REASON)
    decide(demo_store, 1, rows[3].uscc, "rejected", "不符合条件", "组长")

    ws = load_workbook(write_minutes(demo_store, 1, tmp_path / "纪要.xlsx")).active
    assert ws is not None
    cells = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
    assert "拟认定（例外认定）" in cells and "不予认定" in cells
    assert any(REASON in c and "例外认定理由" in c for c in cells)
    minutes_pdf = _text(write_minutes(demo_store, 1, tmp_path / "纪要.pdf"))
    assert "例外认定" in minutes_pdf

    report = _text(write_review_report(demo_store, 1, rows[2].uscc, tmp_path / "意见表.pdf"))
    assert "例外认定" in report and REASON in report
    plain = _text(write_review_report(demo_store, 1, rows[3].uscc, tmp_path / "意见表2.pdf"))
    assert "例外认定" not in plain

    stats = round_stats(demo_store, 1)
    assert stats.funnel.exceptions == 1
    assert "（其中例外认定1家）" in summary(stats)


def test_the_review_report_names_the_findings(demo_store: Store, tmp_path: Path) -> None:
    row = dossier_summaries(demo_store, 2)[7]  # 咸阳's code in the 西安 round
    text = _text(write_review_report(demo_store, 2, row.uscc, tmp_path / "意见表.pdf"))
    assert "注册地不在本市" in text and "610402" in text
