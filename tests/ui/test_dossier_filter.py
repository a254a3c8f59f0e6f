"""The dossier list's filter proxy: the rows it shows are exactly those the filters pass, in the
source's order, after any sequence of keystrokes, filter changes, sorts and reloads; the
selection stays on a dossier still shown. (Its speed is benchmarks/' business.)"""

from __future__ import annotations

import random

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot
from summary_rows import summary_rows

from sme_review_desktop.overview.dossier_list import DossierSummary
from sme_review_desktop.ui.dossier_model import SUMMARY_ROLE, DossierFilterProxy, DossierTableModel


def _shown(proxy: DossierFilterProxy) -> list[int]:
    return [proxy.data(proxy.index(r, 0), SUMMARY_ROLE).dossier_id for r in range(proxy.rowCount())]


def _expected(
    model: DossierTableModel, text: str, suggestion: str, county: str, only: frozenset[int] | None
) -> list[int]:
    out = []
    for row in range(model.rowCount()):
        s: DossierSummary = model.summary(row)
        if (
            (not text or text.strip().lower() in model.search_key(row))
            and (not suggestion or s.suggestion == suggestion)
            and (not county or s.county == county)
            and (only is None or s.dossier_id in only)
        ):
            out.append(s.dossier_id)
    return out


def _setup(qtbot: QtBot, n: int = 600) -> tuple[DossierTableModel, DossierFilterProxy, QTableView]:
    model = DossierTableModel()
    proxy = DossierFilterProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    model.set_rows(summary_rows(n))
    return model, proxy, view


def test_any_sequence_of_filters_shows_exactly_the_rows_that_pass(qtbot: QtBot) -> None:
    model, proxy, view = _setup(qtbot)
    rng = random.Random(24)
    texts = [
        "",
        "w",
        "wl",
        "wlf",
        "物",
        "物流",
        "物流服务",
        "4",
        "41",
        "411",
        " WL ",
        "91371500ma0",
    ]
    state = {"text": "", "suggestion": "", "county": "", "only": None}
    for step in range(400):
        what = rng.randrange(6)
        if what <= 2:
            state["text"] = rng.choice(texts)
        elif what == 3:
            state["suggestion"] = rng.choice(["", "met", "review", "unmet"])
        elif what == 4:
            state["county"] = rng.choice(["", "临清市", "冠县", "无此县"])
        else:
            state["only"] = rng.choice([None, frozenset(rng.sample(range(600), 40))])
        proxy.set_filters(str(state["text"]), str(state["suggestion"]), str(state["county"]))
        proxy.set_only(state["only"])  # type: ignore[arg-type]
        if step % 37 == 0:
            proxy.sort(rng.randrange(10), rng.choice(list(Qt.SortOrder)))
        if step % 91 == 0:
            model.set_rows(summary_rows(rng.randrange(300, 600)))
        view.viewport().repaint()
        expected = _expected(
            model,
            str(state["text"]),
            str(state["suggestion"]),
            str(state["county"]),
            state["only"],  # type: ignore[arg-type]
        )
        assert _shown(proxy) == expected, (step, state)


def test_typing_on_narrows_exactly_as_a_full_pass(qtbot: QtBot) -> None:
    model, proxy, _ = _setup(qtbot)
    for text in ("", "w", "wl", "wlf", "wlfw", "wlf", "wl", "w", "", "4", "41", "4"):
        proxy.set_filters(text, "met", "")
        assert _shown(proxy) == _expected(model, text, "met", "", None), text


def test_mapping_both_ways(qtbot: QtBot) -> None:
    model, proxy, _ = _setup(qtbot)
    proxy.set_filters("物流", "", "")
    shown = set()
    for r in range(proxy.rowCount()):
        source = proxy.mapToSource(proxy.index(r, 3))
        assert source.column() == 3 and proxy.mapFromSource(source) == proxy.index(r, 3)
        shown.add(source.row())
    hidden = [row for row in range(model.rowCount()) if row not in shown]
    assert hidden and all(not proxy.mapFromSource(model.index(r, 0)).isValid() for r in hidden)
    assert not proxy.index(proxy.rowCount(), 0).isValid()
    assert not proxy.mapToSource(QModelIndex()).isValid()
    assert proxy.headerData(0, Qt.Orientation.Horizontal) == model.headerData(
        0, Qt.Orientation.Horizontal
    )


def _select(view: QTableView, proxy: DossierFilterProxy, dossier_id: int) -> None:
    row = _shown(proxy).index(dossier_id)
    view.selectionModel().setCurrentIndex(
        proxy.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def _current(view: QTableView, proxy: DossierFilterProxy) -> int | None:
    index = view.currentIndex()
    return proxy.data(index, SUMMARY_ROLE).dossier_id if index.isValid() else None


def test_the_selection_follows_its_dossier_through_filters_and_sorts(qtbot: QtBot) -> None:
    _model, proxy, view = _setup(qtbot)
    chosen = 409  # 物流 in its operator (409 % 8 == 1), county 临清市 (409 % 8 == 1)
    _select(view, proxy, chosen)
    for text in ("物", "物流", "物流服", "物流", ""):
        proxy.set_filters(text, "", "")
        assert _current(view, proxy) == chosen, text
        assert view.selectionModel().isRowSelected(view.currentIndex().row(), QModelIndex())
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert _current(view, proxy) == chosen
    proxy.set_filters("", "", "临清市")
    assert _current(view, proxy) == chosen
    proxy.set_filters("", "", "冠县")  # the dossier is no longer shown: nothing is selected
    assert _current(view, proxy) is None
    assert not view.selectionModel().hasSelection()
