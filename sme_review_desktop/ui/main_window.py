"""The main window: rounds and their dossiers; it composes panels and dialogs, nothing more."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from sme_review_desktop.importing.limits import ImportLimits
from sme_review_desktop.overview.dossier_list import DossierSummary, dossier_summaries
from sme_review_desktop.rounds import create_round, list_rounds
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.app import APP_TITLE
from sme_review_desktop.ui.dossier_model import SUMMARY_ROLE, DossierFilterProxy, DossierTableModel
from sme_review_desktop.ui.messages import show_exception
from sme_review_desktop.ui.tasks import run_task


class DossierTable(QTableView):
    """The dossier list; folders, zips and workbooks dropped on it are imported."""

    def __init__(self, on_drop: Callable[[list[Path]], None]) -> None:
        super().__init__()
        self._on_drop = on_drop
        self.setAcceptDrops(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self._on_drop(paths)


class MainWindow(QMainWindow):
    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings.load(store.data_dir)
        self.dossier_windows: dict[int, QWidget] = {}
        self.round_windows: list[QWidget] = []
        self.setWindowTitle(APP_TITLE)
        self.resize(1280, 720)
        self._build_widgets()
        self._build_menus()
        self.reload_rounds()

    # construction -------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.rounds = QComboBox()
        self.rounds.setMinimumContentsLength(24)
        self.new_round_button = QPushButton("新建批次…")
        self.suggestion_filter = QComboBox()
        for label, value in (
            ("全部建议", ""),
            ("不符合", "unmet"),
            ("待核", "review"),
            ("符合", "met"),
        ):
            self.suggestion_filter.addItem(label, value)
        self.county_filter = QComboBox()
        self.county_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # Wide enough for 「全部县（市、区）」 and the longest county.
        self.county_filter.setMinimumContentsLength(6)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：平台、单位、信用代码或拼音首字母（如 lq）")
        self.search.setClearButtonEnabled(True)
        self.model = DossierTableModel()
        self.proxy = DossierFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.table = DossierTable(self.import_paths)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((220, 210, 90, 60, 55, 90, 70, 90, 60, 80)):
            self.table.setColumnWidth(col, width)
        self.loading = QProgressBar()
        self.loading.setRange(0, 0)
        self.loading.setMaximumWidth(160)
        self.loading.hide()
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(QLabel("认定批次："))
        bar.addWidget(self.rounds, 2)
        bar.addWidget(self.new_round_button)
        bar.addSpacing(12)
        bar.addWidget(self.suggestion_filter)
        bar.addWidget(self.county_filter)
        bar.addWidget(self.search, 2)
        # A chart of the 概览 can narrow the list to the dossiers behind one bar (show_only).
        self._only_round: int | None = None
        self.only_label = QLabel()
        self.only_label.setStyleSheet("font-weight: bold; color: #8a5a00;")
        self.only_clear = QPushButton("× 清除筛选")
        self.only_clear.setToolTip("重新显示本批次的全部申报材料")
        only = QHBoxLayout()
        only.setContentsMargins(0, 0, 0, 0)
        only.addWidget(self.only_label)
        only.addWidget(self.only_clear)
        only.addStretch(1)
        self.only_bar = QWidget()
        self.only_bar.setLayout(only)
        self.only_bar.hide()
        layout = QVBoxLayout()
        layout.addLayout(bar)
        layout.addWidget(self.only_bar)
        layout.addWidget(self.table)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.reviewer_label = QLabel()
        self.statusBar().addWidget(self.reviewer_label)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.loading)
        self.statusBar().addPermanentWidget(QLabel(f"数据目录：{self.store.data_dir}"))
        self._show_reviewer()

        self.search.textChanged.connect(self._filter_changed)
        self.suggestion_filter.currentIndexChanged.connect(self._filter_changed)
        self.county_filter.currentIndexChanged.connect(self._filter_changed)
        self.rounds.currentIndexChanged.connect(self.reload_dossiers)
        self.new_round_button.clicked.connect(self.new_round)
        self.table.activated.connect(self._open_index)
        self.only_clear.clicked.connect(self.clear_only)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        self._action(file_menu, "新建认定批次…", self.new_round, QKeySequence.StandardKey.New)
        self._action(file_menu, "导入申报材料…", self.choose_import, QKeySequence("Ctrl+I"))
        self._action(
            file_menu, "导入文件夹…", self.choose_import_folder, QKeySequence("Ctrl+Shift+I")
        )
        self._action(file_menu, "导出申报模板…", self.export_template, None)
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
        from sme_review_desktop.ui.trust import actions as trust

        panel.addSeparator()
        self._action(panel, "更正（结果公示后）…", lambda: trust.open_correction(self), None)
        public = self.menuBar().addMenu("公示与名录(&P)")
        self._action(public, "公示与认定…", self.open_publicity, None)
        self._action(public, "示范平台名录…", self.open_register, None)
        self._action(public, "导入节假日安排…", self.import_holidays, None)
        self._action(public, "证书套打版式…", self.open_overlay_designer, None)
        from sme_review_desktop.ui.export_menu import ExportMenu

        self.exports = ExportMenu(self, self)
        self.exports.build(self.menuBar().addMenu("导出(&E)"))
        charts = self.menuBar().addMenu("统计(&S)")
        self._action(charts, "本批次概览…", self.open_overview, QKeySequence("Ctrl+Shift+O"))
        self._action(charts, "跨批次概览…", lambda: self.open_overview(all_rounds=True), None)
        tools = self.menuBar().addMenu("工具(&T)")
        self._action(tools, "备份与恢复…", lambda: trust.open_backup(self), None)
        self._action(tools, "完整性检查…", lambda: trust.open_integrity(self), None)
        self._action(tools, "审计记录…", lambda: trust.open_audit(self), None)
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
            self.model.set_rows([])
            self._update_count()
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
        if self._only_round is not None and self._only_round != round_id:
            self.clear_only()  # a chart's selection belongs to the round it was made in
        self.model.set_rows(rows)
        county = self.county_filter.currentData()
        self.county_filter.blockSignals(True)
        self.county_filter.clear()
        self.county_filter.addItem("全部县区", "")
        for c in self.model.counties():
            self.county_filter.addItem(c, c)
        self.county_filter.setCurrentIndex(max(0, self.county_filter.findData(county)))
        self.county_filter.blockSignals(False)
        self._filter_changed()

    def _load_failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self.loading.hide()
        show_exception(self, exc)

    def _filter_changed(self) -> None:
        self.proxy.set_filters(
            self.search.text(),
            self.suggestion_filter.currentData() or "",
            self.county_filter.currentData() or "",
        )
        self._update_count()

    def _update_count(self) -> None:
        self.count_label.setText(f"显示 {self.proxy.rowCount()} / 共 {self.model.rowCount()} 份")

    def show_only(self, round_id: int, dossier_ids: Iterable[int], label: str) -> None:
        """List only these dossiers of the round (a chart's bar), with 清除筛选 to undo it."""
        ids = frozenset(dossier_ids)
        self._only_round = round_id
        self.proxy.set_only(ids)
        self.only_label.setText(f"筛选：{label}（{len(ids)}份）")
        self.only_bar.show()
        if self.current_round() != round_id and (i := self.rounds.findData(round_id)) >= 0:
            self.rounds.setCurrentIndex(i)  # loads that round; the selection stays
        self._update_count()
        self.raise_()
        self.activateWindow()

    def clear_only(self) -> None:
        self._only_round = None
        self.proxy.set_only(None)
        self.only_bar.hide()
        self._update_count()

    def new_round(self) -> None:
        from sme_review_desktop.ui.round_dialog import NewRoundDialog
        from sme_review_desktop.ui.welcome import default_rulebook

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

    def _open_index(self, index: QModelIndex) -> None:
        summary = self.proxy.data(index, SUMMARY_ROLE)
        if isinstance(summary, DossierSummary):
            self.open_dossier(summary.dossier_id)

    def open_dossier(self, dossier_id: int) -> QWidget | None:
        if not self.ensure_reviewer():
            return None
        from sme_review_desktop.ui.workspace.dossier_window import DossierWindow

        window = self.dossier_windows.get(dossier_id)
        if window is None:
            window = DossierWindow(self.store, dossier_id, self.actor)
            window.changed.connect(self.reload_dossiers)
            window.destroyed.connect(lambda: self.dossier_windows.pop(dossier_id, None))
            self.dossier_windows[dossier_id] = window
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
        self.import_dialog.finished.connect(lambda _: self.reload_rounds())
        self.import_dialog.show()

    def export_template(self) -> None:
        from sme_review_desktop.exports.form_template import write_form
        from sme_review_desktop.rules.rulebook import all_rulebooks

        books = list(all_rulebooks().values())
        titles = [b.title for b in books]
        title, ok = QInputDialog.getItem(self, "导出申报模板", "依据办法：", titles, 0, False)
        if not ok:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "保存申报模板", "申报数据表.xlsx", "Excel 工作簿 (*.xlsx)"
        )
        if path:
            try:
                write_form(Path(path), books[titles.index(title)])
            except Exception as exc:
                show_exception(self, exc)
            else:
                self.statusBar().showMessage(f"已导出申报模板：{path}", 5000)

    def selected_uscc(self) -> str | None:
        index = self.table.currentIndex()
        summary = self.proxy.data(index, SUMMARY_ROLE) if index.isValid() else None
        return summary.uscc if isinstance(summary, DossierSummary) else None

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
        dialog.finished.connect(lambda _: self.reload_rounds())
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

    def import_holidays(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "导入节假日安排（放假与调休上班日期）", "", "节假日表 (*.xlsx *.csv)"
        )
        if not path or not self.ensure_reviewer():
            return
        from sme_review_desktop.publicity.holidays import import_holidays

        try:
            years = import_holidays(self.store, Path(path), self.actor)
        except Exception as exc:
            show_exception(self, exc)
            return
        QMessageBox.information(
            self, "节假日安排", f"已导入{'、'.join(map(str, years))}年的放假与调休安排。"
        )

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
        self.round_windows.append(widget)
        widget.destroyed.connect(lambda: self.reload_dossiers())
        if which == "meeting":
            widget.showFullScreen()
        else:
            widget.show()
        return widget

    # help ----------------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        from sme_review_desktop.ui.workspace.shortcuts import shortcuts_html

        QMessageBox.information(self, "快捷键", shortcuts_html())

    def show_about(self) -> None:
        from sme_review_desktop.ui.about import AboutDialog

        AboutDialog(self.store, self).exec()
