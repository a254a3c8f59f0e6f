"""Windows refresh from what changed: a change made in one open window shows in the others
without reopening them, and closing windows raises nothing."""

from __future__ import annotations

from datetime import date

from approval_helpers import review_all
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sme_review_desktop.overview.dossier_list import DossierSummary
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.publicity_dialog import PublicityDialog
from sme_review_desktop.ui.scoring.grid import ScoreGridWindow
from sme_review_desktop.ui.scoring.meeting import MeetingWindow
from sme_review_desktop.ui.workspace.dossier_window import DossierWindow


def _row(main: MainWindow, dossier_id: int) -> DossierSummary:
    model = main.list.model
    return next(
        s for s in (model.summary(r) for r in range(model.rowCount())) if s.dossier_id == dossier_id
    )


def test_every_open_window_shows_what_another_changed(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    store, main = main_window.store, main_window
    add_expert(store, 1, "王一", "秘书")
    first = main.list.model.summary(0)
    dossier = DossierWindow(store, first.dossier_id, "张评审")
    grid = ScoreGridWindow(store, 1, "秘书")
    meeting = MeetingWindow(store, 1, "组长")
    publicity = PublicityDialog(store, 1, "秘书", main)
    for w in (dossier, grid, meeting, publicity):
        qtbot.addWidget(w)
    meeting.go(next(n for n, s in enumerate(meeting.slides) if s.uscc == first.uscc))

    # The walk-through: a tick shows in the main list's progress.
    before = _row(main, first.dossier_id).decided_items
    for part in dossier.current_item.parts:  # an item counts once each of its clauses is ticked
        dossier._decide_part(part.id, "met")
    qtbot.waitUntil(lambda: _row(main, first.dossier_id).decided_items == before + 1)

    # The score grid: the meeting's slide and the main list show the new score.
    grid.experts.setCurrentText("王一")
    row = next(n for n, r in enumerate(grid.model.rows) if r.uscc == first.uscc)
    for column in range(2, grid.model.columnCount() - 1):
        assert grid.model.setData(grid.model.index(row, column), "10", Qt.ItemDataRole.EditRole)
    assert meeting.slide.scores.scores.get("王一") is not None
    qtbot.waitUntil(lambda: _row(main, first.dossier_id).score is not None)

    # The meeting: a decision shows in the main list and in the publicity dialog.
    review_all(store, 1, first.uscc)  # the rest of the walk-through, so 拟认定 may follow
    meeting.reason.setText("评审组一致同意")
    meeting.record("approved")
    qtbot.waitUntil(lambda: _row(main, first.dossier_id).decision == "approved")
    assert publicity.summary.text().startswith("拟认定 1 家")

    # The publicity dialog: starting the 公示 freezes the decision the meeting shows.
    publicity.start.setDate(date(2026, 9, 28))
    publicity.start_publicity()
    assert "公示中" in publicity.summary.text()
    assert meeting.slide.scores.decision == "approved"
    assert dossier.ws.dossier_id == first.dossier_id  # reloaded, still the same dossier

    # Closing everything leaves no refresh hook behind to fail on a deleted window.
    for w in (dossier, grid, meeting, publicity):
        w.close()
    dossier.deleteLater()
    qtbot.wait(50)
    main.reload_rounds()
    qtbot.waitUntil(lambda: main.loading.isHidden())
