"""Creating a round from the app: measure, name, reference date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from sme_review_desktop.rules.rulebook import all_rulebooks


class NewRoundDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, default_rulebook: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("新建认定批次")
        self.rulebook = QComboBox()
        for book in all_rulebooks().values():
            self.rulebook.addItem(book.title, book.id)
        if default_rulebook:
            self.rulebook.setCurrentIndex(max(0, self.rulebook.findData(default_rulebook)))
        self.name = QLineEdit(f"{date.today().year}年度示范平台认定")
        self.reference = QDateEdit(QDate.currentDate())
        self.reference.setCalendarPopup(True)
        self.reference.setDisplayFormat("yyyy年M月d日")
        self.reference.setToolTip("申报截止日：运营年限等按此日期计算")
        form = QFormLayout(self)
        form.addRow("依据办法：", self.rulebook)
        form.addRow("批次名称：", self.name)
        form.addRow("基准日（申报截止日）：", self.reference)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("创建")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, date]:
        qd = self.reference.date()
        return (
            str(self.rulebook.currentData()),
            self.name.text(),
            date(qd.year(), qd.month(), qd.day()),
        )
