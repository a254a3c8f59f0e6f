"""例外认定: recording 拟认定 the record does not support, with the reason it is an exception."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.scoring.approval import MIN_OVERRIDE_CHARS, ApprovalRefused
from sme_review_desktop.scoring.decisions import decide
from sme_review_desktop.store.database import Store
from sme_review_desktop.ui.messages import show_exception


class ExceptionDialog(QDialog):
    """Shows every unmet condition; OK only once the reason has MIN_OVERRIDE_CHARS characters."""

    def __init__(self, platform_name: str, refusal: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("例外认定")
        self.setMinimumWidth(560)
        head = QLabel(f"“{platform_name}”不满足拟认定的条件：")
        head.setWordWrap(True)
        what = QLabel(refusal)  # plain text: the message names applicants' data
        what.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(
            f"例外认定的理由（不少于{MIN_OVERRIDE_CHARS}字），将记入会议纪要、评审意见表和审计日志"
        )
        self.count = QLabel()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("例外认定")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        layout = QVBoxLayout(self)
        for w in (head, what, self.reason, self.count, self.buttons):
            layout.addWidget(w)
        self._update()

    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def _update(self) -> None:
        n = len(self.text())
        self.count.setText(f"已写{n}字，至少{MIN_OVERRIDE_CHARS}字")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(n >= MIN_OVERRIDE_CHARS)


def approve_or_ask(
    parent: QWidget,
    store: Store,
    round_id: int,
    uscc: str,
    platform_name: str,
    reason: str,
    actor: str,
    *,
    expected_revision: int | None = None,
    ask: Callable[[ExceptionDialog], int] | None = None,
) -> bool:
    """Record 拟认定; when the record refuses it, offer 例外认定 (unless it is a legal bar).

    ``ask`` runs the dialog (tests pass one that fills it in); returns whether it was written.
    """
    try:
        decide(
            store,
            round_id,
            uscc,
            "approved",
            reason,
            actor,
            expected_revision=expected_revision,
        )
        return True
    except ApprovalRefused as refused:
        if not refused.overridable:
            show_exception(parent, refused)
            return False
        dialog = ExceptionDialog(platform_name, refused.message, parent)
        if (ask or (lambda d: d.exec()))(dialog) != QDialog.DialogCode.Accepted:
            return False
        try:
            decide(
                store,
                round_id,
                uscc,
                "approved",
                reason,
                actor,
                expected_revision=expected_revision,
                override=dialog.text(),
            )
            return True
        except Exception as exc:
            show_exception(parent, exc)
            return False
