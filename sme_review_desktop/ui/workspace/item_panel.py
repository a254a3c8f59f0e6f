"""Centre pane: the current item's text, the figures it uses, a decision per clause, a note."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.review.walkthrough import LinkInfo, Workspace
from sme_review_desktop.rules.engine import ItemResult, PartResult
from sme_review_desktop.rules.fields import field_catalogue
from sme_review_desktop.text.numbering import clause_label
from sme_review_desktop.text.safe_text import rich
from sme_review_desktop.ui.workspace.condition_tree import COLOURS, decision_mark
from sme_review_desktop.ui.workspace.shortcuts import key_of

CHOICES = (("met", "符合"), ("unmet", "不符合"), ("fix", "待补正"))


class ClauseRow(QFrame):
    """One clause: its words, the app's finding, three exclusive toggles, linked evidence."""

    decided = Signal(str, object)  # part id, decision or None
    open_link = Signal(object)  # LinkInfo
    remove_link = Signal(object)  # LinkInfo
    focused = Signal(str)

    def __init__(self, part: PartResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.part = part
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.links = QLabel()
        self.links.setWordWrap(True)
        self.links.linkActivated.connect(self._link_clicked)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # exclusive by hand, so a second click unticks
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for value, label in CHOICES:
            b = QPushButton(label)
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setMinimumWidth(64)
            self.group.addButton(b)
            self.buttons[value] = b
            b.clicked.connect(
                lambda checked, v=value: self.decided.emit(self.part.id, v if checked else None)
            )
            buttons.addWidget(b)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        layout.addWidget(self.links)
        self._links: dict[str, LinkInfo] = {}

    def show_state(
        self, decision: str | None, links: tuple[LinkInfo, ...], needs_recheck: bool, current: bool
    ) -> None:
        finding = (
            "〔需评审人判断〕"
            if self.part.judge
            else f"〔系统：{self.part.verdict.label}〕{rich(self.part.reason)}"
        )
        colour = COLOURS[self.part.verdict.value].name()
        recheck = (
            "<br><b style='color:#b3261e'>⚠ 补正材料中相关数据已变化，请重新核对</b>"
            if needs_recheck
            else ""
        )
        marker = "▶ " if current else ""
        self.text.setText(
            f"<b>{marker}{decision_mark(decision)} {rich(self.part.text)}</b><br>"
            f"<span style='color:{colour}'>{finding}</span>{recheck}"
        )
        style = "ClauseRow { border: 2px solid #3b6fb6; }" if current else ""
        if self.styleSheet() != style:  # a new style sheet re-polishes the whole row
            self.setStyleSheet(style)
        for value, button in self.buttons.items():
            button.setChecked(decision == value)
        self._links = {str(link.link_id): link for link in links}
        if links:
            parts = [
                f"<a href='open:{link.link_id}'>{rich(link.label)}</a> <a href='del:{link.link_id}'>[取消关联]</a>"
                for link in links
            ]
            self.links.setText("证明材料：" + "；".join(parts))
        else:
            self.links.setText("<span style='color:#777'>尚未关联证明材料</span>")

    def _link_clicked(self, href: str) -> None:
        action, _, key = href.partition(":")
        link = self._links.get(key)
        if link is not None:
            (self.open_link if action == "open" else self.remove_link).emit(link)


class ItemPanel(QScrollArea):
    decided = Signal(str, object)
    note_changed = Signal(str)
    open_link = Signal(object)
    remove_link = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        # The clauses' pane holds the focus during the walk-through (Esc comes back here), so
        # ↑/↓ are known to mean clauses and not a list that happened to keep the focus.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        body = QWidget()
        self.layout_ = QVBoxLayout(body)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.measure_text = QLabel()
        self.measure_text.setWordWrap(True)
        self.measure_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.clauses_box = QVBoxLayout()
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(f"审核意见（{key_of('note')} 编辑；自动保存）")
        self.note.setMaximumHeight(90)
        for w in (self.title, self.measure_text, self.figures, self.suggestion):
            self.layout_.addWidget(w)
        self.layout_.addLayout(self.clauses_box)
        self.layout_.addWidget(QLabel("审核意见："))
        self.layout_.addWidget(self.note)
        self.layout_.addStretch()
        self.setWidget(body)
        self.rows: list[ClauseRow] = []  # the current item's clauses
        self._pool: list[ClauseRow] = []  # every row made so far, the unused ones hidden
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(700)
        self._note_timer.timeout.connect(lambda: self.note_changed.emit(self.note.toPlainText()))
        self.note.textChanged.connect(self._note_timer.start)
        self._item: ItemResult | None = None

    def flush_note(self) -> None:
        if self._note_timer.isActive():
            self._note_timer.stop()
            self.note_changed.emit(self.note.toPlainText())

    def show_item(self, ws: Workspace, item: ItemResult, text: str, clause: int) -> None:
        rebuild = self._item is None or (self._item.article, self._item.item) != (
            item.article,
            item.item,
        )
        self._item = item
        self.title.setText(f"<h3>{clause_label(item.article, item.item)}　{rich(item.title)}</h3>")
        self.measure_text.setText(f"<div style='color:#333'>办法原文：{rich(text)}</div>")
        self.figures.setText(self._figures_html(ws, item))
        self.suggestion.setText(
            f"<b>系统建议：{item.verdict.label}</b>"
            + (
                "　<span style='color:#b3261e'>必备项</span>"
                if item.required
                else "　（不单独决定整体结论）"
            )
        )
        if rebuild:
            # Rows are kept and refilled from item to item: building, styling and laying out
            # new widgets on every J/K cost more than the rest of the step.
            while len(self._pool) < len(item.parts):
                row = ClauseRow(item.parts[len(self._pool)])
                row.decided.connect(self.decided)
                row.open_link.connect(self.open_link)
                row.remove_link.connect(self.remove_link)
                self.clauses_box.addWidget(row)
                self._pool.append(row)
            for n, row in enumerate(self._pool):
                if n < len(item.parts):
                    row.part = item.parts[n]
                row.setVisible(n < len(item.parts))
            self.rows = self._pool[: len(item.parts)]
            note = ws.check(item.article, item.item, "").note
            self.note.blockSignals(True)
            self.note.setPlainText(note)
            self.note.blockSignals(False)
        for n, (row, part) in enumerate(zip(self.rows, item.parts, strict=True)):
            state = ws.check(item.article, item.item, part.id)
            row.show_state(state.decision, state.links, state.needs_recheck, n == clause)
        if 0 <= clause < len(self.rows):
            self.ensureWidgetVisible(self.rows[clause])

    @staticmethod
    def _figures_html(ws: Workspace, item: ItemResult) -> str:
        fields = field_catalogue()
        keys: list[str] = []
        for cond in ws.rulebook.condition_items():
            if (cond.article, cond.item) == (item.article, item.item):
                for p in cond.parts:
                    keys += [k for k in p.fields_used() if k not in keys]
                if cond.function:
                    keys.insert(0, cond.function)
        if not keys:
            return "<span style='color:#777'>本项不涉及申报数据，由评审人依据证明材料判断。</span>"
        rows = []
        for key in keys:
            f = fields[key]
            value = ws.figures.get(key)
            raw = ws.raw.get(key)
            if value is None:
                shown = "<span style='color:#b3261e'>未填报</span>"
            elif isinstance(value, bool):
                shown = "是" if value else "否"
            else:
                shown = rich(str(value)) + rich(f.unit or "" if key != "uscc" else "")
            if raw and raw != str(value):
                shown += f"<span style='color:#777'>（原填：{rich(raw)}）</span>"
            rows.append(f"<tr><td>{rich(f.label)}</td><td><b>{shown}</b></td></tr>")
        return "<b>申报数据：</b><table cellpadding='3'>" + "".join(rows) + "</table>"
