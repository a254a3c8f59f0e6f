"""The dossier list as a Qt table model: one row per dossier, no widget per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class DossierRow:
    dossier_id: int
    platform_name: str
    operator_name: str
    county: str
    platform_type: str
    version: int
    formal: str
    suggestion: str
    uscc: str


COLUMNS = (
    "平台名称",
    "运营单位",
    "县区",
    "类别",
    "版本",
    "形式审查",
    "系统建议",
    "统一社会信用代码",
)


class DossierTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[DossierRow] = []

    def set_rows(self, rows: list[DossierRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row(self, index: int) -> DossierRow:
        return self._rows[index]

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
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        r = self._rows[index.row()]
        return (
            r.platform_name,
            r.operator_name,
            r.county,
            r.platform_type,
            f"第{r.version}版",
            r.formal,
            r.suggestion,
            r.uscc,
        )[index.column()]
