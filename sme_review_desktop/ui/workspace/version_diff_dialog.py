"""比较版本: two versions of a dossier side by side — figures, files and the system's verdicts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.errors import UserError
from sme_review_desktop.review.version_diff import VersionDiff, diff_versions
from sme_review_desktop.rules.engine import Verdict
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbering import clause_label

CHANGED = QBrush(QColor("#fff2cc"))  # a changed figure, as a highlighter would mark it


def _verdict(value: object) -> str:
    return Verdict(str(value)).label if value else "（未申报）"


class VersionDiffDialog(QDialog):
    def __init__(
        self,
        store: Store,
        round_id: int,
        uscc: str,
        versions: list[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("比较版本")
        self.resize(900, 620)
        self.store, self.round_id, self.uscc = store, round_id, uscc
        self.older, self.newer = QComboBox(), QComboBox()
        for box in (self.older, self.newer):
            for v in versions:
                box.addItem(f"第{v}版", v)
        self.older.setCurrentIndex(max(0, len(versions) - 2))
        self.newer.setCurrentIndex(len(versions) - 1)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("旧版本："))
        pick.addWidget(self.older)
        pick.addWidget(QLabel("新版本："))
        pick.addWidget(self.newer)
        pick.addStretch(1)
        self.figures = QTableWidget(0, 3)
        self.figures.setHorizontalHeaderLabels(["数据项", "旧版本", "新版本"])
        self.figures.horizontalHeader().setStretchLastSection(True)
        self.files = QLabel()
        self.files.setWordWrap(True)
        self.verdicts = QLabel()
        self.verdicts.setWordWrap(True)
        self.message = QLabel()
        for label in (self.files, self.verdicts, self.message):
            label.setTextFormat(Qt.TextFormat.PlainText)  # paths and names are data
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(QLabel("变化的申报数据（新旧对照）："))
        layout.addWidget(self.figures, 1)
        layout.addWidget(self.files)
        layout.addWidget(self.verdicts)
        layout.addWidget(self.message)
        self.older.currentIndexChanged.connect(self.compare)
        self.newer.currentIndexChanged.connect(self.compare)
        self.compare()

    def compare(self) -> None:
        try:
            diff = diff_versions(
                self.store,
                self.round_id,
                self.uscc,
                int(self.older.currentData()),
                int(self.newer.currentData()),
            )
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.show_diff(diff)

    def show_diff(self, diff: VersionDiff) -> None:
        self.diff = diff
        self.figures.setRowCount(len(diff.figures))
        for r, f in enumerate(diff.figures):
            for c, text in enumerate((f["label"], f["from"] or "（空）", f["to"] or "（空）")):
                item = QTableWidgetItem(str(text))
                if c:
                    item.setBackground(CHANGED)
                self.figures.setItem(r, c, item)
        self.figures.resizeColumnsToContents()
        files = [f"新增：{p}" for p in diff.added] + [f"删除：{p}" for p in diff.removed]
        files += [f"更换：{p}" for p in diff.changed]
        self.files.setText("材料：" + ("；".join(files) if files else "无变化"))
        verdicts = [
            f"{clause_label(int(str(i['article'])), int(str(i['item'])))}："
            f"{_verdict(i['from'])} → {_verdict(i['to'])}"
            for i in diff.items
        ]
        self.verdicts.setText("系统结论：" + ("；".join(verdicts) if verdicts else "无变化"))
        self.message.setText("两版没有差别。" if diff.empty else "")
