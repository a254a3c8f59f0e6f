"""The dossier view: conditions tree | current item | evidence, with the measure's text docked.

Navigation only repaints; every tick, note or link is an undoable command that writes through
the review service at once, then the window reloads the dossier's state.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.errors import UserError
from sme_review_desktop.review import walkthrough as review
from sme_review_desktop.review.finding_record import round_findings
from sme_review_desktop.review.walkthrough import LinkInfo, Workspace
from sme_review_desktop.rules.engine import ItemResult
from sme_review_desktop.store.atomic import atomic_path
from sme_review_desktop.store.changes import Changes
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.evidence import EvidenceCorrupt, EvidenceStore
from sme_review_desktop.text.numbering import clause_label
from sme_review_desktop.text.safe_text import as_rich, rich, visible
from sme_review_desktop.ui.changes import follow
from sme_review_desktop.ui.messages import show_exception
from sme_review_desktop.ui.screen_fit import fit_to_screen, remember_splitter
from sme_review_desktop.ui.workspace import keys
from sme_review_desktop.ui.workspace.commands import (
    LinkEvidence,
    SetDecision,
    SetNote,
    StoreCommand,
    UnlinkEvidence,
)
from sme_review_desktop.ui.workspace.condition_tree import ConditionTree
from sme_review_desktop.ui.workspace.evidence_panel import EvidencePanel
from sme_review_desktop.ui.workspace.item_panel import ItemPanel
from sme_review_desktop.ui.workspace.measure_pane import MeasurePane


class DossierWindow(QMainWindow):
    def __init__(
        self, store: Store, dossier_id: int, actor: str, version: int | None = None
    ) -> None:
        super().__init__()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.store, self.dossier_id, self.actor = store, dossier_id, actor
        self.undo_stack = QUndoStack(self)
        self.ws: Workspace = review.load_workspace(store, dossier_id, version)
        self.items: list[ItemResult] = self.ws.items()
        self.item_index = 0
        self.clause_index = 0
        fit_to_screen(self, 1366, 740)
        self._build()
        self._bind_keys()
        self._load_version_widgets()
        self.show_current()
        self.item_panel.setFocus()
        follow(store, self.on_changes)

    # Its own ticks, notes and links it shows already; these it learns from other windows.
    FOLLOWS = ("dossiers", "decisions", "scores", "publicity", "register")

    def on_changes(self, changes: Changes) -> None:
        if changes.touches_dossier(self.FOLLOWS, self.dossier_id, self.ws.round_id):
            self.reload()

    # construction -------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions = QComboBox()
        self.versions.currentIndexChanged.connect(self._switch_version)
        self.progress = QLabel()
        self.complete_button = QPushButton("标记审核完成")
        self.complete_button.clicked.connect(self.mark_complete)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(QLabel("版本："))
        top.addWidget(self.versions)
        top.addWidget(self.progress)
        top.addWidget(self.complete_button)

        self.tree = ConditionTree()
        self.tree.selected.connect(self.go_to)
        self.item_panel = ItemPanel()
        self.item_panel.decided.connect(self._decide_part)
        self.item_panel.note_changed.connect(self._note)
        self.item_panel.open_link.connect(self._open_link)
        self.item_panel.remove_link.connect(self._remove_link)
        self.evidence = EvidencePanel(EvidenceStore(self.store.evidence_dir))
        self.evidence.link_requested.connect(self._link)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(self.item_panel)
        split.addWidget(self.evidence)
        split.setSizes([330, 520, 500])
        split.setChildrenCollapsible(False)
        remember_splitter(split, "dossier/panes")
        self.panes = split
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

        self.measure = MeasurePane(self.ws.rulebook)
        self.measure_dock = QDockWidget("办法原文", self)
        self.measure_dock.setWidget(self.measure)
        self.measure_dock.setObjectName("measure")
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.measure_dock)
        self.measure_dock.hide()
        self.measure_dock.visibilityChanged.connect(self._measure_shown)

        files = self.menuBar().addMenu("文件(&F)")
        self.save_form_action = files.addAction("另存申报数据表原件…")
        self.save_form_action.triggered.connect(self.save_form)
        edit = self.menuBar().addMenu("编辑(&E)")
        undo = self.undo_stack.createUndoAction(self, "撤销")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "重做")
        redo.setShortcut(QKeySequence("Ctrl+Y"))
        edit.addAction(undo)
        edit.addAction(redo)
        view = self.menuBar().addMenu("查看(&V)")
        view.addAction(self.measure_dock.toggleViewAction())
        self.measure_dock.toggleViewAction().setText("办法原文 (M)")
        view.addAction("本单位审计记录…").triggered.connect(self.show_audit)
        view.addAction("比较版本…").triggered.connect(self.show_version_diff)

    def _bind_keys(self) -> None:
        self.shortcuts = keys.bind(self)
        keys.help_action(self)

    # state ---------------------------------------------------------------------------------
    def _load_version_widgets(self) -> None:
        ws = self.ws
        self.setWindowTitle(f"{visible(ws.platform_name)} — 逐条审核")
        warnings = "".join(
            f"<br><span style='color:#b3261e'>⚠ {rich(w)}</span>" for w in ws.warnings
        )
        with self.store.read() as session:  # findings (issue 18): the record's, not this version's
            found = round_findings(session, ws.round_id, [ws.dossier_id]).get(ws.dossier_id, [])
        warnings += "".join(
            f"<br><span style='color:#b3261e'>⚠ <b>{rich(f.label)}</b>：{rich(f.message)}</span>"
            + (f"（已说明：{rich(f.explained)}）" if f.explained else "")
            for f in found
        )
        missing = ws.evaluation.missing_materials
        formal = (
            f"<span style='color:#b3261e'>形式审查：缺第{'、'.join(map(str, missing))}项材料</span>"
            if missing
            else "形式审查：材料齐全"
        )
        self.header.setText(
            f"<b style='font-size:14pt'>{rich(ws.platform_name)}</b>　{rich(ws.operator_name)}<br>"
            f"统一社会信用代码 {rich(ws.uscc)}　{rich(ws.county)}　{rich(ws.platform_type)}　"
            f"{rich(ws.legal_form)}　"
            f"系统建议：<b>{ws.evaluation.overall.label}</b>　{formal}{warnings}"
        )
        self.versions.blockSignals(True)
        self.versions.clear()
        for v in ws.versions:
            self.versions.addItem(f"第{v}版" + ("（最新）" if v == ws.versions[-1] else ""), v)
        self.versions.setCurrentIndex(self.versions.findData(ws.version))
        self.versions.blockSignals(False)
        self.tree.populate(ws, self.items)
        self.evidence.populate(ws)
        self.evidence.select_first()
        self._update_progress()

    def _update_progress(self) -> None:
        done, total = self.ws.progress()
        self.progress.setText(f"已审核 {done}/{total} 项")
        if self.ws.complete_at:
            self.complete_button.setText(f"已完成（{self.ws.complete_by}）— 撤销")
        else:
            self.complete_button.setText("标记审核完成")

    def reload(self) -> None:
        """Re-read the dossier after a change; the position in the walk-through stays."""
        self.ws = review.load_workspace(self.store, self.dossier_id, self.ws.version)
        self.items = self.ws.items()
        self.tree.refresh(self.ws, self.items)
        self._update_progress()
        self.show_current()

    def _switch_version(self) -> None:
        version = self.versions.currentData()
        if version is None or version == self.ws.version:
            return
        self.item_panel.flush_note()
        self.ws = review.load_workspace(self.store, self.dossier_id, int(version))
        self.items = self.ws.items()
        self.item_panel._item = None
        self._load_version_widgets()
        self.go_to(min(self.item_index, len(self.items) - 1), 0)

    def save_form(self, target: str | None = None) -> None:
        """Save the data-form workbook as the county sent it, every sheet included."""
        sha, name = self.ws.form_sha256, self.ws.form_path
        if sha is None or name is None:
            QMessageBox.information(self, "申报数据表", "该版本导入较早，未保存申报数据表原件。")
            return
        if target is None:
            target, _ = QFileDialog.getSaveFileName(
                self, "另存申报数据表原件", PurePosixPath(name).name, "Excel 工作簿 (*.xlsx *.xls)"
            )
            if not target:
                return
        try:
            data = EvidenceStore(self.store.evidence_dir).open_verified(sha)
            with atomic_path(Path(target)) as tmp:
                tmp.write_bytes(data)
        except (EvidenceCorrupt, OSError) as exc:
            QMessageBox.warning(self, "申报数据表", as_rich(f"未能保存申报数据表原件：{exc}"))

    def show_audit(self) -> QWidget:
        from sme_review_desktop.ui.trust.audit_window import AuditWindow

        window = AuditWindow(self.store, self.ws.platform_name, self, dossier_id=self.dossier_id)
        window.show()
        return window

    def show_version_diff(self) -> QWidget:
        from sme_review_desktop.ui.workspace.version_diff_dialog import VersionDiffDialog

        ws = self.ws
        window = VersionDiffDialog(self.store, ws.round_id, ws.uscc, ws.versions, self)
        window.show()
        return window

    # navigation ----------------------------------------------------------------------------
    @property
    def current_item(self) -> ItemResult:
        return self.items[self.item_index]

    def current_clause(self) -> tuple[int, int, str]:
        item = self.current_item
        return item.article, item.item, item.parts[self.clause_index].id

    def go_to(self, item_index: int, clause_index: int) -> None:
        if not self.items:
            return
        item_index = max(0, min(item_index, len(self.items) - 1))
        if item_index != self.item_index:
            self.item_panel.flush_note()
        self.item_index = item_index
        parts = self.items[item_index].parts
        self.clause_index = max(0, min(clause_index if clause_index >= 0 else 0, len(parts) - 1))
        self.show_current()

    def move_clause(self, step: int) -> None:
        n = len(self.current_item.parts)
        target = self.clause_index + step
        if target >= n:
            self.go_to(self.item_index + 1, 0)
        elif target < 0:
            if self.item_index > 0:
                self.go_to(self.item_index - 1, len(self.items[self.item_index - 1].parts) - 1)
        else:
            self.go_to(self.item_index, target)

    def show_current(self) -> None:
        item = self.current_item
        self.item_panel.show_item(self.ws, item, self._item_text(item), self.clause_index)
        self.tree.select(self.item_index, self.clause_index)
        self.measure.show_article(item.article) if self.measure_dock.isVisible() else None
        self.statusBar().showMessage(
            f"{clause_label(item.article, item.item)}　第{self.item_index + 1}/{len(self.items)}项　"
            f"评审人：{self.actor}　（F1 快捷键）"
        )

    def _item_text(self, item: ItemResult) -> str:
        try:
            art = self.ws.rulebook.article(item.article)
        except KeyError:
            return ""
        for text_item in art.items:
            if text_item.number == item.item:
                return text_item.text
        return "".join(art.paragraphs)

    def focus_evidence(self) -> None:
        self.item_panel.flush_note()
        self.evidence.tree.setFocus()
        if self.evidence.current_id is None:
            self.evidence.select_first()

    def toggle_measure(self) -> None:
        self.measure_dock.setVisible(not self.measure_dock.isVisible())

    def _measure_shown(self, visible: bool) -> None:
        """M opens the measure at the current article, not where it was last left."""
        if visible and self.items:
            self.measure.show_article(self.current_item.article)

    # changes -------------------------------------------------------------------------------
    def _push(self, command: StoreCommand) -> None:
        command.failed = self._refused
        try:
            self.undo_stack.push(command)
        except Exception as exc:
            show_exception(self, exc)
            self.reload()

    def _refused(self, exc: UserError) -> None:
        """A change the service refused: say why, then show what is stored now (another
        reviewer's change on a shared server, a completed review, a locked round)."""
        show_exception(self, exc)
        self.reload()

    def decide(self, decision: str | None) -> None:
        self._decide_part(self.current_clause()[2], decision)

    def _decide_part(self, part_id: str, decision: str | None) -> None:
        item = self.current_item
        part = next(p for p in item.parts if p.id == part_id)
        state = self.ws.check(item.article, item.item, part_id)
        old = state.decision
        self.clause_index = [p.id for p in item.parts].index(part_id)
        if old == decision:
            self.show_current()
            return
        self._push(
            SetDecision(
                self.store,
                self.dossier_id,
                self.actor,
                (item.article, item.item, part_id),
                old,
                decision,
                part.verdict.value,
                self.ws.version,
                self.reload,
                revision=state.revision,
            )
        )

    def accept_suggestions(self) -> None:
        """Adopt the app's finding for every clause it could check itself in this item."""
        item = self.current_item
        self.undo_stack.beginMacro("采纳系统建议")
        try:
            for part in item.parts:
                undecided = self.ws.check(item.article, item.item, part.id).decision is None
                if not part.judge and part.verdict.value in ("met", "unmet") and undecided:
                    self._decide_part(part.id, part.verdict.value)
        finally:
            self.undo_stack.endMacro()

    def _note(self, text: str) -> None:
        item = self.current_item if self.item_panel._item is None else self.item_panel._item
        state = self.ws.check(item.article, item.item, "")
        if text != state.note:
            self._push(
                SetNote(
                    self.store,
                    self.dossier_id,
                    self.actor,
                    (item.article, item.item, ""),
                    state.note,
                    text,
                    self.reload,
                    revision=state.revision,
                )
            )

    def _link(self, evidence_id: int, page: int | None) -> None:
        self._push(
            LinkEvidence(
                self.store,
                self.dossier_id,
                self.actor,
                self.current_clause(),
                evidence_id,
                page,
                self.reload,
            )
        )

    def _open_link(self, link: LinkInfo) -> None:
        self.evidence.open_at(link.evidence_id, link.page)

    def _remove_link(self, link: LinkInfo) -> None:
        clause = next(
            (
                c
                for c, s in self.ws.checks.items()
                if any(li.link_id == link.link_id for li in s.links)
            ),
            self.current_clause(),
        )
        self._push(
            UnlinkEvidence(self.store, self.dossier_id, self.actor, clause, link, self.reload)
        )

    def mark_complete(self) -> None:
        self.item_panel.flush_note()
        try:
            if self.ws.complete_at:
                review.reopen(self.store, self.dossier_id, self.actor)
            else:
                review.mark_complete(self.store, self.dossier_id, self.actor)
        except Exception as exc:
            show_exception(self, exc)
            return
        self.undo_stack.clear()  # completion closes the chapter: ticks can't be undone past it
        self.reload()
        if self.ws.complete_at:
            QMessageBox.information(self, "审核完成", "已标记为审核完成。")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.item_panel.flush_note()
        super().closeEvent(event)
