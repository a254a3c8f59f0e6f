"""The PDF preview's zoom and page controls: fit width, fit page, +/−, previous/next page.

A scanned A4 page fitted to a ~470 px pane is unreadable; the reviewer zooms in on a seal or a
figure and out to see the page, and steps through pages without the mouse wheel.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QToolButton, QWidget

STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0


class PdfZoomBar(QWidget):
    def __init__(self, view: QPdfView, page: QSpinBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view, self.page = view, page
        self.prev_page = self._button("◀", "上一页", lambda: self.step_page(-1))
        self.next_page = self._button("▶", "下一页", lambda: self.step_page(1))
        self.fit_width = self._button("适合宽度", "页面宽度适合预览区", self.set_fit_width)
        self.fit_page = self._button("适合页面", "整页显示", self.set_fit_page)
        self.zoom_out = self._button("−", "缩小", lambda: self.zoom_by(1 / STEP))
        self.zoom_in = self._button("+", "放大", lambda: self.zoom_by(STEP))
        self.level = QLabel()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        left: tuple[QWidget, ...] = (self.prev_page, page, self.next_page)
        right: tuple[QWidget, ...] = (
            self.fit_width,
            self.fit_page,
            self.zoom_out,
            self.level,
            self.zoom_in,
        )
        for w in left:
            row.addWidget(w)
        row.addStretch()
        for w in right:
            row.addWidget(w)
        self._show_level()

    def _button(self, text: str, tip: str, slot: object) -> QToolButton:
        # Tool buttons, not push buttons: the bar must not widen the evidence pane's minimum
        # and squeeze the conditions tree on a 1366 px screen.
        b = QToolButton()
        b.setText(text)
        b.setToolTip(tip)
        b.clicked.connect(slot)
        return b

    def set_fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_level()

    def set_fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self._show_level()

    def zoom_by(self, factor: float) -> None:
        """From a fitted view too: start from the factor the fit produced on screen."""
        current = (
            self.view.zoomFactor()
            if self.view.zoomMode() == QPdfView.ZoomMode.Custom
            else (self._fitted_factor())
        )
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(MIN_ZOOM, min(MAX_ZOOM, current * factor)))
        self._show_level()

    def _fitted_factor(self) -> float:
        doc = self.view.document()
        if doc is None or doc.pageCount() == 0:
            return 1.0
        size = doc.pagePointSize(max(0, self.page.value() - 1))
        dpi = self.logicalDpiX() / 72.0
        if size.width() <= 0:
            return 1.0
        width = self.view.viewport().width() / (size.width() * dpi)
        if self.view.zoomMode() == QPdfView.ZoomMode.FitInView and size.height() > 0:
            return min(width, self.view.viewport().height() / (size.height() * dpi))
        return width

    def step_page(self, step: int) -> None:
        self.page.setValue(self.page.value() + step)  # the spin box clamps and jumps

    def jump(self, page: int) -> None:
        self.view.pageNavigator().jump(page - 1, QPointF(), 0)

    def _show_level(self) -> None:
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.FitToWidth:
            self.level.setText("适合宽度")
        elif mode == QPdfView.ZoomMode.FitInView:
            self.level.setText("适合页面")
        else:
            self.level.setText(f"{self.view.zoomFactor() * 100:.0f}%")
