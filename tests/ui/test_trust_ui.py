"""工具 menu (备份与恢复, 完整性检查, 审计记录), 评审 → 更正, and the app's writer lock."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from approval_helpers import approve
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sme_review_desktop.models import Decision, EvidenceBlob
from sme_review_desktop.publicity.service import start_publicity
from sme_review_desktop.store import backups
from sme_review_desktop.store.audit_view import audit_rows
from sme_review_desktop.store.evidence import EvidenceStore
from sme_review_desktop.ui import app as app_module
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.trust import actions
from sme_review_desktop.ui.trust.audit_window import AuditWindow
from sme_review_desktop.ui.trust.backup_dialog import BackupDialog
from sme_review_desktop.ui.trust.correction_dialog import CorrectionDialog
from sme_review_desktop.ui.trust.integrity_dialog import IntegrityDialog


def _menu(window: MainWindow, title: str) -> list[str]:
    for action in window.menuBar().actions():
        if action.text() == title:
            menu = action.menu()
            return [a.text() for a in menu.actions() if a.text()]  # type: ignore[union-attr]
    raise AssertionError(f"no menu {title}")


def _approve_and_publish(window: MainWindow, n: int = 2) -> list[str]:
    codes = [window.list.model.summary(r).uscc for r in range(n)]
    for code in codes:
        approve(window.store, 1, code, "评审合格", "组长")
    start_publicity(window.store, 1, date(2026, 9, 28), "秘书")
    return codes


def _decision_shown(window: MainWindow, uscc: str) -> str | None:
    for row in range(window.list.model.rowCount()):
        summary = window.list.model.summary(row)
        if summary.uscc == uscc:
            return summary.decision
    return None


def test_the_tools_menu_and_the_correction_entry(main_window: MainWindow) -> None:
    assert _menu(main_window, "工具(&T)") == [
        "备份与恢复…",
        "完整性检查…",
        "审计记录…",
        "核验证书…",
        "选项…",
    ]
    assert "更正（结果公示后）…" in _menu(main_window, "评审(&R)")


def test_backup_then_restore_from_the_dialog(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *a: QMessageBox.StandardButton.Ok)
    codes = _approve_and_publish(main_window)
    dialog = actions.open_backup(main_window, main_window)
    assert isinstance(dialog, BackupDialog)
    qtbot.addWidget(dialog)
    assert dialog.list.topLevelItemCount() >= 1  # the demo import's 导入前 backup is listed
    archive = tmp_path / "备份.zip"
    with qtbot.waitSignal(dialog.backup_to(archive).finished, timeout=30_000):
        pass
    assert backups.verify_archive(archive).ok

    # A later correction, then the restore undoes it; the window keeps working on the same store.
    from sme_review_desktop.scoring.corrections import correct_decision

    correct_decision(main_window.store, 1, codes[0], "rejected", "公示期间收到举报并查实", "组长")
    main_window.reload_dossiers()
    qtbot.waitUntil(lambda: _decision_shown(main_window, codes[0]) == "rejected", timeout=15_000)
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    with qtbot.waitSignal(dialog.restored, timeout=30_000):
        dialog.check_then_restore(archive)
    assert asked and "完整，可以恢复" in asked[0]
    with main_window.store.read() as session:
        assert sorted(session.scalars(select(Decision.decision))) == ["approved", "approved"]
        actions_logged = [r.action for r in audit_rows(session)]
    assert actions_logged[0] == "backup.restore"
    # the main window shows the restored data without a restart
    qtbot.waitUntil(lambda: _decision_shown(main_window, codes[0]) == "approved", timeout=15_000)


def test_a_damaged_archive_is_refused_in_the_dialog(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    dialog = actions.open_backup(main_window, main_window)
    assert isinstance(dialog, BackupDialog)
    qtbot.addWidget(dialog)
    bad = tmp_path / "坏.zip"
    bad.write_bytes(b"PK\x03\x04 not really a backup")
    task = dialog.check_then_restore(bad)
    qtbot.waitUntil(lambda: bool(warned), timeout=15_000)
    assert "不能恢复" in warned[0] or "不是" in warned[0]
    assert not task.cancelled


def test_integrity_check_passes_then_names_a_tampered_file(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    dialog = actions.open_integrity(main_window, main_window)
    assert isinstance(dialog, IntegrityDialog)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=30_000)
    assert dialog.report is not None and dialog.report.ok
    assert "检查通过" in dialog.verdict.text()
    with main_window.store.read() as session:
        sha = session.scalars(select(EvidenceBlob.sha256)).first()
    assert sha is not None
    path = EvidenceStore(main_window.store.evidence_dir).blob_path(sha)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes() + b"tampered")
    again = actions.open_integrity(main_window, main_window)
    assert isinstance(again, IntegrityDialog)
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.report is not None, timeout=30_000)
    assert again.report is not None and not again.report.ok
    assert "发现问题" in again.verdict.text() and sha[:16] in again.text.toPlainText()


def test_audit_log_per_round_per_dossier_filter_and_export(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    codes = _approve_and_publish(main_window)
    window = actions.open_audit(main_window, main_window)
    assert isinstance(window, AuditWindow)
    qtbot.addWidget(window)
    with main_window.store.read() as session:
        expected = audit_rows(session, 1)
    qtbot.waitUntil(lambda: window.model.rowCount() == len(expected), timeout=15_000)
    assert window.proxy.index(0, 2).data() == expected[0].label == "公示"
    window.search.setText("认定决定")
    assert window.proxy.rowCount() == 2
    assert "共 2 条" in window.count.text()
    target = tmp_path / "审计.xlsx"
    with qtbot.waitSignal(window.export_to(target).finished, timeout=15_000):
        pass
    ws = load_workbook(target).active
    assert ws is not None and ws.max_row == len(expected) + 2

    dossier = main_window.open_dossier(main_window.list.model.summary(0).dossier_id)
    assert dossier is not None
    qtbot.addWidget(dossier)
    one = dossier.show_audit()  # type: ignore[attr-defined]
    qtbot.addWidget(one)
    qtbot.waitUntil(lambda: one.model.rowCount() > 0, timeout=15_000)
    assert {r.uscc for r in one.model.rows} == {codes[0]}


def test_correction_dialog_needs_a_reason_then_corrects(
    qtbot: QtBot, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    codes = _approve_and_publish(main_window)
    main_window.list.table.selectRow(1)
    dialog = actions.open_correction(main_window, main_window)
    assert isinstance(dialog, CorrectionDialog)
    qtbot.addWidget(dialog)
    assert dialog.dossier.currentData() == codes[1]  # the selected dossier is preselected
    dialog.decision.setCurrentIndex(dialog.decision.findData("rejected"))
    assert not dialog.submit() and "理由" in warned[-1]
    dialog.reason.setPlainText("公示期间收到实名举报并经核实")
    assert dialog.submit()
    with main_window.store.read() as session:
        rows = audit_rows(session, 1)
        decisions = sorted(session.scalars(select(Decision.decision)))
    assert decisions == ["approved", "rejected"]
    assert rows[0].action == "correction.decision" and rows[0].uscc == codes[1]
    # a score correction needs an expert who scored; with none the service says so
    dialog2 = actions.open_correction(main_window, main_window)
    assert isinstance(dialog2, CorrectionDialog)
    qtbot.addWidget(dialog2)
    dialog2.kind.setCurrentIndex(1)
    dialog2.reason.setPlainText("录入错误需要更正")
    assert not dialog2.submit()
    assert dialog2.points and all(isinstance(b.value(), float) for b in dialog2.points.values())


def test_the_app_refuses_a_store_another_program_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text('{"reviewer_name": "张评审"}', encoding="utf-8")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from pathlib import Path; from sme_review_desktop.store.lock import acquire;"
            f"l = acquire(Path({str(data)!r})); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: said.append(text))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert app_module.run(data) == 2
    finally:
        holder.kill()
        holder.wait()
    assert said and "正由" in said[0] and str(holder.pid) in said[0]
    assert not (data / "store.sqlite3").exists()  # refused before the database was touched
