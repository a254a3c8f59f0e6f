"""Left pane: the measure's conditions as a tree, article → item → clause, with verdicts."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTreeView, QWidget

from sme_review_desktop.review.walkthrough import DECISIONS, Workspace
from sme_review_desktop.rules.engine import ItemResult
from sme_review_desktop.text.numbering import article_label, item_label
from sme_review_desktop.text.safe_text import as_rich

COLOURS = {
    "unmet": QColor("#b3261e"),
    "review": QColor("#8a5a00"),
    "met": QColor("#1b6e3a"),
    "fix": QColor("#6a3da8"),
}
ROLE_POS = Qt.ItemDataRole.UserRole + 1  # (item index, clause index or -1)


def decision_mark(decision: str | None) -> str:
    """A text mark as well as a colour: the meaning never rests on colour alone."""
    return {"met": "✔", "unmet": "✘", "fix": "？"}.get(decision or "", "○")


class ConditionTree(QTreeView):
    selected = Signal(int, int)  # item index, clause index (-1: the item)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_ = QStandardItemModel(self)
        self.setModel(self.model_)
        self.setHeaderHidden(True)
        # The whole clause is the row's text, elided at the pane's edge (wider pane, more
        # text), never cut at a fixed 28 characters; the tooltip holds it whole with the app's
        # reason. (A QTreeView cannot grow a row's height for wrapped text.)
        self.setUniformRowHeights(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.header().setStretchLastSection(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the walk-through
        # The tree never has the focus, so its selection is drawn in the inactive colour,
        # which on most styles is barely visible: draw it as if active.
        palette = self.palette()
        for role in (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText):
            palette.setColor(
                QPalette.ColorGroup.Inactive, role, palette.color(QPalette.ColorGroup.Active, role)
            )
        self.setPalette(palette)
        self._index: dict[tuple[int, int], QModelIndex] = {}
        self.current: tuple[int, int] | None = None
        self.clicked.connect(self._on_clicked)

    def populate(self, ws: Workspace, items: list[ItemResult]) -> None:
        self.model_.clear()
        self._index.clear()
        self.current = None
        articles: dict[int, QStandardItem] = {}
        for n, item in enumerate(items):
            art = articles.get(item.article)
            if art is None:
                art = QStandardItem(article_label(item.article))
                art.setSelectable(False)
                f = art.font()
                f.setBold(True)
                art.setFont(f)
                self.model_.appendRow(art)
                articles[item.article] = art
            node = QStandardItem()
            node.setData((n, -1), ROLE_POS)
            art.appendRow(node)
            for c in range(len(item.parts)):
                child = QStandardItem()
                child.setData((n, c), ROLE_POS)
                node.appendRow(child)
            self._index[(n, -1)] = node.index()
            for c in range(len(item.parts)):
                self._index[(n, c)] = node.child(c).index()
        self.refresh(ws, items)
        self.expandAll()

    def refresh(self, ws: Workspace, items: list[ItemResult]) -> None:
        for n, item in enumerate(items):
            node = self.model_.itemFromIndex(self._index[(n, -1)])
            decided = ws.item_decision(item)
            label = item_label(item.item) if item.item else "总体要求"
            node.setText(
                f"{decision_mark(decided)} {label} {item.title}  〔建议：{item.verdict.label}〕"
            )
            node.setForeground(QBrush(COLOURS[decided or item.verdict.value]))
            node.setToolTip(as_rich("\n".join(item.reasons)))
            for c, part in enumerate(item.parts):
                child = node.child(c)
                state = ws.check(item.article, item.item, part.id)
                suggestion = "需判断" if part.judge else part.verdict.label
                recheck = " ⚠需重新核对" if state.needs_recheck else ""
                child.setText(
                    f"{decision_mark(state.decision)} {part.text}"
                    f"  〔{suggestion}〕{' ' + DECISIONS[state.decision] if state.decision else ''}{recheck}"
                )
                child.setToolTip(as_rich(f"{part.text}\n{part.reason}"))
                if state.decision:
                    child.setForeground(QBrush(COLOURS[state.decision]))

    def select(self, item_index: int, clause_index: int) -> None:
        """Follow the walk-through: the current clause selected, its item marked ▶ in bold."""
        key = (item_index, clause_index) if (item_index, clause_index) in self._index else None
        key = key or ((item_index, -1) if (item_index, -1) in self._index else None)
        if key is None:
            return
        if self.current is not None and self.current[0] != item_index:
            self._mark(self.current[0], False)
        self._mark(item_index, True)
        self.current = key
        index = self._index[key]
        self.setExpanded(index.parent(), True)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def _mark(self, item_index: int, on: bool) -> None:
        node = self.model_.itemFromIndex(self._index[(item_index, -1)])
        font = node.font()
        font.setBold(on)
        node.setFont(font)
        node.setBackground(QBrush(QColor("#dbe7f7")) if on else QBrush())

    def _on_clicked(self, index: QModelIndex) -> None:
        pos = index.data(ROLE_POS)
        if pos is not None:
            self.selected.emit(*pos)
