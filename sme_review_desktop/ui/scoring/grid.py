"""One expert's scores as an editable grid: dossiers × criteria, with range checks."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.errors import EditConflict, UserError
from sme_review_desktop.scoring.entry import GridRow, enter_scores, expert_grid
from sme_review_desktop.scoring.experts import add_expert, expert_names
from sme_review_desktop.scoring.scheme import CriterionSpec
from sme_review_desktop.store.changes import Changes
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbers import plain
from sme_review_desktop.text.safe_text import as_rich, visible
from sme_review_desktop.ui.changes import follow
from sme_review_desktop.ui.messages import show_exception

Index = QModelIndex | QPersistentModelIndex
FIXED = ("平台名称", "统一社会信用代码")


class ScoreGridModel(QAbstractTableModel):
    rejected = Signal(str)

    def __init__(self, store: Store, round_id: int, actor: str) -> None:
        super().__init__()
        self.store, self.round_id, self.actor = store, round_id, actor
        self.expert = ""
        self.criteria: list[CriterionSpec] = []
        self.rows: list[GridRow] = []

    def load(self, expert: str) -> None:
        self.beginResetModel()
        self.expert = expert
        self.criteria, self.rows = (
            expert_grid(self.store, self.round_id, expert) if expert else ([], [])
        )
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read the expert's scores in place: the current cell and any editor stay."""
        if not self.expert:
            return
        criteria, rows = expert_grid(self.store, self.round_id, self.expert)
        same_shape = criteria == self.criteria and [r.dossier_id for r in rows] == [
            r.dossier_id for r in self.rows
        ]
        if not same_shape:
            self.load(self.expert)
            return
        self.rows = rows
        if rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(rows) - 1, self.columnCount() - 1)
            )

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED) + len(self.criteria) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section < len(FIXED):
            return FIXED[section]
        if section < len(FIXED) + len(self.criteria):
            c = self.criteria[section - len(FIXED)]
            return f"{c.name}（{plain(c.max_points)}）"
        return "合计"

    def _criterion(self, column: int) -> CriterionSpec | None:
        i = column - len(FIXED)
        return self.criteria[i] if 0 <= i < len(self.criteria) else None

    def total(self, row: GridRow) -> Decimal | None:
        if not row.points:
            return None
        return sum(row.points.values(), Decimal(0))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        crit = self._criterion(col)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return row.platform_name
            if col == 1:
                return row.uscc
            if row.conflicted:
                return "回避"
            if crit is not None:
                value = row.points.get(crit.name)
                return "" if value is None else plain(value)
            total = self.total(row)
            return "" if total is None else plain(total)
        if role == Qt.ItemDataRole.BackgroundRole and row.conflicted:
            return QBrush(QColor("#eeeeee"))
        if role == Qt.ItemDataRole.ToolTipRole and crit is not None:
            return as_rich(f"{crit.name}：0–{plain(crit.max_points)}分。{crit.guidance}")
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= len(FIXED):
            return Qt.AlignmentFlag.AlignCenter
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._criterion(index.column()) is not None and not self.rows[index.row()].conflicted:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        crit = self._criterion(index.column())
        if crit is None or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value).strip()
        try:
            points = Decimal(text) if text else None
        except InvalidOperation:
            self.rejected.emit(
                f"“{text}”不是分数：{crit.name}应填0到{plain(crit.max_points)}之间的数字。"
            )
            return False
        if points is not None and not (0 <= points <= crit.max_points):
            self.rejected.emit(
                f"{crit.name}的分数{points}超出范围：应在0到{plain(crit.max_points)}分之间。"
            )
            return False
        row = self.rows[index.row()]
        try:
            versions = enter_scores(
                self.store,
                self.round_id,
                self.expert,
                row.uscc,
                {crit.name: points},
                self.actor,
                expected_versions={crit.name: row.versions.get(crit.name, "")},
            )
        except EditConflict as exc:
            self.rejected.emit(exc.message)
            # Show the stored scores, once the editor has let go of the model.
            QTimer.singleShot(0, lambda: self.load(self.expert))
            return False
        except UserError as exc:
            self.rejected.emit(exc.message)
            return False
        new_points = dict(row.points)
        if points is None:
            new_points.pop(crit.name, None)
        else:
            new_points[crit.name] = points
        self.rows[index.row()] = GridRow(
            row.dossier_id, row.uscc, row.platform_name, row.conflicted, new_points, versions
        )
        last = self.columnCount() - 1
        self.dataChanged.emit(index, self.index(index.row(), last))
        return True


class ScoreGridWindow(QWidget):
    """评分录入: pick an expert, type scores; Enter moves on, out-of-range input is refused."""

    def __init__(
        self, store: Store, round_id: int, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("专家评分录入")
        self.resize(1100, 600)
        self.store, self.round_id, self.actor = store, round_id, actor
        self.experts = QComboBox()
        self.experts.setEditable(False)
        self.add_button = QPushButton("添加专家…")
        self.sheet_button = QPushButton("导出离线评分表…")
        self.import_button = QPushButton("导入评分表…")
        self.model = ScoreGridModel(store, round_id, actor)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(
            QTableView.EditTrigger.AnyKeyPressed
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.DoubleClicked
        )
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.verticalHeader().setVisible(False)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # shows names: never read as HTML
        self.message.setStyleSheet("color:#b3261e")
        top = QHBoxLayout()
        top.addWidget(QLabel("专家："))
        top.addWidget(self.experts, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.sheet_button)
        top.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        self.model.rejected.connect(self.message.setText)
        self.experts.currentTextChanged.connect(self._load)
        self.add_button.clicked.connect(self._add_expert)
        self.sheet_button.clicked.connect(self._ask_sheet)
        self.import_button.clicked.connect(self._ask_import)
        self.reload_experts()
        follow(store, self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(("scores", "dossiers"), self.round_id):
            self.model.refresh()

    def reload_experts(self, select: str = "") -> None:
        self.experts.blockSignals(True)
        self.experts.clear()
        self.experts.addItems(expert_names(self.store, self.round_id))
        if select:
            self.experts.setCurrentText(select)
        self.experts.blockSignals(False)
        self._load(self.experts.currentText())

    def _load(self, name: str) -> None:
        self.message.clear()
        try:
            self.model.load(name)
        except Exception as exc:
            show_exception(self, exc)
        self.table.resizeColumnsToContents()

    def _add_expert(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, "添加专家", "专家姓名：")
        if ok and name.strip():
            add_expert(self.store, self.round_id, name, self.actor)
            self.reload_experts(select=name.strip())

    # offline sheets -------------------------------------------------------------------------
    def _ask_sheet(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        expert = self.experts.currentText()
        if not expert:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "导出离线评分表", f"评分表_{expert}.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            self.write_sheet(Path(path))

    def write_sheet(self, target: Path) -> None:
        from sme_review_desktop.scoring.sheets import write_score_sheet

        try:
            written = write_score_sheet(
                self.store, self.round_id, self.experts.currentText(), target, self.actor
            )
        except Exception as exc:
            show_exception(self, exc)
            return
        self.message.setStyleSheet("")
        self.message.setText(f"已导出离线评分表：{written}")

    def _ask_import(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        files, _ = QFileDialog.getOpenFileNames(self, "导入专家评分表", "", "Excel 工作簿 (*.xlsx)")
        if files:
            self.import_sheets([Path(f) for f in files])

    def confirm_replace(self, why: str) -> bool:
        """An older sheet than one already imported: replace the newer scores only if told to."""
        answer = QMessageBox.question(
            self, "以旧评分表替换？", f"{why}\n\n确定以这份较早的评分表替换吗？"
        )
        return answer == QMessageBox.StandardButton.Yes

    def import_sheets(self, paths: list[Path]) -> list[str]:
        """Read sheets back; each is stored whole or refused with the cells named."""
        from sme_review_desktop.scoring.sheets import import_score_sheets

        results = import_score_sheets(self.store, self.round_id, paths, self.actor)
        older = [r for r in results if r.older]
        if older and self.confirm_replace("\n\n".join(r.errors[0] for r in older)):
            again = import_score_sheets(
                self.store, self.round_id, [r.path for r in older], self.actor, replace_newer=True
            )
            redone = dict(zip([r.path for r in older], again, strict=True))
            results = [redone.get(r.path, r) for r in results]
        lines = [
            f"{r.path.name}：已导入{r.expert}的{r.count}份评分"
            f"（{r.imported_by}为专家“{r.expert}”导入，评分表发出于{r.issued_at}）"
            if r.status == "imported"
            else f"{r.path.name}：{r.summary}"
            if r.status == "empty"
            else f"{r.path.name}：退回 — " + "；".join(r.errors)
            for r in results
        ]
        refused = any(r.status == "rejected" for r in results)
        self._load(self.experts.currentText())
        self.message.setStyleSheet("color:#b3261e" if refused else "")
        self.message.setText(visible("\n".join(lines), keep_newlines=True))
        self.message.setWordWrap(True)
        return lines
