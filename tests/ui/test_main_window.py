"""The main window: rounds, the dossier list, its filters and search."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sme_review_desktop.rounds import list_rounds
from sme_review_desktop.ui.main_window import MainWindow


def test_lists_the_demo_round_with_its_columns(main_window: MainWindow) -> None:
    assert main_window.rounds.count() == 2
    assert main_window.list.proxy.rowCount() == 12
    model = main_window.list.model
    labels = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(10)]
    assert labels[:7] == ["平台名称", "运营单位", "县区", "类别", "版本", "形式审查", "系统建议"]


def test_search_by_name_code_and_pinyin_initials(qtbot: QtBot, main_window: MainWindow) -> None:
    # QTest can only type ASCII; Chinese arrives through the input method as whole text.
    main_window.list.search.setText("临清")
    assert main_window.list.proxy.rowCount() == 1
    assert "临清" in main_window.list.proxy.index(0, 0).data()
    main_window.list.search.clear()
    qtbot.keyClicks(main_window.list.search, "MA3C0004")
    assert main_window.list.proxy.rowCount() == 1
    assert "茌平" in main_window.list.proxy.index(0, 0).data()
    main_window.list.search.clear()
    qtbot.keyClicks(main_window.list.search, "lqzc")  # 临清轴承
    assert main_window.list.proxy.rowCount() == 1
    assert main_window.list.proxy.index(0, 0).data().startswith("临清轴承")


def test_filter_by_suggestion_and_county(main_window: MainWindow) -> None:
    unmet = main_window.list.suggestion_filter.findData("unmet")
    main_window.list.suggestion_filter.setCurrentIndex(unmet)
    shown = [
        main_window.list.proxy.index(r, 6).data() for r in range(main_window.list.proxy.rowCount())
    ]
    assert shown and set(shown) == {"不符合"}
    main_window.list.suggestion_filter.setCurrentIndex(0)
    main_window.list.county_filter.setCurrentIndex(
        main_window.list.county_filter.findData("东昌府区")
    )
    counties = {
        main_window.list.proxy.index(r, 2).data() for r in range(main_window.list.proxy.rowCount())
    }
    assert counties == {"东昌府区"}
    assert "显示" in main_window.count_label.text()


def test_sorting_by_suggestion_puts_unmet_first(main_window: MainWindow) -> None:
    main_window.list.table.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    assert main_window.list.proxy.index(0, 6).data() == "不符合"


def test_new_round_from_the_app(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sme_review_desktop.ui import round_dialog

    class Accepting(round_dialog.NewRoundDialog):
        def exec(self) -> int:
            self.rulebook.setCurrentIndex(self.rulebook.findData("xian-2018"))
            self.name.setText("2027年度认定")
            return 1

    monkeypatch.setattr(round_dialog, "NewRoundDialog", Accepting)
    main_window.new_round()
    rounds = list_rounds(main_window.store)
    assert rounds[-1].name == "2027年度认定" and rounds[-1].rulebook_id == "xian-2018"
    assert rounds[-1].reference_date == date.today()
    assert main_window.current_round() == rounds[-1].id
    qtbot.waitUntil(main_window.loading.isHidden, timeout=15_000)  # no load left running


def test_dropping_a_package_on_the_list_imports_it(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    from sme_review_desktop.exports.form_template import write_form
    from sme_review_desktop.rules.rulebook import get_rulebook
    from sme_review_desktop.rules.uscc import build

    form = write_form(
        tmp_path / "新平台.xlsx",
        get_rulebook("liaocheng-2021"),
        {
            "platform_name": "拖入的平台",
            "operator_name": "拖入单位",
            "uscc": build(org8="MA3CD999"),
        },
    )
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(form))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    main_window.list.table.dropEvent(event)
    dialog = main_window.import_dialog
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert [r.status for r in dialog.results] == ["imported"]
    dialog.accept()
    qtbot.waitUntil(lambda: main_window.list.model.rowCount() == 13, timeout=15_000)
