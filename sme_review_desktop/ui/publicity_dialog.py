"""公示与认定: start publicity with its end date counted in working days, log objections, finalise."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.publicity.service import (
    add_objection,
    approvals_to_review,
    compute_period,
    finalize,
    publicity_state,
    settle_objection,
    start_publicity,
)
from sme_review_desktop.publicity.workdays import format_period
from sme_review_desktop.scoring.approval import FlaggedApproval
from sme_review_desktop.store.changes import Changes
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.safe_text import as_rich, visible
from sme_review_desktop.ui.changes import follow
from sme_review_desktop.ui.messages import show_exception


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PublicityDialog(QDialog):
    def __init__(
        self, store: Store, round_id: int, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("公示与认定")
        self.resize(900, 640)
        self.store, self.round_id, self.actor = store, round_id, actor

        self.summary = QLabel()
        self.start = QDateEdit(_qdate(date.today()))
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.days = QSpinBox()
        self.days.setRange(1, 60)
        self.days.setSuffix(" 个工作日")
        self.end = QLabel()
        self.end.setTextFormat(Qt.TextFormat.PlainText)
        self.end.setWordWrap(True)
        # The form keeps fields at their size hint, which for a wrapping label is too narrow
        # for 「2026-10-09，自9月28日至10月9日」: give the end date a line of its own width.
        self.end.setMinimumWidth(560)
        self.start_button = QPushButton("开始公示")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("公示开始日：", self.start)
        form.addRow("公示期：", self.days)
        form.addRow("截止日：", self.end)
        form.addRow("", self.start_button)
        period_box = QGroupBox("一、公示")
        period_box.setLayout(form)

        self.objections = QTableWidget(0, 5)
        self.objections.setHorizontalHeaderLabels(
            ["平台", "收到日期", "异议内容", "处理结果", "是否成立"]
        )
        self.objections.horizontalHeader().setStretchLastSection(True)
        self.objections.setColumnWidth(0, 200)
        self.objections.setColumnWidth(2, 240)
        self.objections.setColumnWidth(3, 200)
        self.objections.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.objections.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.platform = QComboBox()
        self.received = QDateEdit(_qdate(date.today()))
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd")
        self.content = QLineEdit()
        self.content.setPlaceholderText("异议内容")
        add = QPushButton("登记异议")
        settle = QPushButton("登记处理结果…")
        entry = QHBoxLayout()
        for w in (self.platform, self.received, self.content, add, settle):
            entry.addWidget(w)
        objection_box = QGroupBox("二、异议")
        ob = QVBoxLayout(objection_box)
        ob.addWidget(self.objections)
        ob.addLayout(entry)

        self.certified_on = QDateEdit(_qdate(date.today()))
        self.certified_on.setCalendarPopup(True)
        self.certified_on.setDisplayFormat("yyyy-MM-dd")
        self.finalize_button = QPushButton("认定并锁定批次…")
        self.outcome_label = QLabel()
        self.outcome_label.setTextFormat(Qt.TextFormat.PlainText)  # shows names: never read as HTML
        self.outcome_label.setWordWrap(True)
        final = QHBoxLayout()
        final.addWidget(QLabel("认定日期："))
        final.addWidget(self.certified_on)
        final.addWidget(self.finalize_button)
        final.addStretch(1)
        final_box = QGroupBox("三、认定")
        fb = QVBoxLayout(final_box)
        fb.addLayout(final)
        fb.addWidget(self.outcome_label)

        # Exceptions and approvals whose record changed since: shown before anything acts.
        self.flagged_label = QLabel()
        self.flagged_label.setTextFormat(Qt.TextFormat.PlainText)
        self.flagged_label.setWordWrap(True)
        self.flagged_label.setStyleSheet("color: #b3261e")
        self.flagged: list[FlaggedApproval] = []

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.flagged_label)
        layout.addWidget(period_box)
        layout.addWidget(objection_box, 1)
        layout.addWidget(final_box)

        self.start.dateChanged.connect(self._preview)
        self.days.valueChanged.connect(self._preview)
        self.start_button.clicked.connect(self.start_publicity)
        add.clicked.connect(self.add_objection)
        settle.clicked.connect(self.settle_selected)
        self.finalize_button.clicked.connect(self.confirm_finalize)
        self.refresh(first=True)
        follow(store, self.on_changes)

    def on_changes(self, changes: Changes) -> None:
        if changes.touches(("decisions", "publicity", "calendar"), self.round_id):
            self.refresh()

    def refresh(self, first: bool = False) -> None:
        state = publicity_state(self.store, self.round_id)
        self.state = state
        if first:
            self.days.setValue(state.period[2] if state.period else state.default_days)
            if state.period:
                self.start.setDate(_qdate(state.period[0]))
        status = "已认定并锁定" if state.locked else ("公示中" if state.period else "未公示")
        text = f"拟认定 {len(state.approved)} 家；状态：{status}"
        if state.period:
            text += f"；公示期{format_period(state.period[0], state.period[1])}"
        if state.locked:
            text += f"；已发证书 {state.certificates} 张"
        self.summary.setText(text)
        self.flagged = [] if state.locked else approvals_to_review(self.store, self.round_id)
        self.flagged_label.setText(self.flagged_text())
        self.flagged_label.setVisible(bool(self.flagged))
        self.platform.clear()
        for uscc, name in state.approved:
            self.platform.addItem(name, uscc)
        self.objections.setRowCount(len(state.objections))
        for r, o in enumerate(state.objections):
            upheld = {None: "处理中", True: "成立", False: "不成立"}[o.upheld]
            for c, text in enumerate(
                (o.platform_name, o.received_on.isoformat(), o.content, o.outcome, upheld)
            ):
                self.objections.setItem(r, c, QTableWidgetItem(text))
        for w in (self.start_button, self.finalize_button):
            w.setEnabled(not state.locked and bool(state.approved))
        self._preview()

    def _preview(self) -> None:
        period = compute_period(self.store, _pydate(self.start.date()), self.days.value())
        if period.end is None:
            self.end.setText("无法计算：" + "；".join(period.warnings))
            self.end.setStyleSheet("color:#b3261e")
            return
        self.end.setStyleSheet("")
        warn = "（" + "；".join(period.warnings) + "）" if period.warnings else ""
        self.end.setText(
            f"{period.end.isoformat()}，{format_period(period.start, period.end)}{warn}"
        )

    def flagged_text(self) -> str:
        if not self.flagged:
            return ""
        lines = [f"· {f.text}" for f in self.flagged]
        stale = any(f.stale for f in self.flagged)
        tail = "\n须重新确认的拟认定，请在评审会议中重新作出决定后再公示。" if stale else ""
        return "请注意以下拟认定：\n" + "\n".join(lines) + tail

    def confirm(self, title: str, text: str) -> bool:
        """Asks the user; tests replace it."""
        answer = QMessageBox.question(self, title, as_rich(text))  # names are data, not markup
        return answer == QMessageBox.StandardButton.Yes

    def start_publicity(self) -> None:
        self.flagged = approvals_to_review(self.store, self.round_id)
        if self.flagged and not self.confirm(
            "开始公示", self.flagged_text() + "\n\n仍要开始公示吗？"
        ):
            return
        try:
            info = start_publicity(
                self.store,
                self.round_id,
                _pydate(self.start.date()),
                self.actor,
                days=self.days.value(),
            )
        except Exception as exc:
            show_exception(self, exc)
            return
        self.certified_on.setDate(_qdate(info.end).addDays(1))
        self.refresh()

    def add_objection(self) -> None:
        uscc = self.platform.currentData()
        if not uscc:
            return
        try:
            add_objection(
                self.store,
                self.round_id,
                str(uscc),
                _pydate(self.received.date()),
                self.content.text(),
                self.actor,
            )
        except Exception as exc:
            show_exception(self, exc)
            return
        self.content.clear()
        self.refresh()

    def settle_selected(self) -> None:
        row = self.objections.currentRow()
        if row < 0:
            return
        objection = self.state.objections[row]
        outcome, ok = QInputDialog.getText(
            self, "处理结果", "核查与处理结果：", text=objection.outcome
        )
        if not ok:
            return
        choice, ok = QInputDialog.getItem(
            self, "处理结果", "异议是否成立：", ["不成立", "成立（不予认定）"], 0, False
        )
        if ok:
            self.settle(row, outcome, choice.startswith("成立"))

    def settle(self, row: int, outcome: str, upheld: bool) -> None:
        try:
            settle_objection(self.store, self.state.objections[row].id, outcome, upheld, self.actor)
        except Exception as exc:
            show_exception(self, exc)
        self.refresh()

    def confirm_finalize(self) -> None:
        self.flagged = approvals_to_review(self.store, self.round_id)
        before = self.flagged_text() + "\n\n" if self.flagged else ""
        if self.confirm(
            "认定并锁定",
            before + "认定后将编制证书编号、计算有效期，并锁定本批次的评审、评分和决定。确定吗？",
        ):
            self.finalize()

    def finalize(self) -> None:
        try:
            result = finalize(
                self.store, self.round_id, _pydate(self.certified_on.date()), self.actor
            )
        except Exception as exc:
            show_exception(self, exc)
            return
        lines = [f"{u}　{n}" for u, n in result.certified]
        lines += [f"{u}　未认定：{why}" for u, why in result.excluded]
        self.outcome_label.setText(visible("已认定：\n" + "\n".join(lines), keep_newlines=True))
        self.refresh()
