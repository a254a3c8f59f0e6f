"""Offline score sheets from the scoring window: export for an expert, read back, refuse tampering."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.scoring.sheets import FIRST_ROW, SHEET
from sme_review_desktop.scoring.summary import score_summary
from sme_review_desktop.store.database import Store
from sme_review_desktop.ui.scoring.grid import ScoreGridWindow


def test_sheet_round_trip_through_the_window(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    add_expert(demo_store, 1, "王一", "秘书")
    window = ScoreGridWindow(demo_store, 1, "秘书")
    qtbot.addWidget(window)
    window.experts.setCurrentText("王一")
    sheet = tmp_path / "王一.xlsx"
    window.write_sheet(sheet)
    assert "已导出离线评分表" in window.message.text()

    wb = load_workbook(sheet)
    wb[SHEET].cell(FIRST_ROW, 4).value = 18
    wb[SHEET].cell(FIRST_ROW, 5).value = 22
    wb.save(sheet)
    [line] = window.import_sheets([sheet])
    assert "已导入王一的1份评分" in line
    assert window.model.data(window.model.index(0, 2)) in ("18", "18.00")
    assert any(s.scores.get("王一") == 40 for s in score_summary(demo_store, 1))

    wb = load_workbook(sheet)
    wb[SHEET]["C7"] = "改名的平台"
    wb.save(sheet)
    [line] = window.import_sheets([sheet])
    assert "退回" in line and "单元格C7被改动" in window.message.text()
