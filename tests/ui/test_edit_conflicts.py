"""Two reviewers on one shared database, one of them in the app: a change refused because the
other reviewer changed the same thing first is said plainly, and the window shows what is
stored now; the refused change does not linger on the undo stack."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sme_review_desktop.review import walkthrough as review
from sme_review_desktop.scoring.entry import enter_scores, expert_grid
from sme_review_desktop.scoring.experts import add_expert
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.ui import messages
from sme_review_desktop.ui.scoring.grid import ScoreGridWindow
from sme_review_desktop.ui.workspace.dossier_window import DossierWindow


@pytest.fixture
def other_pc(demo_store: Store) -> Iterator[Store]:
    url = None if demo_store.is_sqlite else demo_store.engine.url.render_as_string(False)
    other = open_store(demo_store.data_dir, url)
    yield other
    other.close()


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, message: shown.append(message))
    return shown


@pytest.fixture
def window(qtbot: QtBot, demo_store: Store) -> DossierWindow:
    w = DossierWindow(demo_store, 1, "甲评审")
    qtbot.addWidget(w)
    return w


def test_a_tick_on_a_clause_changed_elsewhere_is_refused_and_reloaded(
    window: DossierWindow, other_pc: Store, said: list[str]
) -> None:
    clause = window.current_clause()
    review.set_decision(other_pc, 1, *clause, "unmet", "乙评审")
    window.decide("met")
    assert len(said) == 1
    assert said[0].startswith("该单位的审核记录已被其他评审人修改（乙评审于")
    assert window.ws.check(*clause).decision == "unmet"  # the window shows what is stored
    assert window.undo_stack.count() == 0
    window.decide("met")  # now based on what the reviewer sees: accepted
    assert review.load_workspace(other_pc, 1).check(*clause).decision == "met"


def test_undo_after_another_reviewer_changed_the_clause_is_refused(
    window: DossierWindow, other_pc: Store, said: list[str]
) -> None:
    clause = window.current_clause()
    window.decide("met")
    assert window.undo_stack.count() == 1 and not said
    revision = review.load_workspace(other_pc, 1).check(*clause).revision
    review.set_decision(other_pc, 1, *clause, "fix", "乙评审", expected_revision=revision)
    window.undo_stack.undo()  # what the 撤销 action and Ctrl+Z do
    assert said and "请刷新后再改" in said[0]
    assert review.load_workspace(other_pc, 1).check(*clause).decision == "fix"
    assert window.ws.check(*clause).decision == "fix"
    assert window.undo_stack.count() == 0


def test_a_refused_note_is_shown_so_it_can_be_typed_again(
    window: DossierWindow, other_pc: Store, said: list[str]
) -> None:
    item = window.current_item
    review.set_note(other_pc, 1, item.article, item.item, "", "乙的意见", "乙评审")
    window._note("甲写了很长的意见")
    assert said and "乙评审" in said[0] and said[0].endswith("甲写了很长的意见")
    assert window.ws.check(item.article, item.item, "").note == "乙的意见"


def test_a_score_changed_elsewhere_is_refused_in_the_grid(
    qtbot: QtBot, demo_store: Store, other_pc: Store
) -> None:
    add_expert(demo_store, 1, "王专家", "秘书")
    grid = ScoreGridWindow(demo_store, 1, "秘书甲")
    qtbot.addWidget(grid)
    grid.experts.setCurrentText("王专家")
    model = grid.model
    uscc = model.rows[0].uscc
    enter_scores(other_pc, 1, "王专家", uscc, {"基本条件": Decimal(17)}, "秘书乙")

    cell = model.index(0, 2)
    assert not model.setData(cell, "19", Qt.ItemDataRole.EditRole)
    assert "专家“王专家”对该单位的评分已被其他评审人修改（秘书乙于" in grid.message.text()
    qtbot.waitUntil(lambda: model.data(cell) in ("17", "17.00"))  # reloaded from the store
    assert model.setData(cell, "19", Qt.ItemDataRole.EditRole)
    assert expert_grid(other_pc, 1, "王专家")[1][0].points["基本条件"] == Decimal(19)
