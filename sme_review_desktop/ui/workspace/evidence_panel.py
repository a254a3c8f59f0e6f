"""Right pane: the dossier's evidence grouped by material, previewed inside the app.

Files are read through the evidence store, which checks each against its SHA-256 first; a file
that no longer matches is reported, never shown. Nothing is ever executed: the one way out to the
system's programs is ``open_with_system_viewer`` (documents only, after a warning, as a copy).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QModelIndex, QPointF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDesktopServices,
    QImage,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.errors import UserError
from sme_review_desktop.review.evidence_open import (
    assess,
    copies_folder,
    prepare_copy,
    warning_text,
)
from sme_review_desktop.review.walkthrough import EvidenceInfo, Workspace
from sme_review_desktop.store.evidence import EvidenceStore
from sme_review_desktop.text.numbering import chinese_numeral
from sme_review_desktop.text.safe_text import as_rich, rich, visible
from sme_review_desktop.ui.messages import show_error
from sme_review_desktop.ui.screen_fit import remember_splitter
from sme_review_desktop.ui.workspace.pdf_zoom import PdfZoomBar

ROLE_ID = Qt.ItemDataRole.UserRole + 1
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")


class EvidencePanel(QWidget):
    link_requested = Signal(int, object)  # evidence id, page (1-based) or None

    def __init__(self, evidence_store: EvidenceStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.evidence_store = evidence_store
        self.files: dict[int, EvidenceInfo] = {}
        self.current_id: int | None = None
        self.model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        self.pdf_doc = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setDocument(self.pdf_doc)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image_scroll = QScrollArea()
        image_scroll.setWidgetResizable(True)
        image_scroll.setWidget(self.image)
        self.message = QLabel("选择左侧的证明材料以预览。")
        self.message.setTextFormat(Qt.TextFormat.RichText)  # built with rich() only
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        for w in (self.message, self.pdf_view, image_scroll):
            self.stack.addWidget(w)
        self.page = QSpinBox()
        self.page.setPrefix("第 ")
        self.page.setSuffix(" 页")
        self.page.setMinimum(1)
        self.page.valueChanged.connect(self._go_page)
        self.link_file = QPushButton("关联文件到当前条款")
        self.link_page = QPushButton("关联本页 (L)")
        self.link_file.clicked.connect(lambda: self._request_link(False))
        self.link_page.clicked.connect(lambda: self._request_link(True))
        self.open_external = QPushButton("用系统程序打开…")
        self.open_external.setToolTip(
            "仅限PDF、图片、Word/Excel/WPS和OFD文档，先提示风险，打开只读副本"
        )
        self.open_external.setEnabled(False)
        self.open_external.clicked.connect(self._open_externally)
        controls = QHBoxLayout()
        controls.addWidget(self.open_external)
        controls.addStretch()
        controls.addWidget(self.link_file)
        controls.addWidget(self.link_page)
        self.zoom = PdfZoomBar(self.pdf_view, self.page)
        preview = QWidget()
        pv = QVBoxLayout(preview)
        pv.setContentsMargins(0, 0, 0, 0)
        pv.addLayout(controls)
        pv.addWidget(self.zoom)
        pv.addWidget(self.stack)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(preview)
        split.setSizes([260, 440])
        split.setChildrenCollapsible(False)
        remember_splitter(split, "dossier/evidence")
        self.split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._buffer: QBuffer | None = None

    def populate(self, ws: Workspace) -> None:
        self.model.clear()
        self.files = {f.id: f for f in ws.evidence}
        missing = set(ws.evaluation.missing_materials)
        by_material: dict[int | None, list[EvidenceInfo]] = {}
        for f in ws.evidence:
            by_material.setdefault(f.material_number, []).append(f)
        for material in ws.rulebook.materials:
            files = by_material.get(material.number, [])
            label = f"（{chinese_numeral(material.number)}）{material.title}"
            group = QStandardItem(
                f"{label}（缺）" if material.number in missing else f"{label}（{len(files)}）"
            )
            group.setToolTip(material.title)
            group.setSelectable(False)
            if material.number in missing:
                group.setForeground(QBrush(QColor("#b3261e")))
                bold = group.font()
                bold.setBold(True)
                group.setFont(bold)
            for file in files:
                group.appendRow(self._file_item(file))
            self.model.appendRow(group)
        others = by_material.get(None, [])
        if others:
            group = QStandardItem(f"其他材料（{len(others)}）")
            group.setSelectable(False)
            for file in others:
                group.appendRow(self._file_item(file))
            self.model.appendRow(group)
        self.tree.expandAll()

    @staticmethod
    def _file_item(file: EvidenceInfo) -> QStandardItem:
        item = QStandardItem(visible(file.rel_path.rsplit("/", 1)[-1]))
        item.setToolTip(
            as_rich(f"{file.rel_path}\n{file.size / 1024:.0f} KB  SHA-256 {file.sha256[:16]}…")
        )
        item.setData(file.id, ROLE_ID)
        return item

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        evidence_id = current.data(ROLE_ID)
        if evidence_id is not None:
            self.show_file(int(evidence_id))

    def select_first(self) -> None:
        for r in range(self.model.rowCount()):
            group = self.model.item(r)
            if group.rowCount():
                self.tree.setCurrentIndex(group.child(0).index())
                return

    def _file_indexes(self) -> list[QModelIndex]:
        return [
            self.model.item(r).child(c).index()
            for r in range(self.model.rowCount())
            for c in range(self.model.item(r).rowCount())
        ]

    def step_file(self, step: int) -> None:
        """↓/↑ in the list: the next file, over the material groups' headings."""
        files = self._file_indexes()
        if not files:
            return
        ids = [i.data(ROLE_ID) for i in files]
        at = ids.index(self.current_id) if self.current_id in ids else -1
        target = files[max(0, min(at + step, len(files) - 1))] if at >= 0 else files[0]
        self.tree.setCurrentIndex(target)
        self.tree.scrollTo(target)

    def open_at(self, evidence_id: int, page: int | None) -> None:
        for r in range(self.model.rowCount()):
            group = self.model.item(r)
            for c in range(group.rowCount()):
                if group.child(c).data(ROLE_ID) == evidence_id:
                    self.tree.setCurrentIndex(group.child(c).index())
        self.show_file(evidence_id, page)

    def show_file(self, evidence_id: int, page: int | None = None) -> None:
        file = self.files.get(evidence_id)
        if file is None:
            self._say("这份材料属于其他版本，请切换到对应版本查看。")
            return
        self.current_id = evidence_id
        self.open_external.setEnabled(True)
        try:
            data = self.evidence_store.open_verified(file.sha256)
        except UserError as exc:
            self._say(f"<b style='color:#b3261e'>{rich(exc.message)}</b>")
            return
        name = file.rel_path.lower()
        if name.endswith(".pdf"):
            self._buffer = QBuffer(self)
            self._buffer.setData(QByteArray(data))
            self._buffer.open(QBuffer.OpenModeFlag.ReadOnly)
            self.pdf_doc.load(self._buffer)
            if self.pdf_doc.status() == QPdfDocument.Status.Error or self.pdf_doc.pageCount() == 0:
                self._say("无法显示这份PDF（文件可能已损坏）。")
                return
            self.page.setEnabled(True)
            self.page.setMaximum(self.pdf_doc.pageCount())
            self.page.setValue(page or 1)
            self.stack.setCurrentWidget(self.pdf_view)
            self._go_page(page or 1)
            self.link_page.setEnabled(True)
        elif name.endswith(IMAGE_SUFFIXES):
            img = QImage.fromData(data)
            if img.isNull():
                self._say("无法显示这张图片。")
                return
            self.image.setPixmap(QPixmap.fromImage(img).scaledToWidth(min(900, img.width())))
            self.stack.setCurrentIndex(2)
            self.page.setEnabled(False)
            self.link_page.setEnabled(False)
        else:
            self._say(
                f"“{rich(file.rel_path)}”不能在应用内预览（{file.size / 1024:.0f} KB）。可关联到条款，供查阅。"
            )
        self.link_file.setEnabled(True)

    def _say(self, html: str) -> None:
        self.message.setText(html)
        self.stack.setCurrentWidget(self.message)
        self.page.setEnabled(False)
        self.link_page.setEnabled(False)

    def current_page(self) -> int | None:
        return self.page.value() if self.stack.currentWidget() is self.pdf_view else None

    def _go_page(self, page: int) -> None:
        if self.stack.currentWidget() is self.pdf_view and 1 <= page <= self.pdf_doc.pageCount():
            self.pdf_view.pageNavigator().jump(page - 1, QPointF(), 0)

    def _request_link(self, with_page: bool) -> None:
        if self.current_id is not None:
            self.link_requested.emit(self.current_id, self.current_page() if with_page else None)

    def _open_externally(self) -> None:
        file = self.files.get(self.current_id) if self.current_id is not None else None
        if file is not None:
            open_with_system_viewer(self, self.evidence_store, file)

    def link_current(self) -> None:
        """The L key: the page where a PDF is shown, else the whole file."""
        self._request_link(True)


def open_with_system_viewer(
    parent: QWidget, evidence_store: EvidenceStore, file: EvidenceInfo
) -> bool:
    """The only way evidence reaches the system's programs: a known document type (by content),
    after a warning, as a verified read-only copy. Returns whether the viewer was asked to open."""
    try:
        doc = assess(evidence_store, file.sha256, file.rel_path)
    except UserError as exc:
        show_error(parent, exc.message)
        return False
    buttons = QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel
    answer = QMessageBox.warning(
        parent,
        "用系统程序打开",
        as_rich(warning_text(file.rel_path, doc)),
        buttons,
        QMessageBox.StandardButton.Cancel,
    )
    if answer != QMessageBox.StandardButton.Open:
        return False
    try:
        path, _ = prepare_copy(evidence_store, file.sha256, file.rel_path, copies_folder())
    except UserError as exc:
        show_error(parent, exc.message)
        return False
    except OSError as exc:
        show_error(parent, f"无法准备这份材料的副本：{exc.strerror or exc}")
        return False
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
