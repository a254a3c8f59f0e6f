"""工具 → 审计记录 (per round) and 查看 → 审计记录 (per dossier): who changed what, exportable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.exports.audit_xlsx import write_audit
from sme_review_desktop.store.audit_view import AuditRow, audit_rows
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.safe_text import as_rich, visible
from sme_review_desktop.ui.export_task import ExportTask
from sme_review_desktop.ui.messages import show_exception
from sme_review_desktop.ui.tasks import run_task

HEADERS = ["时间", "操作人", "操作", "平台名称", "理由", "修改前", "修改后"]
Index = QModelIndex | QPersistentModelIndex


class AuditModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[AuditRow] = []

    def set_rows(self, rows: list[AuditRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        r = self.rows[index.row()]
        values = [
            f"{r.at:%Y-%m-%d %H:%M:%S}",
            r.actor,
            r.label,
            r.platform_name or "—",
            r.reason,
            r.before,
            r.after,
        ]
        value = values[index.column()]
        return as_rich(value) if role == Qt.ItemDataRole.ToolTipRole else visible(value)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class AuditWindow(QDialog):
    def __init__(
        self,
        store: Store,
        title: str,
        parent: QWidget | None,
        *,
        round_id: int | None = None,
        dossier_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.title = store, title
        self.round_id, self.dossier_id = round_id, dossier_id
        self.setWindowTitle(f"审计记录 — {title}")
        self.resize(1100, 560)
        self.model = AuditModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate([140, 70, 110, 190, 150, 200, 220]):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("筛选：操作人、操作、平台名称、理由…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.count = QLabel()
        export = QPushButton("导出 Excel…")
        export.clicked.connect(self.choose_export)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        top.addWidget(export)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel("每条记录都与前一条以哈希相连：在本软件之外改动数据库会被“完整性检查”发现。")
        )
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self) -> None:
        def load() -> list[AuditRow]:
            with self.store.read() as session:
                return audit_rows(session, self.round_id, self.dossier_id)

        self.count.setText("正在读取…")
        run_task(load, self._loaded, lambda exc: show_exception(self, exc))

    def _loaded(self, rows: list[AuditRow]) -> None:
        self.model.set_rows(rows)
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.count.setText(f"共 {self.proxy.rowCount()} 条")

    def choose_export(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, "导出审计记录", f"审计记录-{self.title}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if target:
            self.export_to(Path(target))

    def export_to(self, target: Path) -> ExportTask:
        rows = list(self.model.rows)
        self.export_task = ExportTask(
            self, "审计记录", target, lambda tmp: write_audit(rows, f"审计记录 — {self.title}", tmp)
        )
        self.export_task.failed.connect(lambda exc: show_exception(self, exc))
        return self.export_task
