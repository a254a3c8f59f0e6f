"""导出 menu: every document the app writes, each in a worker, PDFs offered for print preview."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from sme_review_desktop.store.database import Store
from sme_review_desktop.ui.export_task import ExportTask
from sme_review_desktop.ui.messages import show_error, show_exception

if TYPE_CHECKING:
    from sme_review_desktop.exports.certificates import OverlayLayout

PDF, XLSX = "PDF 文件 (*.pdf)", "Excel 工作簿 (*.xlsx)"
DOCX = "Word 文档（WPS 可打开） (*.docx)"


def is_docx(path: Path) -> bool:
    """A .docx target gets the Word version (exports/docx_export), to edit before stamping."""
    return path.suffix.lower() == ".docx"


class Host(Protocol):
    """What the menu needs from the main window."""

    store: Store

    def current_round(self) -> int | None: ...

    def selected_uscc(self) -> str | None: ...


class ExportMenu:
    def __init__(self, host: Host, widget: QWidget) -> None:
        self.host, self.widget = host, widget
        self.tasks: list[ExportTask] = []
        self.previews: list[QWidget] = []
        self.preview_after_export = True

    def build(self, menu: QMenu) -> None:
        items: list[tuple[str, Callable[[], object]]] = [
            ("评审意见表（所选申报）…", self.review_report),
            ("专家评分汇总表…", self.score_summary),
            ("会议纪要…", self.minutes),
            ("公示名单…", lambda: self.notice(final=False)),
            ("认定名单…", lambda: self.notice(final=True)),
            ("证书…", lambda: self.certificates(overlay=False)),
            ("证书套打（只打印可变内容）…", lambda: self.certificates(overlay=True)),
            ("套打校准页…", self.calibration),
            ("示范平台名录…", self.register),
            ("统计报告（PDF）…", self.stats_report),
        ]
        for text, slot in items:
            menu.addAction(text).triggered.connect(slot)

    # each export ---------------------------------------------------------------------------
    def _round(self) -> int | None:
        rid = self.host.current_round()
        if rid is None:
            show_error(self.widget, "请先选择一个认定批次。")
        return rid

    def ask(self, title: str, name: str, kinds: str) -> Path | None:
        path, chosen = QFileDialog.getSaveFileName(self.widget, title, name, kinds)
        if not path:
            return None
        target = Path(path)
        suffix = re.search(r"\*(\.\w+)", chosen)
        if not target.suffix and suffix:  # a name typed without one: the chosen type's
            target = target.with_name(target.name + suffix.group(1))
        return target

    def run(self, title: str, target: Path, export: Callable[[Path], object]) -> ExportTask:
        """Export to ``target`` in a worker; tests call this directly, without file dialogs."""
        task = ExportTask(self.widget, title, target, export)
        task.finished.connect(lambda path: self._done(title, path))
        task.failed.connect(lambda exc: show_exception(self.widget, exc))
        self.tasks.append(task)
        return task

    def _done(self, title: str, path: Path) -> None:
        status = getattr(self.widget, "statusBar", None)
        if status is not None:
            status().showMessage(f"已导出{title}：{path}", 8000)
        if path.suffix.lower() == ".pdf" and self.preview_after_export:
            answer = QMessageBox.question(
                self.widget, title, f"已导出：{path}\n\n现在打开打印预览吗？"
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.preview(path)

    def preview(self, path: Path) -> QWidget:
        from sme_review_desktop.ui.pdf_print import preview_dialog

        dialog = preview_dialog(path, self.widget)
        self.previews.append(dialog)
        dialog.show()
        return dialog

    def review_report(self) -> None:
        rid, uscc = self._round(), self.host.selected_uscc()
        if rid is None:
            return
        if uscc is None:
            show_error(self.widget, "请先在列表中选择一份申报材料。")
            return
        target = self.ask("导出评审意见表", f"评审意见表_{uscc}.pdf", f"{PDF};;{DOCX}")
        if target:
            from sme_review_desktop.exports.docx_export import write_report_docx
            from sme_review_desktop.exports.review_report import write_review_report

            store = self.host.store
            write = write_report_docx if is_docx(target) else write_review_report
            self.run("评审意见表", target, lambda p: write(store, rid, uscc, p))

    def score_summary(self) -> None:
        rid = self._round()
        target = rid is not None and self.ask("导出专家评分汇总表", "专家评分汇总表.xlsx", XLSX)
        if rid is not None and target:
            from sme_review_desktop.scoring.summary_xlsx import write_score_summary

            store = self.host.store
            self.run("专家评分汇总表", target, lambda p: write_score_summary(store, rid, p))

    def minutes(self) -> None:
        rid = self._round()
        kinds = f"{PDF};;{DOCX};;{XLSX}"
        target = rid is not None and self.ask("导出会议纪要", "会议纪要.pdf", kinds)
        if rid is not None and target:
            from sme_review_desktop.exports.docx_export import write_minutes_docx
            from sme_review_desktop.exports.minutes import write_minutes

            store = self.host.store
            write = write_minutes_docx if is_docx(target) else write_minutes
            self.run("会议纪要", target, lambda p: write(store, rid, p))

    def notice(self, *, final: bool) -> None:
        title = "认定名单" if final else "公示名单"
        rid = self._round()
        kinds = f"{PDF};;{DOCX};;{XLSX}"
        target = rid is not None and self.ask(f"导出{title}", f"{title}.pdf", kinds)
        if rid is not None and target:
            from sme_review_desktop.exports.docx_export import write_notice_docx
            from sme_review_desktop.exports.notice import write_notice

            store = self.host.store
            write = write_notice_docx if is_docx(target) else write_notice
            self.run(title, target, lambda p: write(store, rid, p, final=final))

    def certificates(self, *, overlay: bool) -> None:
        rid = self._round()
        name = "证书套打.pdf" if overlay else "证书.pdf"
        target = rid is not None and self.ask("导出证书", name, PDF)
        if rid is not None and target:
            from sme_review_desktop.exports.certificates import write_certificates

            store, layout = self.host.store, self._layout() if overlay else None
            self.run("证书", target, lambda p: write_certificates(store, rid, p, overlay=layout))

    def _layout(self) -> OverlayLayout:
        from sme_review_desktop.exports.certificates import OverlayLayout
        from sme_review_desktop.store.settings import Settings

        saved = Settings.load(self.host.store.data_dir).overlay_layout
        return OverlayLayout.from_json(saved) if saved else OverlayLayout()

    def calibration(self) -> None:
        target = self.ask("导出套打校准页", "套打校准页.pdf", PDF)
        if target:
            from sme_review_desktop.exports.certificates import calibration_page

            layout = self._layout()
            self.run("套打校准页", target, lambda p: calibration_page(p, layout))

    def register(self) -> None:
        target = self.ask("导出示范平台名录", "示范平台名录.xlsx", XLSX)
        if target:
            from sme_review_desktop.exports.register_xlsx import write_register

            store = self.host.store
            self.run("示范平台名录", target, lambda p: write_register(store, p, date.today()))

    def stats_report(self) -> None:
        """统计报告: the round's charts, each with a table of its numbers (A4 PDF)."""
        rid = self._round()
        target = rid is not None and self.ask("导出统计报告", "统计报告.pdf", PDF)
        if rid is not None and target:
            from sme_review_desktop.exports.stats_report import write_stats_report

            store = self.host.store
            self.run("统计报告", target, lambda p: write_stats_report(store, rid, p))
