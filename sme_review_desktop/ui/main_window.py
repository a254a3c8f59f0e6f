"""The main window: rounds and their dossiers; it composes panels and dialogs, nothing more."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)
from shiboken6 import isValid

from sme_review_desktop.importing.limits import ImportLimits
from sme_review_desktop.overview.dossier_list import DossierSummary, dossier_summaries
from sme_review_desktop.rounds import create_round, list_rounds
from sme_review_desktop.store.changes import Changes
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.branding import APP_TITLE
from sme_review_desktop.ui.changes import follow, hub_for
from sme_review_desktop.ui.dossier_list_panel import DossierListPanel
from sme_review_desktop.ui.messages import show_exception
from sme_review_desktop.ui.screen_fit import fit_to_screen
from sme_review_desktop.ui.tasks import run_task

# What the list shows: a change of any of these redraws it (debounced: a batch of writes, one
# reload).
LIST_KINDS = ("dossiers", "review", "scores", "decisions", "publicity", "register", "rounds")


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings.load(store.data_dir)
        self.dossier_windows: dict[int, QWidget] = {}  # one window per dossier
        self.round_windows: list[QWidget] = []
        self.setWindowTitle(APP_TITLE)
        fit_to_screen(self, 1280, 720)
        self._build_widgets()
        self._build_menus()
        self.reload_rounds()

    # construction -------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.rounds = QComboBox()
        self.rounds.setMinimumContentsLength(24)
        self.new_round_button = QPushButton("新建批次…")
        self.list = DossierListPanel([QLabel("认定批次："), self.rounds, self.new_round_button])
        self.setCentralWidget(self.list)
        self.loading = QProgressBar()
        self.loading.setRange(0, 0)
        self.loading.setMaximumWidth(160)
        self.loading.hide()
        self.count_label = QLabel()
        self.reviewer_label = QLabel()
        self.statusBar().addWidget(self.reviewer_label)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.loading)
        self.statusBar().addPermanentWidget(QLabel(f"数据目录：{self.store.data_dir}"))
        self._show_reviewer()
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(150)
        self._reload_timer.timeout.connect(self.reload_rounds)

        self.rounds.currentIndexChanged.connect(self.reload_dossiers)
        self.new_round_button.clicked.connect(self.new_round)
        self.list.open_requested.connect(self.open_dossier)
        self.list.table.dropped.connect(self.import_paths)
        self.list.counts_changed.connect(self._update_count)
        follow(self.store, self.on_changes)
        hub_for(self.store).store_replaced.connect(self.on_store_replaced)

    def on_changes(self, changes: Changes) -> None:
        """Another window, a worker or this one wrote: redraw the list if it shows that."""
        if isValid(self) and changes.touches(LIST_KINDS, self.current_round()):
            self._reload_timer.start()

    def on_store_replaced(self) -> None:
        """A restore swapped the store: windows showing the old data go; the list reloads."""
        if not isValid(self):
            return
        for w in list(self.dossier_windows.values()) + list(self.round_windows):
            if isValid(w):
                w.close()
        self.reload_rounds()

    def _build_menus(self) -> None:
        from sme_review_desktop.ui import file_actions as files

        file_menu = self.menuBar().addMenu("文件(&F)")
        self._action(file_menu, "新建认定批次…", self.new_round, QKeySequence.StandardKey.New)
        self._action(file_menu, "导入申报材料…", self.choose_import, QKeySequence("Ctrl+I"))
        self._action(
            file_menu, "导入文件夹…", self.choose_import_folder, QKeySequence("Ctrl+Shift+I")
        )
        self._action(file_menu, "导出申报模板…", lambda: files.export_template(self), None)
        file_menu.addSeparator()
        self._action(file_menu, "更改评审人姓名…", self.ask_reviewer_name, None)
        file_menu.addSeparator()
        self._action(file_menu, "退出", self.close, QKeySequence.StandardKey.Quit)
        panel = self.menuBar().addMenu("评审(&R)")
        self._action(panel, "评分方案…", lambda: self._round_dialog("scheme"), None)
        self._action(panel, "评审专家与回避…", lambda: self._round_dialog("experts"), None)
        self._action(
            panel, "专家评分录入…", lambda: self._round_dialog("grid"), QKeySequence("Ctrl+G")
        )
        self._action(
            panel, "评审会议（投影）…", lambda: self._round_dialog("meeting"), QKeySequence("F5")
        )
        from sme_review_desktop.ui import verify_dialog
        from sme_review_desktop.ui.trust import actions as trust

        panel.addSeparator()
        self._action(panel, "更正（结果公示后）…", lambda: trust.open_correction(self, self), None)
        public = self.menuBar().addMenu("公示与名录(&P)")
        self._action(public, "公示与认定…", self.open_publicity, None)
        self._action(public, "示范平台名录…", self.open_register, None)
        self._action(public, "导入节假日安排…", lambda: files.import_holidays(self, self), None)
        self._action(public, "证书套打版式…", self.open_overlay_designer, None)
        from sme_review_desktop.ui.export_menu import ExportMenu

        self.exports = ExportMenu(self, self)
        self.exports.build(self.menuBar().addMenu("导出(&E)"))
        charts = self.menuBar().addMenu("统计(&S)")
        self._action(charts, "本批次概览…", self.open_overview, QKeySequence("Ctrl+Shift+O"))
        self._action(charts, "跨批次概览…", lambda: self.open_overview(all_rounds=True), None)
        tools = self.menuBar().addMenu("工具(&T)")
        self._action(tools, "备份与恢复…", lambda: trust.open_backup(self, self), None)
        self._action(tools, "完整性检查…", lambda: trust.open_integrity(self, self), None)
        self._action(tools, "审计记录…", lambda: trust.open_audit(self, self), None)
        self._action(tools, "核验证书…", lambda: verify_dialog.open_verify(self, self.store), None)
        tools.addSeparator()
        self._action(tools, "选项…", self.open_settings, QKeySequence("Ctrl+,"))
        help_menu = self.menuBar().addMenu("帮助(&H)")
        from sme_review_desktop.ui.manual_viewer import open_manual

        self._action(help_menu, "用户手册", lambda: open_manual(self), None)
        self._action(
            help_menu, "快捷键", self.show_shortcuts, QKeySequence.StandardKey.HelpContents
        )
        self._action(help_menu, "关于", self.show_about, None)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # reviewer ------------------------------------------------------------------------------
    @property
    def actor(self) -> str:
        return self.settings.reviewer_name or "评审人"

    def _show_reviewer(self) -> None:
        name = self.settings.reviewer_name or "（未设置）"
        self.reviewer_label.setText(f"评审人：{name}")

    def ask_reviewer_name(self) -> bool:
        name, ok = QInputDialog.getText(
            self,
            "评审人姓名",
            "请输入您的姓名（记入每一条审核记录）：",
            text=self.settings.reviewer_name,
        )
        if ok and name.strip():
            self.settings.reviewer_name = name.strip()
            self.settings.save(self.store.data_dir)
            self._show_reviewer()
            return True
        return False

    def open_settings(self) -> QDialog:
        from sme_review_desktop.ui.settings_dialog import SettingsDialog

        url = self.store.engine.url
        current = (
            f"本机数据库（{self.store.data_dir}）"
            if self.store.is_sqlite
            else url.render_as_string(hide_password=True)
        )
        dialog = SettingsDialog(self.settings, self.store.data_dir, current, self)
        dialog.accepted.connect(self._show_reviewer)
        dialog.open()
        return dialog

    def ensure_reviewer(self) -> bool:
        return bool(self.settings.reviewer_name) or self.ask_reviewer_name()

    # rounds and dossiers -------------------------------------------------------------------
    def current_round(self) -> int | None:
        data = self.rounds.currentData()
        return int(data) if data is not None else None

    def reload_rounds(self, select: int | None = None) -> None:
        keep = select or self.current_round()
        self.rounds.blockSignals(True)
        self.rounds.clear()
        for info in list_rounds(self.store):
            self.rounds.addItem(
                f"{info.name}（{info.rulebook_title[:2]}，{info.dossier_count}份）", info.id
            )
        if keep is not None and (i := self.rounds.findData(keep)) >= 0:
            self.rounds.setCurrentIndex(i)
        self.rounds.blockSignals(False)
        self.reload_dossiers()

    def reload_dossiers(self) -> None:
        round_id = self.current_round()
        if round_id is None:
            self.list.clear()
            return
        self.loading.show()
        run_task(
            lambda: dossier_summaries(self.store, round_id),
            lambda rows: self._show_rows(round_id, rows),
            self._load_failed,
        )

    def _show_rows(self, round_id: int, rows: list[DossierSummary]) -> None:
        if not isValid(self):
            return  # the window was closed while its rows were loading
        self.loading.hide()
        if round_id != self.current_round():
            return  # the user moved on while this was loading
        self.list.set_rows(round_id, rows)

    def _load_failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self.loading.hide()
        show_exception(self, exc)

    def _update_count(self) -> None:
        shown, total = self.list.counts()
        self.count_label.setText(f"显示 {shown} / 共 {total} 份")

    def show_only(self, round_id: int, dossier_ids: Iterable[int], label: str) -> None:
        """List only these dossiers of the round (a chart's bar), with 清除筛选 to undo it."""
        self.list.show_only(round_id, dossier_ids, label)
        if self.current_round() != round_id and (i := self.rounds.findData(round_id)) >= 0:
            self.rounds.setCurrentIndex(i)  # loads that round; the selection stays
        self.raise_()
        self.activateWindow()

    def new_round(self) -> None:
        from sme_review_desktop.ui.reviewer_fields import default_rulebook
        from sme_review_desktop.ui.round_dialog import NewRoundDialog

        dialog = NewRoundDialog(self, default_rulebook=default_rulebook(self.settings.bureau))
        if not dialog.exec():
            return
        rulebook_id, name, ref = dialog.values()
        try:
            rid = create_round(self.store, rulebook_id, name, ref, self.actor)
        except Exception as exc:
            show_exception(self, exc)
            return
        self.reload_rounds(select=rid)

    def open_dossier(self, dossier_id: int) -> QWidget | None:
        if not self.ensure_reviewer():
            return None
        from sme_review_desktop.ui.workspace.dossier_window import DossierWindow

        window = self.dossier_windows.get(dossier_id)
        if window is None:
            window = DossierWindow(self.store, dossier_id, self.actor)
            self.dossier_windows[dossier_id] = window
        self._forget_closed()
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    # import and export ---------------------------------------------------------------------
    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "选择申报材料（zip压缩包或申报数据表）",
            "",
            "申报材料 (*.zip *.xlsx *.xls);;所有文件 (*)",
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择申报材料文件夹（单份或县区批量）")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> None:
        round_id = self.current_round()
        if round_id is None:
            QMessageBox.information(self, "导入申报材料", "请先新建或选择一个认定批次。")
            return
        if not self.ensure_reviewer():
            return
        from sme_review_desktop.ui.import_dialog import ImportDialog

        self.import_dialog = ImportDialog(
            self.store, round_id, paths, self.actor, self, ImportLimits.from_settings(self.settings)
        )
        self.import_dialog.show()

    def selected_uscc(self) -> str | None:
        summary = self.list.selected()
        return summary.uscc if summary is not None else None

    def current_round_name(self) -> str:
        return self.rounds.currentText()

    def _forget_closed(self) -> None:
        """Drop windows Qt has deleted (they delete themselves on close)."""
        self.dossier_windows = {k: w for k, w in self.dossier_windows.items() if isValid(w)}
        self.round_windows = [w for w in self.round_windows if isValid(w)]

    # publicity and register ----------------------------------------------------------------
    def open_publicity(self) -> QWidget | None:
        round_id = self.current_round()
        if round_id is None:
            QMessageBox.information(self, "公示与认定", "请先选择一个认定批次。")
            return None
        if not self.ensure_reviewer():
            return None
        from sme_review_desktop.ui.publicity_dialog import PublicityDialog

        dialog = PublicityDialog(self.store, round_id, self.actor, self)
        dialog.show()
        return dialog

    def open_register(self) -> QWidget | None:
        if not self.ensure_reviewer():
            return None
        from sme_review_desktop.ui.register_window import RegisterWindow

        window = RegisterWindow(self.store, self.actor)
        self.round_windows.append(window)
        window.show()
        return window

    def open_overview(self, *, all_rounds: bool = False) -> QWidget | None:
        """统计 → 概览: the charts of the current round, or of all rounds side by side."""
        round_id = None if all_rounds else self.current_round()
        if round_id is None and not all_rounds:
            QMessageBox.information(self, "概览", "请先选择一个认定批次。")
            return None
        from sme_review_desktop.ui.overview import OverviewWindow

        window = OverviewWindow(self.store, self, round_id)
        self.round_windows.append(window)
        window.show()
        return window

    def open_overlay_designer(self) -> QWidget:
        from sme_review_desktop.ui.overlay_designer import OverlayDesigner

        dialog = OverlayDesigner(self.store.data_dir, self.exports, self)
        dialog.show()
        return dialog

    # panel ---------------------------------------------------------------------------------
    def _round_dialog(self, which: str) -> QWidget | None:
        round_id = self.current_round()
        if round_id is None:
            QMessageBox.information(self, "评审", "请先新建或选择一个认定批次。")
            return None
        if not self.ensure_reviewer():
            return None
        from sme_review_desktop.ui.scoring.grid import ScoreGridWindow
        from sme_review_desktop.ui.scoring.meeting import MeetingWindow
        from sme_review_desktop.ui.scoring.panel_dialogs import ExpertsDialog, SchemeDialog

        widget: QWidget
        if which == "scheme":
            widget = SchemeDialog(self.store, round_id, self.actor, self)
        elif which == "experts":
            widget = ExpertsDialog(self.store, round_id, self.actor, self)
        elif which == "grid":
            widget = ScoreGridWindow(self.store, round_id, self.actor)
        else:
            widget = MeetingWindow(self.store, round_id, self.actor)
        self._forget_closed()
        self.round_windows.append(widget)
        if which == "meeting":
            widget.showFullScreen()
        else:
            widget.show()
        return widget

    # help ----------------------------------------------------------------------------------
    def show_shortcuts(self) -> QWidget:
        from sme_review_desktop.ui.workspace.shortcuts import show_shortcuts

        return show_shortcuts(self)

    def show_about(self) -> None:
        from sme_review_desktop.ui.about import AboutDialog

        AboutDialog(self.store, self).exec()
