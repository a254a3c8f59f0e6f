"""证书套打版式: where each variable text goes on the bought blanks, and this printer's offsets."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.exports.certificates import FIELD_LABELS, FieldBox, OverlayLayout
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.export_menu import ExportMenu

COLUMNS = [
    "内容",
    "左边距 X（毫米）",
    "下边距 Y（毫米）",
    "字号（磅）",
    "折行宽度（毫米，0不折行）",
]
LIMITS = ((0, 297), (0, 210), (6, 48), (0, 297))


def _spin(value: float, low: float, high: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setValue(value)
    return box


class OverlayDesigner(QDialog):
    def __init__(self, data_dir: Path, exports: ExportMenu, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("证书套打版式")
        self.resize(820, 420)
        self.data_dir, self.exports = data_dir, exports
        settings = Settings.load(data_dir)
        layout = (
            OverlayLayout.from_json(settings.overlay_layout)
            if settings.overlay_layout
            else OverlayLayout()
        )
        self.table = QTableWidget(len(FIELD_LABELS), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setColumnWidth(0, 110)
        for col in range(1, 5):
            self.table.setColumnWidth(col, 160)
        self.spins: dict[str, list[QDoubleSpinBox]] = {}
        for row, (name, label) in enumerate(FIELD_LABELS.items()):
            box: FieldBox = getattr(layout, name)
            self.table.setCellWidget(row, 0, QLabel(label))
            spins = [
                _spin(v, lo, hi)
                for v, (lo, hi) in zip((box.x, box.y, box.size, box.width), LIMITS, strict=True)
            ]
            for col, spin in enumerate(spins, start=1):
                self.table.setCellWidget(row, col, spin)
            self.spins[name] = spins
        self.offset_x = _spin(layout.offset_x, -30, 30)
        self.offset_y = _spin(layout.offset_y, -30, 30)
        offsets = QFormLayout()
        offsets.addRow("本机打印偏移 X（毫米，向右为正）：", self.offset_x)
        offsets.addRow("本机打印偏移 Y（毫米，向上为正）：", self.offset_y)
        calibrate = QPushButton("打印校准页…")
        calibrate.clicked.connect(self._calibrate)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("关闭")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        hint = QLabel(
            "坐标从纸张左下角量起（A4横向 297×210 毫米）。先打印校准页放在空白证书上比对，"
            "把红色十字与应在位置的差距填入打印偏移。"
        )
        hint.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addLayout(offsets)
        bottom.addWidget(calibrate)
        root = QVBoxLayout(self)
        root.addWidget(hint)
        root.addWidget(self.table)
        root.addLayout(bottom)
        root.addWidget(buttons)

    def layout_value(self) -> OverlayLayout:
        boxes = {
            name: FieldBox(x=s[0].value(), y=s[1].value(), size=s[2].value(), width=s[3].value())
            for name, s in self.spins.items()
        }
        return replace(
            OverlayLayout(), **boxes, offset_x=self.offset_x.value(), offset_y=self.offset_y.value()
        )

    def save(self) -> None:
        settings = Settings.load(self.data_dir)
        settings.overlay_layout = self.layout_value().to_json()
        settings.save(self.data_dir)
        self.accept()

    def _calibrate(self) -> None:
        from sme_review_desktop.exports.certificates import calibration_page

        target = self.exports.ask("导出套打校准页", "套打校准页.pdf", "PDF 文件 (*.pdf)")
        if target:
            layout = self.layout_value()
            self.exports.run("套打校准页", target, lambda p: calibration_page(p, layout))
