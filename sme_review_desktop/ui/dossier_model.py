"""The dossier list as a Qt model/view pair: a table model and a proxy that filters and sorts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from sme_review_desktop.overview.dossier_list import DossierSummary
from sme_review_desktop.rules.engine import Verdict
from sme_review_desktop.scoring.decisions import DECISION_LABELS
from sme_review_desktop.text.search_keys import name_key, search_key

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    "平台名称",
    "运营单位",
    "县区",
    "类别",
    "版本",
    "形式审查",
    "系统建议",
    "审核进度",
    "评分",
    "决定",
    "提示",
)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2
SUGGESTION_COLOURS = {
    "unmet": QColor("#b3261e"),
    "review": QColor("#8a5a00"),
    "met": QColor("#1b6e3a"),
}
_BRUSHES = {k: QBrush(c) for k, c in SUGGESTION_COLOURS.items()}
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        SORT_ROLE,
        SUMMARY_ROLE,
    }
)


class DossierTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DossierSummary] = []
        self._keys: list[str] = []
        self._texts: list[tuple[str, ...] | None] = []  # each row's cells, formatted on first paint
        self._order: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: list[DossierSummary]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(rows)
        self._keys = [
            r.search or search_key(name_key(r.platform_name, r.operator_name, r.county), r.uscc)
            for r in self._rows
        ]
        self._texts = [None] * len(self._rows)
        self.endResetModel()

    def _sorted(self, rows: list[DossierSummary]) -> list[DossierSummary]:
        if self._order is None:
            return rows
        column, order = self._order
        return sorted(
            rows,
            key=lambda r: self._sort_value(r, column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort here with one key per row: a sorting proxy would call back into Python for
        every comparison, over a second for 10,000 rows each time the filter is cleared."""
        self._order = (column, order)
        self.layoutAboutToBeChanged.emit()
        position = {id(r): n for n, r in enumerate(self._rows)}
        rows = self._sorted(self._rows)
        moved = {position[id(r)]: n for n, r in enumerate(rows)}
        self._keys = [self._keys[position[id(r)]] for r in rows]
        self._texts = [self._texts[position[id(r)]] for r in rows]
        self._rows = rows
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent, [self.index(moved[i.row()], i.column()) for i in persistent]
        )
        self.layoutChanged.emit()

    def summary(self, row: int) -> DossierSummary:
        return self._rows[row]

    def search_key(self, row: int) -> str:
        return self._keys[row]

    def matching(
        self, text: str, suggestion: str, county: str, only: frozenset[int] | None = None
    ) -> list[bool]:
        """Which rows pass the filters, in one pass over the rows."""
        return [
            (not suggestion or r.suggestion == suggestion)
            and (not county or r.county == county)
            and (not text or text in key)
            and (only is None or r.dossier_id in only)
            for r, key in zip(self._rows, self._keys, strict=True)
        ]

    def counties(self) -> list[str]:
        return sorted({r.county for r in self._rows if r.county})

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks about eight roles of each visible cell: turn the unserved ones away
        # before anything else, and format each row's texts once.
        if role not in _ROLES or not index.isValid():
            return None
        row = index.row()
        r = self._rows[row]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            texts = self._texts[row]
            if texts is None:
                texts = self._texts[row] = tuple(self._display(r, c) for c in range(len(COLUMNS)))
            return texts[col]
        if role == SORT_ROLE:
            return self._sort_value(r, col)
        if role == SUMMARY_ROLE:
            return r
        if role == Qt.ItemDataRole.ForegroundRole and col == 6:
            return _BRUSHES[r.suggestion]
        if role == Qt.ItemDataRole.ForegroundRole and col == 5 and r.missing_materials:
            return _BRUSHES["unmet"]
        if role == Qt.ItemDataRole.ToolTipRole and col == 5 and r.missing_materials:
            return "缺少材料：" + "、".join(f"第{n}项" for n in r.missing_materials)
        if role == Qt.ItemDataRole.ForegroundRole and col in (9, 10) and (r.blocked or r.exception):
            return _BRUSHES["unmet"]
        if role == Qt.ItemDataRole.ToolTipRole and col == 9 and r.exception:
            return f"例外认定：{r.exception}"
        if role == Qt.ItemDataRole.ToolTipRole and col == 10 and r.findings:
            return "\n".join(f"{f.label}：{f.message}" for f in r.findings)
        return None

    @staticmethod
    def _display(r: DossierSummary, col: int) -> str:
        if col == 7:
            done = f"{r.decided_items}/{r.total_items}"
            return f"{done} 已完成" if r.complete else done
        return (
            r.platform_name,
            r.operator_name,
            r.county,
            r.platform_type,
            f"第{r.version}版",
            r.formal_label,
            Verdict(r.suggestion).label,
            "",
            "" if r.score is None else f"{r.score:.2f}",
            DECISION_LABELS.get(r.decision or "", "") + ("（例外）" if r.exception else ""),
            r.findings_label,
        )[col]

    @staticmethod
    def _sort_value(r: DossierSummary, col: int) -> Any:
        if col == 4:
            return r.version
        if col == 5:
            return len(r.missing_materials)
        if col == 6:
            return ("unmet", "review", "met").index(r.suggestion)
        if col == 7:
            return r.decided_items / r.total_items if r.total_items else 0
        if col == 8:
            return -1.0 if r.score is None else r.score
        return DossierTableModel._display(r, col)


class DossierFilterProxy(QSortFilterProxyModel):
    """Filters by suggestion, county and a search text (names, code, pinyin initials)."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)
        self._text = ""
        self._suggestion = ""
        self._county = ""
        self._accepted: list[bool] | None = None  # None: every row
        self._only: frozenset[int] | None = None  # a chart's bar: just these dossier ids

    def set_filters(self, text: str, suggestion: str, county: str) -> None:
        """Apply all three filters; the rows are decided in one pass (``filterAcceptsRow``)."""
        new = (text.strip().lower(), suggestion, county)
        if new == (self._text, self._suggestion, self._county):
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+: invalidateRowsFilter is deprecated
            self.beginFilterChange()
            self._set(*new)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._set(*new)
            self.invalidateRowsFilter()

    def _set(self, text: str, suggestion: str, county: str) -> None:
        self._text, self._suggestion, self._county = text, suggestion, county
        self._accepted = None

    def set_only(self, ids: frozenset[int] | None) -> None:
        """Keep only these dossiers (a chart's bar), on top of the other filters; None: all."""
        if ids == self._only:
            return
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self._only, self._accepted = ids, None
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._only, self._accepted = ids, None
            self.invalidateRowsFilter()

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        super().setSourceModel(model)
        # The source's rows are about to change: what passed the filters is to be decided anew.
        model.modelAboutToBeReset.connect(self._forget)
        model.layoutAboutToBeChanged.connect(self._forget)

    def _forget(self, *_: object) -> None:
        self._accepted = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts; this proxy only filters, keeping the source's order."""
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        # Qt asks once per row, 10,000 calls into Python per keystroke: decide every row in one
        # pass on the first call, and answer the others with a list lookup.
        if not (self._text or self._suggestion or self._county or self._only is not None):
            return True
        accepted = self._accepted
        if accepted is None:
            model = self.sourceModel()
            assert isinstance(model, DossierTableModel)
            accepted = self._accepted = model.matching(
                self._text, self._suggestion, self._county, self._only
            )
        return accepted[source_row]
