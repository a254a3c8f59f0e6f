"""The dossier list as a Qt model/view pair: a table model that sorts and a proxy that filters."""

from __future__ import annotations

from itertools import compress
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
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


class DossierFilterProxy(QAbstractProxyModel):
    """Filters by suggestion, county and a search text (names, code, pinyin initials).

    Not a QSortFilterProxyModel: that one asks ``filterAcceptsRow`` of every source row on every
    keystroke, 10,000 calls from C++ into Python (most of a keystroke's time). Here the rows
    shown are one list of source rows, decided in one pass over the precomputed search keys
    (narrowed from the rows already shown while a search text grows), and a view asks only
    about the rows it paints. A filter change is announced as a layout change with the
    persistent indexes moved, so the selection stays on a dossier still shown.
    """

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self._suggestion = ""
        self._county = ""
        self._only: frozenset[int] | None = None  # a chart's bar: just these dossier ids
        self._rows: list[int] = []  # the source rows shown, in the source's order
        self._where: list[int] = []  # source row → its row here, or -1
        # Over a source sort: each persistent index here (its old place) with its source row.
        self._saved: list[tuple[QModelIndex, QPersistentModelIndex]] = []

    # filters ---------------------------------------------------------------------------------
    def set_filters(self, text: str, suggestion: str, county: str) -> None:
        """Apply all three filters; the rows are decided in one pass."""
        new = (text.strip().lower(), suggestion, county)
        old = (self._text, self._suggestion, self._county)
        if new == old:
            return
        # Typing on: the rows a longer text matches are among those the shorter one matched.
        narrowing = new[1:] == old[1:] and old[0] in new[0]
        self._text, self._suggestion, self._county = new
        self._apply(self._narrowed(new[0]) if narrowing else self._decide())

    def set_only(self, ids: frozenset[int] | None) -> None:
        """Keep only these dossiers (a chart's bar), on top of the other filters; None: all."""
        if ids == self._only:
            return
        self._only = ids
        self._apply(self._decide())

    def _model(self) -> DossierTableModel | None:
        model = self.sourceModel()
        assert model is None or isinstance(model, DossierTableModel)
        return model

    def _decide(self) -> list[int]:
        model = self._model()
        if model is None:
            return []
        count = model.rowCount()
        if not (self._text or self._suggestion or self._county or self._only is not None):
            return list(range(count))
        flags = model.matching(self._text, self._suggestion, self._county, self._only)
        return list(compress(range(count), flags))

    def _narrowed(self, text: str) -> list[int]:
        model = self._model()
        if model is None:
            return []
        key = model.search_key
        return [row for row in self._rows if text in key(row)]

    def _apply(self, rows: list[int]) -> None:
        """Show ``rows``; persistent indexes (the selection, the current row) follow their
        source rows, and those no longer shown become invalid."""
        if rows == self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        sources = [(self._rows[i.row()], i.column()) for i in persistent]
        self._set_rows(rows)
        where = self._where
        self.changePersistentIndexList(
            persistent,
            [self.createIndex(where[r], c) if where[r] >= 0 else QModelIndex() for r, c in sources],
        )
        self.layoutChanged.emit()

    def _set_rows(self, rows: list[int]) -> None:
        model = self._model()
        where = [-1] * (model.rowCount() if model is not None else 0)
        for n, row in enumerate(rows):
            where[row] = n
        self._rows, self._where = rows, where

    # the source model ------------------------------------------------------------------------
    def setSourceModel(self, model: QAbstractItemModel) -> None:
        old = self.sourceModel()
        if old is not None:
            old.disconnect(self)
        self.beginResetModel()
        super().setSourceModel(model)
        self._set_rows(self._decide())
        self.endResetModel()
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self._source_layout_about_to_change)
        model.layoutChanged.connect(self._source_layout_changed)
        model.dataChanged.connect(self._source_data_changed)
        model.headerDataChanged.connect(self.headerDataChanged)
        # The dossier model only resets and sorts; anything else is taken as a reset.
        for about, done in (
            (model.rowsAboutToBeInserted, model.rowsInserted),
            (model.rowsAboutToBeRemoved, model.rowsRemoved),
            (model.rowsAboutToBeMoved, model.rowsMoved),
            (model.columnsAboutToBeInserted, model.columnsInserted),
            (model.columnsAboutToBeRemoved, model.columnsRemoved),
            (model.columnsAboutToBeMoved, model.columnsMoved),
        ):
            about.connect(self.beginResetModel)
            done.connect(self._source_reset)

    def _source_reset(self, *_: object) -> None:
        self._set_rows(self._decide())
        self.endResetModel()

    def _source_layout_about_to_change(self, *_: object) -> None:
        self.layoutAboutToBeChanged.emit()
        self._saved = [
            (i, QPersistentModelIndex(self.mapToSource(i))) for i in self.persistentIndexList()
        ]

    def _source_layout_changed(self, *_: object) -> None:
        self._set_rows(self._decide())  # the same filters over the source's new order
        saved, self._saved = self._saved, []
        self.changePersistentIndexList(
            [p for p, _ in saved],
            [self._from_source(s.row(), s.column(), s.isValid()) for _, s in saved],
        )
        self.layoutChanged.emit()

    def _source_data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: Any = ()) -> None:
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(
                self.index(0, top.column()), self.index(last, bottom.column()), roles
            )

    def _from_source(self, row: int, column: int, valid: bool = True) -> QModelIndex:
        if not valid or not 0 <= row < len(self._where) or self._where[row] < 0:
            return QModelIndex()
        return self.createIndex(self._where[row], column)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts; this proxy only filters, keeping the source's order."""
        model = self.sourceModel()
        if model is not None:
            model.sort(column, order)

    # the proxy's own structure: a flat table ----------------------------------------------------
    def mapToSource(self, proxy: Index) -> QModelIndex:
        model = self._model()
        if model is None or not proxy.isValid() or proxy.row() >= len(self._rows):
            return QModelIndex()
        # The source's createIndex, not its index(): that one checks the row against the
        # source's rowCount and columnCount, two more calls into Python per cell painted.
        return model.createIndex(self._rows[proxy.row()], proxy.column())

    def mapFromSource(self, source: Index) -> QModelIndex:
        return self._from_source(source.row(), source.column(), source.isValid())

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not 0 <= row < len(self._rows) or column < 0:
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def sibling(self, row: int, column: int, index: Index) -> QModelIndex:
        return self.index(row, column)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks about eight roles of each visible cell and the source serves a few
        # (_ROLES): the others are turned away here, before a source index is made for them.
        if role not in _ROLES:
            return None
        model = self._model()
        row = index.row()
        if model is None or not index.isValid() or row >= len(self._rows):
            return None
        return model.data(model.createIndex(self._rows[row], index.column()), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return model.headerData(section, orientation, role)
        return None  # rows have no header (the list hides it); asked of every row on a relayout
