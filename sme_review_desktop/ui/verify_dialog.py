"""工具 → 核验证书: paste a certificate's QR text (from a phone's scanner) or open a scanned
image of the certificate, and see whether it is genuine and what the register says of it now.

The same check as `sme-review certificate verify` (exports/cert_verify). Everything shown is
plain text: a forged code may carry any characters and is never read as markup.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.errors import UserError
from sme_review_desktop.exports.cert_signing import BadCode
from sme_review_desktop.exports.cert_verify import STATUS_LABELS, read_image, verify
from sme_review_desktop.store.database import Store

IMAGES = "图片 (*.png *.jpg *.jpeg *.bmp *.tif *.tiff)"
_FIELDS = (
    ("number", "证书编号"),
    ("platform_name", "平台名称"),
    ("operator_name", "运营单位"),
    ("uscc", "统一社会信用代码"),
    ("valid_from", "有效期起"),
    ("valid_to", "有效期止"),
)


def _plain(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class VerifyDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("核验证书")
        self.resize(640, 480)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(
            "粘贴证书二维码的内容（用手机扫码后复制），或打开扫描的证书图片。"
        )
        self.text.setMaximumHeight(110)
        open_image = QPushButton("打开图片…")
        open_image.clicked.connect(self.choose_image)
        check = QPushButton("核验")
        check.setDefault(True)
        check.clicked.connect(self.check)
        row = QHBoxLayout()
        row.addWidget(open_image)
        row.addStretch(1)
        row.addWidget(check)
        self.verdict = _plain()
        font = self.verdict.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.verdict.setFont(font)
        self.fields = {key: _plain() for key, _ in _FIELDS}
        form = QFormLayout()
        for key, label in _FIELDS:
            form.addRow(f"{label}：", self.fields[key])
        close = QDialogButtonBox()
        close.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("二维码内容："))
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(close)
        self.outcome: dict[str, Any] | None = None

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开证书图片", "", IMAGES)
        if path:
            self.check_image(Path(path))

    def check_image(self, path: Path) -> dict[str, Any]:
        """Read the QR code in a scanned image, then check it; tests call this directly."""
        try:
            codes = read_image(path)
        except BadCode as exc:
            return self.show_result({"valid": False, "reason": str(exc)})
        if not codes:
            return self.show_result(
                {"valid": False, "reason": "图片中没有找到二维码：请扫描得清晰些（300 dpi）再试。"}
            )
        self.text.setPlainText(codes[0])
        return self.check()

    def check(self) -> dict[str, Any]:
        text = self.text.toPlainText().strip()
        if not text:
            return self.show_result({"valid": False, "reason": "请先粘贴二维码内容或打开图片。"})
        try:
            result = verify(self.store, text, date.today())
        except UserError as exc:  # an unreadable key file, a database that cannot be read
            result = {"valid": False, "reason": exc.message}
        return self.show_result(result)

    def show_result(self, result: dict[str, Any]) -> dict[str, Any]:
        self.outcome = result
        if result["valid"]:
            status = result["status"]
            self.verdict.setText(f"证书真实 · {STATUS_LABELS[status]}")
            colour = "#1b6e20" if status == "certified" else "#b26a00"
        else:
            self.verdict.setText(f"无法核验：{result['reason']}")
            colour = "#b71c1c"
        self.verdict.setStyleSheet(f"color: {colour};")
        for key, label in self.fields.items():
            label.setText(str(result.get(key, "")))
        return result


def open_verify(parent: QWidget, store: Store) -> VerifyDialog:
    dialog = VerifyDialog(store, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
