"""The first-run welcome (欢迎): the reviewer's name, the bureau, the demo data, the data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.store.database import Store
from sme_review_desktop.store.paths import resources_dir
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.branding import muted
from sme_review_desktop.ui.messages import show_error, show_exception
from sme_review_desktop.ui.reviewer_fields import BUREAUS, reviewer_name
from sme_review_desktop.ui.tasks import run_task


class WelcomeDialog(QDialog):
    """Shown while no reviewer is named. Accepting saves the settings and, when asked, opens
    the demo data set (its own store under ``demo/``, apart from real work) in ``demo_store``."""

    def __init__(
        self,
        data_dir: Path,
        settings: Settings | None = None,
        parent: QWidget | None = None,
        *,
        offer_demo: bool = False,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.settings = settings or Settings.load(data_dir)
        self.demo_store: Store | None = None
        self.setWindowTitle("欢迎使用示范平台认定评审系统")
        self.setMinimumWidth(560)

        icon = QLabel()
        icon.setPixmap(QPixmap(str(resources_dir() / "icons" / "app-64.png")))
        title = QLabel("欢迎使用示范平台认定评审系统")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "首次使用，请填写评审人姓名和所在单位。姓名记入每一条审核记录，以后可在“文件”菜单中更改。"
        )
        intro.setWordWrap(True)

        self.name = QLineEdit(self.settings.reviewer_name)
        self.name.setPlaceholderText("如：张三")
        self.name.setMaxLength(40)
        self.bureau = QComboBox()
        for label, value, _ in BUREAUS:
            self.bureau.addItem(label, value)
        if self.settings.bureau:
            self.bureau.setCurrentIndex(max(0, self.bureau.findData(self.settings.bureau)))
        self.bureau.setToolTip("新建认定批次时默认采用本地的认定管理办法")
        self.demo = QCheckBox("打开演示数据（聊城、西安各一个认定批次，共24份申报材料）")
        self.demo.setChecked(offer_demo)
        self.demo.setToolTip("演示数据单独保存在数据目录的 demo 文件夹中，不影响正式数据。")

        self.data_label = QLabel(
            f"数据保存在本机：{data_dir}<br>"
            "演示数据另存于其中的 demo 文件夹。本软件不联网，所有资料只保存在这台电脑上。"
        )
        self.data_label.setWordWrap(True)
        self.data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        muted(self.data_label)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setFormat("正在准备演示数据…")
        self.progress.setTextVisible(True)
        self.progress.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("开始使用")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("以后再说")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        header = QHBoxLayout()
        header.addWidget(icon)
        header.addSpacing(8)
        header.addWidget(title, 1)
        form = QFormLayout()
        form.addRow("评审人姓名：", self.name)
        form.addRow("所在单位：", self.bureau)
        form.addRow("", self.demo)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addSpacing(6)
        layout.addWidget(self.data_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        name = reviewer_name(self.name)
        if not name:
            return
        self.settings.reviewer_name = name
        self.settings.bureau = str(self.bureau.currentData())
        try:
            self.settings.save(self.data_dir)
        except OSError as exc:
            show_error(self, f"无法保存设置到数据目录：{self.data_dir}\n{exc}")
            return
        if not self.demo.isChecked():
            super().accept()
            return
        # Writing and importing 24 demo packages takes seconds: off the UI thread.
        from sme_review_desktop.demo import open_demo_store

        self._busy(True)
        data_dir = self.data_dir
        run_task(lambda: open_demo_store(data_dir), self._demo_ready, self._demo_failed)

    def reject(self) -> None:
        if self.progress.isVisible():
            return  # the demo is being written; closing now would leave it half done
        super().reject()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for widget in (self.name, self.bureau, self.demo, self.buttons):
            widget.setEnabled(not busy)

    def _demo_ready(self, store: Store) -> None:
        self._busy(False)
        self.demo_store = store
        super().accept()

    def _demo_failed(self, exc: BaseException) -> None:
        self._busy(False)
        show_exception(self, exc)
