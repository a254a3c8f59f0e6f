"""评审 → 更正…: change a published decision or score, with the reason the audit log keeps."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.overview.dossier_list import DossierSummary
from sme_review_desktop.scoring.corrections import correct_decision, correct_scores
from sme_review_desktop.scoring.decisions import DECISION_LABELS
from sme_review_desktop.scoring.scheme import CriterionSpec
from sme_review_desktop.store.database import Store
from sme_review_desktop.ui.messages import show_exception


class CorrectionDialog(QDialog):
    def __init__(
        self,
        store: Store,
        round_id: int,
        actor: str,
        dossiers: list[DossierSummary],
        experts: list[str],
        criteria: list[CriterionSpec],
        decisions: list[str],
        parent: QWidget | None,
        *,
        uscc: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.round_id, self.actor = store, round_id, actor
        self.setWindowTitle("更正")
        self.resize(520, 440)
        note = QLabel(
            "结果公示后，评分和认定决定只能通过“更正”修改。更正须写明理由，"
            "与修改前后的内容一并记入审计记录。公示后不能新增“拟认定”。"
        )
        note.setWordWrap(True)
        self.dossier = QComboBox()
        for d in dossiers:
            current = DECISION_LABELS.get(d.decision or "", "未决定")
            self.dossier.addItem(f"{d.platform_name}（{current}）", d.uscc)
        if uscc is not None:
            self.dossier.setCurrentIndex(max(0, self.dossier.findData(uscc)))
        self.kind = QComboBox()
        self.kind.addItems(["认定决定", "专家评分"])
        self.decision = QComboBox()
        # 拟认定 cannot be added after publicity (the service says why): it is not offered.
        for value in decisions:
            if value != "approved":
                self.decision.addItem(DECISION_LABELS[value], value)
        self.expert = QComboBox()
        self.expert.addItems(experts)
        self.points: dict[str, QDoubleSpinBox] = {}
        score_page = QWidget()
        score_form = QFormLayout(score_page)
        score_form.addRow("专家：", self.expert)
        for c in criteria:
            box = QDoubleSpinBox()
            box.setRange(0, float(c.max_points))
            box.setDecimals(2)
            self.points[c.name] = box
            score_form.addRow(f"{c.name}（满分{c.max_points}）：", box)
        decision_page = QWidget()
        QFormLayout(decision_page).addRow("更正为：", self.decision)
        self.pages = QStackedWidget()
        self.pages.addWidget(decision_page)
        self.pages.addWidget(score_page)
        self.kind.currentIndexChanged.connect(self.pages.setCurrentIndex)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("更正理由（必填，如：公示期间收到实名举报并经核实）")
        form = QFormLayout()
        form.addRow("申报单位：", self.dossier)
        form.addRow("更正内容：", self.kind)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确认更正")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.pages)
        layout.addWidget(QLabel("理由："))
        layout.addWidget(self.reason, 1)
        layout.addWidget(buttons)

    def submit(self) -> bool:
        uscc = str(self.dossier.currentData())
        reason = self.reason.toPlainText()
        try:
            if self.kind.currentIndex() == 0:
                decision = str(self.decision.currentData())
                correct_decision(self.store, self.round_id, uscc, decision, reason, self.actor)
            else:
                points: dict[str, Decimal | None] = {
                    name: Decimal(str(round(box.value(), 2))) for name, box in self.points.items()
                }
                correct_scores(
                    self.store,
                    self.round_id,
                    self.expert.currentText(),
                    uscc,
                    points,
                    reason,
                    self.actor,
                )
        except Exception as exc:
            show_exception(self, exc)
            return False
        self.accept()
        return True
