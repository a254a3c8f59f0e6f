"""The main window's list of dossiers: filters, the table, and a chart's selection (筛选)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.overview.dossier_list import DossierSummary
from sme_review_desktop.ui.dossier_model import SUMMARY_ROLE, DossierFilterProxy, DossierTableModel

COLUMN_WIDTHS = (220, 210, 90, 60, 55, 90, 70, 90, 60, 80)


class DossierTable(QTableView):
    """The dossier list; folders, zips and workbooks dropped on it are imported."""

    dropped = Signal(list)  # list[Path]

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)


class DossierListPanel(QWidget):
    """Filters and table of one round's dossiers. Shows rows it is given; reads nothing."""

    open_requested = Signal(int)  # dossier id
    counts_changed = Signal()
    selection_cleared = Signal()  # 清除筛选 pressed

    def __init__(self, leading: Sequence[QWidget] = ()) -> None:
        super().__init__()
        self.suggestion_filter = QComboBox()
        for label, value in (
            ("全部建议", ""),
            ("不符合", "unmet"),
            ("待核", "review"),
            ("符合", "met"),
        ):
            self.suggestion_filter.addItem(label, value)
        self.county_filter = QComboBox()
        self.county_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # Wide enough for 「全部县（市、区）」 and the longest county.
        self.county_filter.setMinimumContentsLength(6)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：平台、单位、信用代码或拼音首字母（如 lq）")
        self.search.setClearButtonEnabled(True)
        self.model = DossierTableModel()
        self.proxy = DossierFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.table = DossierTable()
        self._set_up_table()
        # A chart of the 概览 can narrow the list to the dossiers behind one bar (show_only).
        self.only_round: int | None = None
        self.only_label = QLabel()
        self.only_label.setStyleSheet("font-weight: bold; color: #8a5a00;")
        self.only_clear = QPushButton("× 清除筛选")
        self.only_clear.setToolTip("重新显示本批次的全部申报材料")
        only = QHBoxLayout()
        only.setContentsMargins(0, 0, 0, 0)
        only.addWidget(self.only_label)
        only.addWidget(self.only_clear)
        only.addStretch(1)
        self.only_bar = QWidget()
        self.only_bar.setLayout(only)
        self.only_bar.hide()

        bar = QHBoxLayout()
        for widget in leading:
            bar.addWidget(widget, 2 if isinstance(widget, QComboBox) else 0)
        bar.addSpacing(12)
        bar.addWidget(self.suggestion_filter)
        bar.addWidget(self.county_filter)
        bar.addWidget(self.search, 2)
        layout = QVBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.only_bar)
        layout.addWidget(self.table)
        self.setLayout(layout)

        self.search.textChanged.connect(self._filter_changed)
        self.suggestion_filter.currentIndexChanged.connect(self._filter_changed)
        self.county_filter.currentIndexChanged.connect(self._filter_changed)
        self.table.activated.connect(self._open_index)
        self.only_clear.clicked.connect(self.clear_only)

    def _set_up_table(self) -> None:
        t = self.table
        t.setModel(self.proxy)
        t.setSortingEnabled(True)
        t.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        t.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        t.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        t.setAlternatingRowColors(True)
        t.verticalHeader().setVisible(False)
        t.verticalHeader().setDefaultSectionSize(26)
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate(COLUMN_WIDTHS):
            t.setColumnWidth(col, width)

    def set_rows(self, round_id: int, rows: list[DossierSummary]) -> None:
        """Show a round's rows; the county chosen and the selected dossier stay."""
        if self.only_round is not None and self.only_round != round_id:
            self.clear_only()  # a chart's selection belongs to the round it was made in
        selected = self.selected()
        self.model.set_rows(rows)
        county = self.county_filter.currentData()
        self.county_filter.blockSignals(True)
        self.county_filter.clear()
        self.county_filter.addItem("全部县区", "")
        for c in self.model.counties():
            self.county_filter.addItem(c, c)
        self.county_filter.setCurrentIndex(max(0, self.county_filter.findData(county)))
        self.county_filter.blockSignals(False)
        self._filter_changed()
        if selected is not None:
            self.select_dossier(selected.dossier_id)

    def clear(self) -> None:
        self.model.set_rows([])
        self.counts_changed.emit()

    def _filter_changed(self) -> None:
        self.proxy.set_filters(
            self.search.text(),
            self.suggestion_filter.currentData() or "",
            self.county_filter.currentData() or "",
        )
        self.counts_changed.emit()

    def counts(self) -> tuple[int, int]:
        """(rows shown, rows of the round)."""
        return self.proxy.rowCount(), self.model.rowCount()

    def show_only(self, round_id: int, dossier_ids: Iterable[int], label: str) -> None:
        """List only these dossiers of the round (a chart's bar), with 清除筛选 to undo it."""
        ids = frozenset(dossier_ids)
        self.only_round = round_id
        self.proxy.set_only(ids)
        self.only_label.setText(f"筛选：{label}（{len(ids)}份）")
        self.only_bar.show()
        self.counts_changed.emit()

    def clear_only(self) -> None:
        self.only_round = None
        self.proxy.set_only(None)
        self.only_bar.hide()
        self.counts_changed.emit()

    def _open_index(self, index: QModelIndex) -> None:
        summary = self.proxy.data(index, SUMMARY_ROLE)
        if isinstance(summary, DossierSummary):
            self.open_requested.emit(summary.dossier_id)

    def selected(self) -> DossierSummary | None:
        index = self.table.currentIndex()
        summary = self.proxy.data(index, SUMMARY_ROLE) if index.isValid() else None
        return summary if isinstance(summary, DossierSummary) else None

    def select_dossier(self, dossier_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            summary = self.proxy.data(index, SUMMARY_ROLE)
            if isinstance(summary, DossierSummary) and summary.dossier_id == dossier_id:
                self.table.setCurrentIndex(index)
                return
