"""The 工具 menu and 评审 → 更正: opening the trust windows for the main window.

Each takes the parent widget and the :class:`Host` (the main window seen through what these
dialogs need of it); a restore announces ``store_replaced`` and every window handles that.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.rounds import get_round
from sme_review_desktop.rules.rulebook import get_rulebook
from sme_review_desktop.scoring.experts import expert_names
from sme_review_desktop.scoring.scheme import scheme_specs
from sme_review_desktop.ui.changes import hub_for
from sme_review_desktop.ui.host import Host


def open_backup(parent: QWidget, window: Host) -> QWidget | None:
    if not window.ensure_reviewer():
        return None
    from sme_review_desktop.ui.trust.backup_dialog import BackupDialog

    dialog = BackupDialog(window.store, window.settings, window.actor, parent)
    dialog.restored.connect(hub_for(window.store).store_replaced)
    dialog.show()
    return dialog


def open_integrity(parent: QWidget, window: Host) -> QWidget:
    from sme_review_desktop.ui.trust.integrity_dialog import IntegrityDialog

    dialog = IntegrityDialog(window.store, parent)
    dialog.show()
    dialog.start()
    return dialog


def open_audit(parent: QWidget, window: Host) -> QWidget | None:
    round_id = window.current_round()
    if round_id is None:
        QMessageBox.information(parent, "审计记录", "请先选择一个认定批次。")
        return None
    from sme_review_desktop.ui.trust.audit_window import AuditWindow

    dialog = AuditWindow(window.store, window.current_round_name(), parent, round_id=round_id)
    dialog.show()
    return dialog


def open_correction(parent: QWidget, window: Host) -> QWidget | None:
    round_id = window.current_round()
    if round_id is None:
        QMessageBox.information(parent, "更正", "请先选择一个认定批次。")
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
        parent,
        uscc=window.selected_uscc(),
    )
    dialog.show()
    return dialog
