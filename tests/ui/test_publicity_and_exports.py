"""Publicity, finalisation, the register and the 导出 menu driven through the windows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from approval_helpers import approve
from pypdf import PdfReader
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from sme_review_desktop.exports.certificates import OverlayLayout
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.register.platforms import register_rows
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.overlay_designer import OverlayDesigner
from sme_review_desktop.ui.pdf_print import load_pdf, paint_pages
from sme_review_desktop.ui.publicity_dialog import PublicityDialog
from sme_review_desktop.ui.register_window import RegisterWindow


def _approve_two(store: Store) -> list[str]:
    rows = dossier_summaries(store, 1)[:2]
    for r in rows:
        approve(store, 1, r.uscc, "符合条件", "组长")
    return [r.uscc for r in rows]


def _finalised(qtbot: QtBot, store: Store) -> PublicityDialog:
    dialog = PublicityDialog(store, 1, "秘书")
    qtbot.addWidget(dialog)
    dialog.start.setDate(QDate(2026, 9, 28))
    assert "2026-10-09" in dialog.end.text()  # across National Day
    dialog.start_publicity()
    dialog.certified_on.setDate(QDate(2026, 10, 12))
    dialog.finalize()
    return dialog


def test_publicity_objection_and_finalisation(qtbot: QtBot, demo_store: Store) -> None:
    usccs = _approve_two(demo_store)
    dialog = PublicityDialog(demo_store, 1, "秘书")
    qtbot.addWidget(dialog)
    assert dialog.days.value() == 5  # 聊城 第十三条
    dialog.start.setDate(QDate(2026, 9, 28))
    assert "2026-10-09" in dialog.end.text() and "自9月28日至10月9日" in dialog.end.text()
    dialog.start_publicity()
    assert "公示中" in dialog.summary.text()
    assert dialog.certified_on.date() == QDate(2026, 10, 10)

    dialog.platform.setCurrentIndex(1)
    dialog.received.setDate(QDate(2026, 9, 30))
    dialog.content.setText("服务场所与申报不符")
    dialog.add_objection()
    assert dialog.objections.rowCount() == 1
    assert dialog.objections.item(0, 4).text() == "处理中"
    dialog.settle(0, "经现场核查属实", upheld=True)
    assert dialog.objections.item(0, 4).text() == "成立"

    dialog.certified_on.setDate(QDate(2026, 10, 12))
    dialog.finalize()
    assert "已认定并锁定" in dialog.summary.text()
    assert usccs[0] in dialog.outcome_label.text() and "异议成立" in dialog.outcome_label.text()
    assert not dialog.start_button.isEnabled() and not dialog.finalize_button.isEnabled()
    assert [r.uscc for r in register_rows(demo_store, date(2026, 10, 12))] == [usccs[0]]


def test_publicity_end_date_warns_for_a_year_without_holiday_data(
    qtbot: QtBot, demo_store: Store
) -> None:
    _approve_two(demo_store)
    dialog = PublicityDialog(demo_store, 1, "秘书")
    qtbot.addWidget(dialog)
    dialog.start.setDate(QDate(2031, 3, 2))
    assert "无法计算" in dialog.end.text() and "2031" in dialog.end.text()


def test_register_window_reports_complaints_and_revocation(qtbot: QtBot, demo_store: Store) -> None:
    _approve_two(demo_store)
    _finalised(qtbot, demo_store)
    window = RegisterWindow(demo_store, "秘书")
    qtbot.addWidget(window)
    window.as_of.setDate(QDate(2027, 1, 5))
    assert window.table.rowCount() == 2
    assert "逾期未报2份" in window.dashboard.text()  # 2026Q4 for both
    number = window.rows[0].number
    window.record_report(number, "2026Q4", date(2026, 12, 20))
    assert "逾期未报1份" in window.dashboard.text()
    window.record_complaint(number, "服务收费不规范")
    assert window.table.item(0, 8).text() == "1"
    window.record_revoke(number, "弄虚作假")
    row = next(r for r in range(2) if window.table.item(r, 0).text() == number)
    assert window.table.item(row, 5).text() == "已撤销"


def test_export_menu_writes_in_a_worker_and_previews(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    _approve_two(main_window.store)
    _finalised(qtbot, main_window.store)
    exports = main_window.exports
    exports.preview_after_export = False
    from sme_review_desktop.exports.certificates import write_certificates
    from sme_review_desktop.exports.notice import write_notice

    store = main_window.store
    notice = tmp_path / "认定名单.pdf"
    task = exports.run("认定名单", notice, lambda p: write_notice(store, 1, p, final=True))
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    assert notice.exists() and not list(tmp_path.glob(".*exporting*"))
    certs = tmp_path / "证书.pdf"
    task = exports.run("证书", certs, lambda p: write_certificates(store, 1, p))
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    assert len(PdfReader(certs).pages) == 2

    # A cancelled export leaves the target as it was.
    certs.write_bytes(b"old")
    task = exports.run("证书", certs, lambda p: write_certificates(store, 1, p))
    task.progress.cancel()
    qtbot.waitUntil(lambda: not list(tmp_path.glob(".*exporting*")), timeout=20_000)
    from sme_review_desktop.ui.tasks import wait_for_tasks

    wait_for_tasks()
    qtbot.wait(50)
    assert certs.read_bytes() == b"old"

    # Print preview pages are rendered at true size onto the printer.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    document = load_pdf(notice, main_window)
    paint_pages(document, printer)
    assert len(PdfReader(printed).pages) == document.pageCount() >= 2
    dialog = exports.preview(notice)
    qtbot.addWidget(dialog)


def test_menus_name_every_export(main_window: MainWindow) -> None:
    titles = [a.text() for a in main_window.menuBar().actions()]
    assert "导出(&E)" in titles and "公示与名录(&P)" in titles
    export_menu = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "导出(&E)")
    names = [a.text() for a in export_menu.actions()]
    for expected in ("评审意见表（所选申报）…", "公示名单…", "认定名单…", "证书…", "示范平台名录…"):
        assert expected in names


def test_overlay_designer_saves_layout_and_offsets(qtbot: QtBot, main_window: MainWindow) -> None:
    dialog = OverlayDesigner(main_window.store.data_dir, main_window.exports)
    qtbot.addWidget(dialog)
    dialog.spins["holder"][0].setValue(52.5)
    dialog.offset_x.setValue(-1.5)
    dialog.save()
    saved = OverlayLayout.from_json(Settings.load(main_window.store.data_dir).overlay_layout)
    assert saved.holder.x == 52.5 and saved.offset_x == -1.5
