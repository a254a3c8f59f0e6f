"""A review meeting driven through the windows: five experts, one conflict, one outlier."""

from __future__ import annotations

from decimal import Decimal

from approval_helpers import review_all
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.scoring.entry import enter_scores
from sme_review_desktop.scoring.experts import add_expert, declare_conflict
from sme_review_desktop.scoring.summary import score_summary
from sme_review_desktop.store.database import Store
from sme_review_desktop.ui.scoring.grid import ScoreGridWindow
from sme_review_desktop.ui.scoring.meeting import MeetingWindow

EXPERTS = ("王一", "李二", "张三", "赵四", "钱五")
CRITERIA = ("基本条件", "服务能力", "服务业绩", "示范带动", "特色创新")


def _points(total: int) -> dict[str, Decimal | None]:
    # Spread a total over the default scheme (20/25/25/15/15) without exceeding any maximum.
    share = [Decimal(total) * m / 100 for m in (20, 25, 25, 15, 15)]
    return {
        name: value.quantize(Decimal("0.1")) for name, value in zip(CRITERIA, share, strict=True)
    }


def test_a_meeting_from_scores_to_decisions(qtbot: QtBot, demo_store: Store) -> None:
    round_id = 1  # 聊城: decisions include 纳入培育库
    rows = dossier_summaries(demo_store, round_id)
    first, second = rows[0], rows[1]
    for name in EXPERTS:
        add_expert(demo_store, round_id, name, "秘书")
    declare_conflict(demo_store, round_id, "钱五", first.uscc, "曾任该单位顾问", "秘书")

    # 王一 scores in the app's grid; out-of-range input is refused with a message.
    grid = ScoreGridWindow(demo_store, round_id, "秘书")
    qtbot.addWidget(grid)
    grid.experts.setCurrentText("王一")
    model = grid.model
    row = next(r for r, g in enumerate(model.rows) if g.uscc == first.uscc)
    assert not model.setData(model.index(row, 2), "26")  # 基本条件 max 20
    assert "超出范围" in grid.message.text()
    for col, value in enumerate(_points(90).values(), start=2):
        assert model.setData(model.index(row, col), str(value))
    assert model.data(model.index(row, 7)) == "90"

    # The conflicted expert's grid shows 回避 and refuses entry.
    grid.experts.setCurrentText("钱五")
    row = next(r for r, g in enumerate(model.rows) if g.uscc == first.uscc)
    assert model.data(model.index(row, 2)) == "回避"
    assert not model.flags(model.index(row, 2)) & Qt.ItemFlag.ItemIsEditable

    for name, total in (("李二", 88), ("张三", 86), ("赵四", 60)):  # 赵四 is the outlier
        enter_scores(demo_store, round_id, name, first.uscc, _points(total), "秘书")
    for name, total in zip(EXPERTS, (70, 72, 74, 76, 78), strict=True):
        enter_scores(demo_store, round_id, name, second.uscc, _points(total), "秘书")

    review_all(demo_store, round_id, first.uscc)  # 拟认定 follows from the walk-through
    meeting = MeetingWindow(demo_store, round_id, "组长")
    qtbot.addWidget(meeting)
    meeting.show()
    with qtbot.waitActive(meeting):
        meeting.activateWindow()
    meeting.go(next(i for i, s in enumerate(meeting.slides) if s.uscc == first.uscc))
    text = meeting.body.text()
    assert "回避" in text and "偏离" in text
    assert meeting.slide.scores.aggregate == Decimal(
        "81.00"
    )  # four scores: plain mean of 90, 88, 86, 60
    assert meeting.slide.scores.outliers == {"赵四"}

    meeting.reason.setText("服务业绩突出，材料齐全")
    qtbot.keyClick(meeting, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(meeting, Qt.Key.Key_Right)
    assert meeting.slide.uscc != first.uscc
    meeting.go(next(i for i, s in enumerate(meeting.slides) if s.uscc == second.uscc))
    assert meeting.slide.scores.aggregate == Decimal("74.00")  # five: drop 70 and 78
    meeting.reason.setText("")
    meeting.record("pool")  # no reason: refused
    assert meeting.slide.scores.decision is None
    meeting.reason.setText("基础较好，纳入培育库")
    qtbot.keyClick(meeting, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)

    summary = {s.uscc: s for s in score_summary(demo_store, round_id)}
    assert summary[first.uscc].decision == "approved"
    assert summary[first.uscc].reason == "服务业绩突出，材料齐全"
    assert summary[second.uscc].decision == "pool"
    assert summary[first.uscc].rank == 1 and summary[second.uscc].rank == 2
    assert meeting.timer_label.text().startswith("用时 ")


def test_on_a_1024x768_projector_the_decision_buttons_stay_on_screen(
    qtbot: QtBot, demo_store: Store
) -> None:
    meeting = MeetingWindow(demo_store, 1, "组长")
    qtbot.addWidget(meeting)
    meeting.resize(1024, 768)
    meeting.show()
    qtbot.waitExposed(meeting)
    assert meeting.height() <= 768
    for button in meeting.buttons.values():
        bottom = button.mapTo(meeting, button.rect().bottomLeft()).y()
        assert 0 < bottom <= meeting.height()
