"""示范平台名录: every certified platform, what is due or overdue this month, complaints, revocation."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.register.platforms import (
    RegisterRow,
    add_complaint,
    mark_report,
    register_rows,
    revoke,
)
from sme_review_desktop.store.changes import Changes
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.safe_text import as_rich, visible
from sme_review_desktop.ui.changes import follow
from sme_review_desktop.ui.messages import show_exception

COLUMNS = [
    "证书编号",
    "平台名称",
    "运营单位",
    "认定批次",
    "有效期至",
    "状态",
    "本月应报",
    "逾期未报",
    "近一年投诉",
]
# Status is written out in words; the colour only repeats it (print and colour-blind safe).
STATUS_COLOURS = {"即将到期": "#8a5a00", "已到期": "#6b6b6b", "已撤销": "#b3261e"}


class RegisterWindow(QWidget):
    def __init__(self, store: Store, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("示范平台名录")
        self.resize(1200, 640)
        self.store, self.actor = store, actor
        self.rows: list[RegisterRow] = []
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.dashboard = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((170, 200, 190, 250, 90, 70, 110, 130)):
            self.table.setColumnWidth(col, width)
        report = QPushButton("登记收到报告…")
        complaint = QPushButton("登记投诉…")
        revoke_button = QPushButton("撤销认定…")
        top = QHBoxLayout()
        top.addWidget(QLabel("统计日期："))
        top.addWidget(self.as_of)
        top.addWidget(self.dashboard, 1)
        buttons = QHBoxLayout()
        for b in (report, complaint, revoke_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.as_of.dateChanged.connect(self.refresh)
        report.clicked.connect(self.ask_report)
        complaint.clicked.connect(self.ask_complaint)
        revoke_button.clicked.connect(self.ask_revoke)
        self.refresh()
        follow(store, self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(("register", "publicity")):
            self.refresh()

    @property
    def today(self) -> date:
        d = self.as_of.date()
        return date(d.year(), d.month(), d.day())

    def refresh(self) -> None:
        self.rows = register_rows(self.store, self.today)
        due = sum(len(r.reports_due) for r in self.rows)
        overdue = sum(len(r.reports_overdue) for r in self.rows)
        expiring = sum(r.status == "即将到期" for r in self.rows)
        self.dashboard.setText(
            f"共{len(self.rows)}个平台　本月应报{due}份　逾期未报{overdue}份　即将到期{expiring}个"
        )
        self.table.setRowCount(len(self.rows))
        for n, r in enumerate(self.rows):
            values = [
                r.number,
                r.platform_name,
                r.operator_name,
                r.round_name,
                r.valid_until.isoformat(),
                r.status,
                "、".join(p for p, _ in r.reports_due),
                "、".join(p for p, _ in r.reports_overdue),
                str(r.complaints_last_year),
            ]
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c == 5 and r.status in STATUS_COLOURS:
                    item.setForeground(QColor(STATUS_COLOURS[r.status]))
                if c == 7 and text:
                    item.setForeground(QColor("#b3261e"))
                self.table.setItem(n, c, item)
        self.table.sortItems(0, Qt.SortOrder.AscendingOrder)

    def _selected(self) -> RegisterRow | None:
        row = self.table.currentRow()
        if row < 0:
            QMessageBox.information(self, "示范平台名录", "请先选择一个平台。")
            return None
        item = self.table.item(row, 0)
        return next((r for r in self.rows if item and r.number == item.text()), None)

    def ask_report(self) -> None:
        row = self._selected()
        if row is None:
            return
        periods = [p for p, _ in row.reports_overdue + row.reports_due]
        if not periods:
            QMessageBox.information(self, "登记报告", "该平台目前没有待报送的报告。")
            return
        period, ok = QInputDialog.getItem(self, "登记收到报告", "报告期：", periods, 0, False)
        if ok:
            self.record_report(row.number, period, self.today)

    def record_report(self, number: str, period: str, received_on: date) -> None:
        try:
            mark_report(self.store, number, period, received_on, self.actor)
        except Exception as exc:
            show_exception(self, exc)
        self.refresh()

    def ask_complaint(self) -> None:
        row = self._selected()
        if row is None:
            return
        content, ok = QInputDialog.getText(
            self, "登记投诉", f"{visible(row.platform_name)}：投诉内容"
        )
        if ok and content.strip():
            self.record_complaint(row.number, content)

    def record_complaint(self, number: str, content: str) -> str | None:
        try:
            warning = add_complaint(self.store, number, self.today, content, self.actor)
        except Exception as exc:
            show_exception(self, exc)
            return None
        if warning:
            QMessageBox.warning(self, "投诉", as_rich(warning))
        self.refresh()
        return warning

    def ask_revoke(self) -> None:
        row = self._selected()
        if row is None:
            return
        reason, ok = QInputDialog.getText(
            self, "撤销认定", f"撤销“{row.platform_name}”的认定（{self.today.isoformat()}）。理由："
        )
        if ok:
            self.record_revoke(row.number, reason)

    def record_revoke(self, number: str, reason: str) -> None:
        try:
            revoke(self.store, number, self.today, reason, self.actor)
        except Exception as exc:
            show_exception(self, exc)
        self.refresh()
