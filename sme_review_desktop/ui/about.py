"""关于: the version, where the data is, the measures loaded, and the bundled font's licence."""

from __future__ import annotations

import html
import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop import __version__
from sme_review_desktop.rules.rulebook import Rulebook, all_rulebooks
from sme_review_desktop.store.database import Store
from sme_review_desktop.store.paths import resources_dir
from sme_review_desktop.ui.branding import APP_TITLE, muted

FONT_LICENCE = resources_dir() / "fonts" / "OFL-LXGWWenKai.txt"


def measure_line(book: Rulebook) -> str:
    """One loaded measure as the dialog lists it: title, status or number, date, file."""
    details = [d for d in (book.document_number, book.status) if d]
    if book.issued_on:
        details.append(book.issued_on.isoformat())
    suffix = f"（{'，'.join(details)}）" if details else ""
    return f"《{book.title}》{suffix}"


def store_location(store: Store) -> str:
    if store.is_sqlite:
        return str(store.data_dir)
    url = store.engine.url.render_as_string(hide_password=True)
    return f"{url}（证明材料：{store.evidence_dir}）"


class LicenceDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("字体许可证：霞鹜文楷 LXGW WenKai（SIL OFL 1.1）")
        self.resize(640, 520)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        try:
            self.text.setPlainText(FONT_LICENCE.read_text(encoding="utf-8"))
        except OSError:
            self.text.setPlainText(f"找不到许可证文件：{FONT_LICENCE}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


class AboutDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("关于")
        self.setMinimumWidth(560)
        self.books = list(all_rulebooks().values())

        icon = QLabel()
        icon.setPixmap(QPixmap(str(resources_dir() / "icons" / "app-64.png")))
        title = QLabel(f"<b>{APP_TITLE}</b><br>版本 {__version__}")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        title.setFont(font)
        self.version_label = title

        self.data_label = QLabel(f"数据目录：{html.escape(store_location(store))}")
        self.data_label.setWordWrap(True)
        self.data_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        measures = "".join(f"<li>{html.escape(measure_line(b))}</li>" for b in self.books)
        self.measures_label = QLabel(f"已载入办法（{len(self.books)}部）：<ul>{measures}</ul>")
        self.measures_label.setWordWrap(True)
        self.font_label = QLabel(
            "界面与文书字体：霞鹜文楷 LXGW WenKai，随软件附带，"
            "依 SIL Open Font License 1.1 许可使用。"
        )
        self.font_label.setWordWrap(True)
        self.offline_label = QLabel(
            f"本软件离线运行，不连接网络。Qt {qVersion()} · PySide6 {pyside_version} · "
            f"Python {platform.python_version()}"
        )
        self.offline_label.setWordWrap(True)
        muted(self.offline_label)

        self.open_folder_button = QPushButton("打开数据目录")
        self.open_folder_button.clicked.connect(self.open_data_folder)
        self.licence_button = QPushButton("字体许可证…")
        self.licence_button.clicked.connect(self.show_licence)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.licence_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        header = QHBoxLayout()
        header.addWidget(icon)
        header.addSpacing(8)
        header.addWidget(title, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        for label in (self.data_label, self.measures_label, self.font_label, self.offline_label):
            layout.addWidget(label)
        layout.addWidget(buttons)

    def open_data_folder(self) -> bool:
        """Show the data folder in the file manager (a local path: no network involved)."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.store.data_dir)))

    def show_licence(self) -> None:
        LicenceDialog(self).exec()
