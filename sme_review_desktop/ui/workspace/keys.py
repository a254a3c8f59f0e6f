"""The walk-through's keys, scoped by focus so none of them is a trap.

J/K move between items wherever the focus is; ↑/↓ move within the pane that has the focus
(clauses, the evidence files, the measure's text); E goes to the evidence list and Esc comes
back. A reviewer who pressed E and then ↓ means the next *file*: moving the clause instead
made the following L link that file to the wrong clause.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractSlider, QApplication, QMenuBar, QWidget

from sme_review_desktop.ui.workspace.evidence_panel import EvidencePanel
from sme_review_desktop.ui.workspace.item_panel import ItemPanel
from sme_review_desktop.ui.workspace.measure_pane import MeasurePane
from sme_review_desktop.ui.workspace.shortcuts import SHORTCUTS, install_help_key, show_shortcuts


class DossierWindow(Protocol):
    """What the keys act on (the dossier window; a protocol, so this module does not import
    the window that imports it)."""

    item_index: int
    evidence: EvidencePanel
    item_panel: ItemPanel
    measure: MeasurePane

    def go_to(self, item_index: int, clause_index: int) -> None: ...
    def move_clause(self, step: int) -> None: ...
    def decide(self, decision: str | None) -> None: ...
    def accept_suggestions(self) -> None: ...
    def focus_evidence(self) -> None: ...
    def toggle_measure(self) -> None: ...
    def mark_complete(self) -> None: ...
    def menuBar(self) -> QMenuBar: ...


def _within(widget: QWidget | None, pane: QWidget) -> bool:
    while widget is not None:
        if widget is pane:
            return True
        widget = widget.parentWidget()
    return False


def arrow(window: DossierWindow, step: int) -> None:
    """↑/↓: the focused pane decides what moves."""
    focus = QApplication.focusWidget()
    if _within(focus, window.evidence.tree):
        window.evidence.step_file(step)
    elif _within(focus, window.measure):
        action = (
            QAbstractSlider.SliderAction.SliderSingleStepAdd
            if step > 0
            else QAbstractSlider.SliderAction.SliderSingleStepSub
        )
        window.measure.verticalScrollBar().triggerAction(action)
    else:
        window.move_clause(step)


def back(window: DossierWindow) -> None:
    """Esc: from the evidence list, the measure or the note back to the clauses."""
    window.item_panel.flush_note()
    window.item_panel.setFocus()


def bind(window: DossierWindow) -> dict[str, QShortcut]:
    handlers: dict[str, Callable[[], object]] = {
        "next_item": lambda: window.go_to(window.item_index + 1, 0),
        "prev_item": lambda: window.go_to(window.item_index - 1, 0),
        "next_clause": lambda: arrow(window, 1),
        "prev_clause": lambda: arrow(window, -1),
        "met": lambda: window.decide("met"),
        "unmet": lambda: window.decide("unmet"),
        "fix": lambda: window.decide("fix"),
        "clear": lambda: window.decide(None),
        "accept": window.accept_suggestions,
        "evidence": window.focus_evidence,
        "back": lambda: back(window),
        "link": window.evidence.link_current,
        "note": window.item_panel.note.setFocus,
        "measure": window.toggle_measure,
        "complete": window.mark_complete,
    }
    shortcuts: dict[str, QShortcut] = {}
    for name, key, _text in SHORTCUTS:
        if name in handlers:
            sc = QShortcut(QKeySequence(key), window)  # type: ignore[call-overload]
            sc.activated.connect(handlers[name])
            shortcuts[name] = sc
    install_help_key()
    return shortcuts


def help_action(window: DossierWindow) -> None:
    """The 帮助 menu the status bar points to; F1 itself is the application-wide key."""
    menu = window.menuBar().addMenu("帮助(&H)")
    action = menu.addAction("快捷键（F1）")
    action.triggered.connect(lambda: show_shortcuts(window))  # type: ignore[arg-type]
