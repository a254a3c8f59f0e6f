"""Setting up the panel: the scoring scheme (frozen after the first score) and experts with 回避."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.scoring.experts import (
    add_expert,
    declare_conflict,
    expert_names,
    list_conflicts,
)
from sme_review_desktop.scoring.scheme import (
    CriterionSpec,
    load_scheme_template,
    save_scheme_template,
    scheme_specs,
    set_scheme,
)
from sme_review_desktop.store.database import Store
from sme_review_desktop.text.numbers import plain
from sme_review_desktop.ui.messages import show_error, show_exception


class SchemeDialog(QDialog):
    def __init__(
        self, store: Store, round_id: int, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("评分方案")
        self.resize(760, 420)
        self.store, self.round_id, self.actor = store, round_id, actor
        specs, self.frozen = scheme_specs(store, round_id)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["评分指标", "满分", "评分说明"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.total = QLabel()
        add = QPushButton("添加指标")
        remove = QPushButton("删除所选")
        load = QPushButton("从模板载入…")
        save_template = QPushButton("保存为模板…")
        add.clicked.connect(lambda: self._append(CriterionSpec("", Decimal(10))))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        load.clicked.connect(self._load_template)
        save_template.clicked.connect(self._save_template)
        row = QHBoxLayout()
        for b in (add, remove, load, save_template):
            row.addWidget(b)
            b.setEnabled(not self.frozen or b is save_template)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not self.frozen)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if self.frozen:
            layout.addWidget(QLabel("已有专家评分，评分方案已冻结，只能查看或另存为模板。"))
        layout.addWidget(self.table)
        layout.addWidget(self.total)
        layout.addLayout(row)
        layout.addWidget(buttons)
        for spec in specs:
            self._append(spec)
        self.table.itemChanged.connect(self._update_total)
        if self.frozen:
            self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._update_total()

    def _append(self, spec: CriterionSpec) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, text in enumerate((spec.name, plain(spec.max_points), spec.guidance)):
            self.table.setItem(r, c, QTableWidgetItem(text))

    def specs(self) -> list[CriterionSpec]:
        out = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(3)]
            name, points, guidance = (c.text().strip() if c else "" for c in cells)
            try:
                value = Decimal(points)
            except InvalidOperation:
                value = Decimal(-1)
            out.append(CriterionSpec(name, value, guidance))
        return out

    def _update_total(self) -> None:
        total = sum((s.max_points for s in self.specs() if s.max_points > 0), Decimal(0))
        warn = "" if total == 100 else "（通常为100分）"
        self.total.setText(f"合计满分：{plain(total)}{warn}")

    def _save(self) -> None:
        try:
            set_scheme(self.store, self.round_id, self.specs(), self.actor)
        except Exception as exc:
            show_exception(self, exc)
            return
        self.accept()

    def _load_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "载入评分方案模板", str(self._templates()), "评分方案 (*.json)"
        )
        if path:
            try:
                specs = load_scheme_template(Path(path))
            except Exception as exc:
                show_exception(self, exc)
                return
            self.table.setRowCount(0)
            for spec in specs:
                self._append(spec)

    def _save_template(self) -> None:
        folder = self._templates()
        folder.mkdir(parents=True, exist_ok=True)
        path, _ = QFileDialog.getSaveFileName(
            self, "保存评分方案模板", str(folder / "评分方案.json"), "评分方案 (*.json)"
        )
        if path:
            save_scheme_template(Path(path), self.specs())

    def _templates(self) -> Path:
        return self.store.data_dir / "评分方案"


class ExpertsDialog(QDialog):
    """Experts of the round and their declared conflicts; a conflict hides the dossier from them."""

    def __init__(
        self, store: Store, round_id: int, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("评审专家与回避")
        self.resize(820, 480)
        self.store, self.round_id, self.actor = store, round_id, actor
        self.experts = QListWidget()
        self.name = QLineEdit()
        self.name.setPlaceholderText("专家姓名")
        self.organisation = QLineEdit()
        self.organisation.setPlaceholderText("工作单位")
        add = QPushButton("添加专家")
        add.clicked.connect(self._add)
        self.conflicts = QTableWidget(0, 3)
        self.conflicts.setHorizontalHeaderLabels(["专家", "回避单位", "原因"])
        self.conflicts.horizontalHeader().setStretchLastSection(True)
        self.conflicts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.conflict_expert = QComboBox()
        self.conflict_dossier = QComboBox()
        self.conflict_reason = QLineEdit()
        declare = QPushButton("声明回避")
        declare.clicked.connect(self._declare)
        for s in dossier_summaries(store, round_id):
            self.conflict_dossier.addItem(s.platform_name, s.uscc)
        form = QFormLayout()
        form.addRow("专家：", self.conflict_expert)
        form.addRow("回避单位：", self.conflict_dossier)
        form.addRow("原因：", self.conflict_reason)
        form.addRow(declare)
        left = QVBoxLayout()
        left.addWidget(QLabel("本批次专家："))
        left.addWidget(self.experts)
        left.addWidget(self.name)
        left.addWidget(self.organisation)
        left.addWidget(add)
        right = QVBoxLayout()
        right.addWidget(QLabel("回避声明（该专家不为该单位评分）："))
        right.addWidget(self.conflicts)
        right.addLayout(form)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 2)
        self.reload()

    def reload(self) -> None:
        names = expert_names(self.store, self.round_id)
        self.experts.clear()
        self.experts.addItems(names)
        current = self.conflict_expert.currentText()
        self.conflict_expert.clear()
        self.conflict_expert.addItems(names)
        self.conflict_expert.setCurrentText(current)
        conflicts = list_conflicts(self.store, self.round_id)
        self.conflicts.setRowCount(len(conflicts))
        for r, c in enumerate(conflicts):
            for col, text in enumerate((c.expert, c.platform_name, c.reason)):
                self.conflicts.setItem(r, col, QTableWidgetItem(text))

    def _add(self) -> None:
        try:
            add_expert(
                self.store, self.round_id, self.name.text(), self.actor, self.organisation.text()
            )
        except Exception as exc:
            show_exception(self, exc)
            return
        self.name.clear()
        self.organisation.clear()
        self.reload()

    def _declare(self) -> None:
        if not self.conflict_expert.currentText() or self.conflict_dossier.currentData() is None:
            show_error(self, "请选择专家和回避单位。")
            return
        try:
            declare_conflict(
                self.store,
                self.round_id,
                self.conflict_expert.currentText(),
                str(self.conflict_dossier.currentData()),
                self.conflict_reason.text(),
                self.actor,
            )
        except Exception as exc:
            show_exception(self, exc)
            return
        self.conflict_reason.clear()
        self.reload()
