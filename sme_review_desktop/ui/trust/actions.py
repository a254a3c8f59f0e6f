"""The 工具 menu and 评审 → 更正: opening the trust windows from the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.experts import expert_names
from sme_review_desktop.scoring.scheme import scheme_specs

if TYPE_CHECKING:
    from sme_review_desktop.ui.main_window import MainWindow


def open_backup(window: MainWindow) -> QWidget | None:
    if not window.ensure_reviewer():
        return None
    from sme_review_desktop.ui.trust.backup_dialog import BackupDialog

    dialog = BackupDialog(window.store, window.settings, window.actor, window)
    dialog.restored.connect(lambda: _after_restore(window))
    dialog.show()
    return dialog


def _after_restore(window: MainWindow) -> None:
    # The engine reconnects to the restored file; windows showing the old data must go.
    for w in list(window.dossier_windows.values()) + list(window.round_windows):
        w.close()
    window.reload_rounds()


def open_integrity(window: MainWindow) -> QWidget:
    from sme_review_desktop.ui.trust.integrity_dialog import IntegrityDialog

    dialog = IntegrityDialog(window.store, window)
    dialog.show()
    dialog.start()
    return dialog


def open_audit(window: MainWindow) -> QWidget | None:
    round_id = window.current_round()
    if round_id is None:
        QMessageBox.information(window, "审计记录", "请先选择一个认定批次。")
        return None
    from sme_review_desktop.ui.trust.audit_window import AuditWindow

    dialog = AuditWindow(window.store, window.rounds.currentText(), window, round_id=round_id)
    dialog.show()
    return dialog


def open_correction(window: MainWindow) -> QWidget | None:
    round_id = window.current_round()
    if round_id is None:
        QMessageBox.information(window, "更正", "请先选择一个认定批次。")
        return None
    if not window.ensure_reviewer():
        return None
    from sme_review_desktop.ui.trust.correction_dialog import CorrectionDialog

    with window.store.read() as session:
        decisions = list(get_rulebook(get_round(session, round_id).rulebook_id).procedure.decisions)
    specs, _frozen = scheme_specs(window.store, round_id)
    dialog = CorrectionDialog(
        window.store,
        round_id,
        window.actor,
        dossier_summaries(window.store, round_id),
        expert_names(window.store, round_id),
        specs,
        decisions,
        window,
        uscc=window.selected_uscc(),
    )
    dialog.accepted.connect(window.reload_dossiers)
    dialog.show()
    return dialog
