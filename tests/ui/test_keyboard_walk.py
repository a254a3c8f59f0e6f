"""The whole walk-through by keyboard only, every key sent to the widget that has the focus,
as a reviewer's keyboard does; what the keys did is then read back from the store (issue 22)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sme_review_desktop.review.walkthrough import load_workspace
from sme_review_desktop.text.numbering import article_label
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.workspace.condition_tree import ROLE_POS
from sme_review_desktop.ui.workspace.dossier_window import DossierWindow
from sme_review_desktop.ui.workspace.shortcuts import shortcuts_html

CTRL = Qt.KeyboardModifier.ControlModifier


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "the keyboard has nowhere to go"
    qtbot.keyClick(target, key, modifier)


def open_by_keyboard(qtbot: QtBot, main_window: MainWindow, name: str) -> DossierWindow:
    with qtbot.waitActive(main_window):
        main_window.activateWindow()
    main_window.list.search.setText(name)  # QTest types ASCII only
    main_window.list.table.setFocus()
    main_window.list.table.setCurrentIndex(main_window.list.proxy.index(0, 0))
    press(qtbot, Qt.Key.Key_Return)
    window = next(w for w in main_window.dossier_windows.values() if isinstance(w, DossierWindow))
    qtbot.addWidget(window)
    window.resize(1366, 740)  # a laptop's screen (the offscreen one is 800×600)
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def shortcut_lists() -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.objectName() == "shortcut_list" and w.isVisible()
    ]


def test_after_e_the_arrow_moves_to_the_next_file_and_l_links_it_to_the_clause(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = open_by_keyboard(qtbot, main_window, "鲁西")
    first = window.evidence.current_id
    files = window.evidence._file_indexes()
    assert len(files) >= 2
    press(qtbot, Qt.Key.Key_E)
    assert QApplication.focusWidget() is window.evidence.tree
    press(qtbot, Qt.Key.Key_Down)
    second = files[1].data(Qt.ItemDataRole.UserRole + 1)
    assert window.evidence.current_id == second != first
    assert (window.item_index, window.clause_index) == (0, 0)  # the clause did not move
    press(qtbot, Qt.Key.Key_L)
    clause = window.current_clause()
    ws = load_workspace(main_window.store, window.dossier_id)
    assert [link.evidence_id for link in ws.check(*clause).links] == [second]
    press(qtbot, Qt.Key.Key_Up)
    assert window.evidence.current_id == first
    press(qtbot, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.item_panel
    press(qtbot, Qt.Key.Key_Down)
    assert (window.item_index, window.clause_index) == (0, 1)


def test_j_and_k_move_between_items_from_any_pane(qtbot: QtBot, main_window: MainWindow) -> None:
    window = open_by_keyboard(qtbot, main_window, "临清")
    press(qtbot, Qt.Key.Key_E)
    press(qtbot, Qt.Key.Key_J)
    assert window.item_index == 1
    assert QApplication.focusWidget() is window.evidence.tree
    press(qtbot, Qt.Key.Key_K)
    assert window.item_index == 0


def test_the_tree_follows_and_marks_the_current_item(qtbot: QtBot, main_window: MainWindow) -> None:
    window = open_by_keyboard(qtbot, main_window, "临清")
    for step in range(len(window.items)):
        assert window.tree.currentIndex().data(ROLE_POS) == (step, 0)
        node = window.tree.model_.itemFromIndex(window.tree.currentIndex().parent())
        assert node.font().bold() and node.background().color().name() == "#dbe7f7"
        assert window.tree.visualRect(window.tree.currentIndex()).intersects(
            window.tree.viewport().rect()
        )
        press(qtbot, Qt.Key.Key_J)
    bold = [
        window.tree.model_.itemFromIndex(window.tree._index[(n, -1)]).font().bold()
        for n in range(len(window.items))
    ]
    assert bold == [False] * (len(window.items) - 1) + [True]  # one item marked at a time


def test_tree_shows_each_clause_whole(qtbot: QtBot, main_window: MainWindow) -> None:
    window = open_by_keyboard(qtbot, main_window, "临清")
    longest = max((p for i in window.items for p in i.parts), key=lambda p: len(p.text))
    assert len(longest.text) > 28
    texts = [
        window.tree.model_.itemFromIndex(index).text() for index in window.tree._index.values()
    ]
    assert any(longest.text in t for t in texts)
    assert not any("…" in t for t in texts)  # the view elides at its edge, not the model
    assert window.tree.textElideMode() == Qt.TextElideMode.ElideRight
    tips = [window.tree.model_.itemFromIndex(i).toolTip() for i in window.tree._index.values()]
    assert any(longest.text in t for t in tips)


def test_m_opens_the_measure_at_the_current_article(qtbot: QtBot, main_window: MainWindow) -> None:
    window = open_by_keyboard(qtbot, main_window, "临清")
    last = len(window.items) - 1
    window.go_to(last, 0)
    press(qtbot, Qt.Key.Key_M)
    assert window.measure_dock.isVisible()
    qtbot.wait(50)
    top = window.measure.cursorForPosition(QPoint(4, 4)).block().text()
    assert article_label(window.current_item.article) in top
    press(qtbot, Qt.Key.Key_M)
    assert not window.measure_dock.isVisible()
    window.go_to(0, 0)
    press(qtbot, Qt.Key.Key_M)
    qtbot.wait(50)
    assert (
        article_label(window.items[0].article)
        in window.measure.cursorForPosition(QPoint(4, 4)).block().text()
    )


def test_f1_opens_the_shortcut_list_from_the_dossier_window_and_the_main_window(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = open_by_keyboard(qtbot, main_window, "临清")
    assert not shortcut_lists()
    press(qtbot, Qt.Key.Key_F1)
    lists = shortcut_lists()
    assert len(lists) == 1 and lists[0].parentWidget() is window
    lists[0].close()
    with qtbot.waitActive(main_window):
        main_window.activateWindow()
    main_window.list.table.setFocus()
    press(qtbot, Qt.Key.Key_F1)
    assert len(shortcut_lists()) == 1
    assert "帮助(&H)" in [a.text() for a in window.menuBar().actions()]


def test_f1_reaches_a_window_that_binds_nothing(qtbot: QtBot, main_window: MainWindow) -> None:
    other = QMessageBox(QMessageBox.Icon.NoIcon, "x", "y")
    other.setObjectName("some_window")
    plain = QWidget()
    qtbot.addWidget(plain)
    plain.show()
    with qtbot.waitActive(plain):
        plain.activateWindow()
    plain.setFocus()
    qtbot.keyClick(plain, Qt.Key.Key_F1)
    assert [w.parentWidget() for w in shortcut_lists()] == [plain]


def test_shortcut_names_are_chinese() -> None:
    html = shortcuts_html()
    for word in ("下箭头", "上箭头", "回车", "Esc", "F1"):
        assert word in html
    for word in ("Down", "Up", "Return", "Escape"):
        assert word not in html


def test_a_whole_dossier_by_keyboard_only(qtbot: QtBot, main_window: MainWindow) -> None:
    window = open_by_keyboard(qtbot, main_window, "鲁西")
    store = main_window.store
    # The second file goes to the first clause: E, ↓, L, Esc.
    for key in (Qt.Key.Key_E, Qt.Key.Key_Down, Qt.Key.Key_L, Qt.Key.Key_Escape):
        press(qtbot, key)
    linked, first_clause = window.evidence.current_id, window.current_clause()
    total = sum(len(i.parts) for i in window.items)
    for n in range(total):
        press(qtbot, Qt.Key.Key_2 if n == total - 1 else Qt.Key.Key_1)
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_N)
    assert QApplication.focusWidget() is window.item_panel.note
    qtbot.keyClicks(window.item_panel.note, "J and K typed here")
    assert window.item_index == len(window.items) - 1  # typing J moved nothing
    press(qtbot, Qt.Key.Key_Escape)
    said: list[str] = []

    def answer() -> None:  # 「已标记为审核完成。」 is modal: read it and press 回车 on it
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(100, answer)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    assert said == ["已标记为审核完成。"]

    ws = load_workspace(store, window.dossier_id)
    assert ws.complete_by == "张评审"
    assert [link.evidence_id for link in ws.check(*first_clause).links] == [linked]
    decisions = [ws.check(i.article, i.item, p.id).decision for i in ws.items() for p in i.parts]
    assert decisions == ["met"] * (total - 1) + ["unmet"]
    last = ws.items()[-1]
    assert ws.check(last.article, last.item, "").note == "J and K typed here"
