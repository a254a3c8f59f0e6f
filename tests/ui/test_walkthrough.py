"""The walk-through driven by keyboard, as a reviewer does it, checked against the store."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sme_review_desktop.models import AuditEntry, ConditionCheck, Dossier, EvidenceLink
from sme_review_desktop.review.walkthrough import load_workspace
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.workspace.dossier_window import DossierWindow


def _open(qtbot: QtBot, main_window: MainWindow, name: str) -> DossierWindow:
    main_window.list.search.setText(name)
    index = main_window.list.proxy.index(0, 0)
    main_window.list.table.setCurrentIndex(index)
    qtbot.keyClick(main_window.list.table, Qt.Key.Key_Return)
    window = main_window.dossier_windows[
        main_window.list.model.summary(main_window.list.proxy.mapToSource(index).row()).dossier_id
    ]
    assert isinstance(window, DossierWindow)
    qtbot.addWidget(window)
    # Shortcuts fire in the active window only, as on a desktop.
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def test_full_walkthrough_by_keyboard(qtbot: QtBot, main_window: MainWindow) -> None:
    window = _open(qtbot, main_window, "鲁西")
    store = main_window.store
    assert window.item_index == 0 and window.clause_index == 0

    # Link the first evidence file's page 1 to the first clause with L.
    window.evidence.select_first()
    qtbot.keyClick(window, Qt.Key.Key_L)
    # Tick every clause of every item: 1 (符合) then ↓ to the next clause, across items.
    total_parts = sum(len(i.parts) for i in window.items)
    for _ in range(total_parts):
        qtbot.keyClick(window, Qt.Key.Key_1)
        qtbot.keyClick(window, Qt.Key.Key_Down)
    ws = load_workspace(store, window.dossier_id)
    assert ws.progress() == (len(ws.items()), len(ws.items()))

    # Undo the last tick: that item is undecided again, and the store says so.
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    last = window.items[-1]
    ws = load_workspace(store, window.dossier_id)
    assert ws.check(last.article, last.item, last.parts[-1].id).decision is None
    assert ws.undecided() == [last.label]

    # Completion is refused while an item is open…
    window.mark_complete = window.mark_complete  # the button and Ctrl+Return share one slot
    from sme_review_desktop.errors import UserError
    from sme_review_desktop.review import walkthrough as review

    try:
        review.mark_complete(store, window.dossier_id, "张评审")
    except UserError as exc:
        assert "未作出审核结论" in exc.message
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("completion must be refused")

    # …and accepted after redo.
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    review.mark_complete(store, window.dossier_id, "张评审")

    with store.read() as s:
        dossier = s.get(Dossier, window.dossier_id)
        assert dossier is not None and dossier.review_complete_by == "张评审"
        checks = s.scalars(
            select(ConditionCheck).where(ConditionCheck.dossier_id == window.dossier_id)
        ).all()
        decided = [c for c in checks if c.part]
        assert len(decided) == total_parts
        assert all(c.decision == "met" and c.decided_by == "张评审" for c in decided)
        first = window.items[0]
        first_check = next(
            c
            for c in checks
            if (c.article, c.item, c.part) == (first.article, first.item, first.parts[0].id)
        )
        links = s.scalars(select(EvidenceLink).where(EvidenceLink.check_id == first_check.id)).all()
        assert len(links) == 1 and links[0].page == 1
        actions = [
            e.action
            for e in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.dossier_id == window.dossier_id)
                .order_by(AuditEntry.id)
            )
        ]
        assert actions.count("check.link") == 1
        assert (
            actions.count("check.decide") == total_parts + 2
        )  # the undo and the redo are logged too
        assert actions[-1] == "review.complete"


def test_navigation_keys_and_tree_follow(qtbot: QtBot, main_window: MainWindow) -> None:
    window = _open(qtbot, main_window, "临清")
    qtbot.keyClick(window, Qt.Key.Key_J)
    assert window.item_index == 1
    qtbot.keyClick(window, Qt.Key.Key_K)
    qtbot.keyClick(window, Qt.Key.Key_K)
    assert window.item_index == 0
    qtbot.keyClick(window, Qt.Key.Key_Up)
    assert (window.item_index, window.clause_index) == (0, 0)
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert window.measure_dock.isVisible()
    window.show_current()
    assert "第七条" in window.measure.toPlainText()


def test_reviewer_decision_is_shown_beside_the_app_suggestion(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = _open(qtbot, main_window, "临清")  # 资产总额199.99万元: the app says 不符合
    item = window.current_item
    assets = next(n for n, p in enumerate(item.parts) if p.id == "assets")
    window.go_to(0, assets)
    assert "199.99万元" in window.item_panel.rows[assets].text.text()
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert window.item_panel.rows[assets].buttons["unmet"].isChecked()
    ws = load_workspace(main_window.store, window.dossier_id)
    assert ws.check(item.article, item.item, "assets").decision == "unmet"


def test_the_submitted_data_form_can_be_saved_whole(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _open(qtbot, main_window, "鲁西")
    assert window.save_form_action.isEnabled()
    target = tmp_path / "原件.xlsx"
    window.save_form(str(target))
    data = target.read_bytes()
    assert hashlib.sha256(data).hexdigest() == window.ws.form_sha256
    assert load_workbook(target).sheetnames  # a real workbook, not an empty file

    # A version imported before the app kept forms says so instead of writing anything.
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))
    window.ws.form_sha256 = None
    window.save_form(str(tmp_path / "无.xlsx"))
    assert said and "未保存申报数据表原件" in said[0]
    assert not (tmp_path / "无.xlsx").exists()
