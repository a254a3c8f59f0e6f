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


def test_an_older_sheet_replaces_newer_scores_only_when_confirmed(
    qtbot: QtBot, demo_store: Store, tmp_path: Path
) -> None:
    add_expert(demo_store, 1, "王一", "秘书")
    window = ScoreGridWindow(demo_store, 1, "秘书")
    qtbot.addWidget(window)
    window.experts.setCurrentText("王一")
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    for path, points in ((old, 10), (new, 19)):
        window.write_sheet(path)
        wb = load_workbook(path)
        wb[SHEET].cell(FIRST_ROW, 4).value = points
        wb.save(path)
    [line] = window.import_sheets([new])
    assert "秘书为专家“王一”导入" in line
    asked: list[str] = []
    answers = iter([False, True])

    def confirm(why: str) -> bool:
        asked.append(why)
        return next(answers)

    window.confirm_replace = confirm  # type: ignore[method-assign]
    [line] = window.import_sheets([old])
    assert "退回" in line and "早于已导入" in asked[0]
    assert window.model.data(window.model.index(0, 2)) in ("19", "19.00")
    [line] = window.import_sheets([old])
    assert "已导入王一的1份评分" in line and len(asked) == 2
    assert window.model.data(window.model.index(0, 2)) in ("10", "10.00")
