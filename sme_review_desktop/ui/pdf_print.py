"""Print preview and printing of the PDFs the app exports, through QtPdf and QPrinter.

The printed page is the PDF page rendered at the printer's resolution and placed at its true
size (no fit-to-page scaling), so certificates and 套打 positions print exactly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

POINTS_PER_INCH = 72


def load_pdf(path: Path, parent: QWidget) -> QPdfDocument:
    document = QPdfDocument(parent)
    document.load(str(path))
    return document


RENDER_DPI = 300


def paint_pages(document: QPdfDocument, printer: QPrinter) -> None:
    """Render every page onto the printer at 1:1 scale."""
    painter = QPainter()
    if not painter.begin(printer):
        return
    dpi = printer.resolution()
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            pixels = QSize(
                round(points.width() * dpi / POINTS_PER_INCH),
                round(points.height() * dpi / POINTS_PER_INCH),
            )
            # Rendered at no more than RENDER_DPI and scaled onto the page: a 1200 dpi A4 image
            # is half a gigabyte, and 300 dpi is already sharper than the printed text needs.
            render_dpi = min(dpi, RENDER_DPI)
            image = document.render(
                page,
                QSize(
                    round(points.width() * render_dpi / POINTS_PER_INCH),
                    round(points.height() * render_dpi / POINTS_PER_INCH),
                ),
            )
            # The paint rect starts at the printable area; shift back to the paper's corner.
            margin = printer.pageLayout().paintRectPixels(dpi).topLeft()
            painter.drawImage(QRectF(QPointF(-margin.x(), -margin.y()), pixels.toSizeF()), image)
    finally:
        painter.end()


class PdfPreviewDialog(QPrintPreviewDialog):
    """A print preview of a PDF whose print button prints it on the chosen printer."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        super().__init__(printer, parent)
        self._printer = printer  # the dialog does not own it; keep it alive as long as the dialog
        printer.setDocName(path.name)
        printer.setFullPage(True)
        self.document = load_pdf(path, self)
        if self.document.pageCount():
            size = self.document.pagePointSize(0)
            landscape = size.width() > size.height()
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            printer.setPageOrientation(
                QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
            )
        self.setWindowTitle(f"打印预览 — {path.name}")
        self.paintRequested.connect(lambda p: paint_pages(self.document, p))
        self.resize(1000, 760)


def preview_dialog(path: Path, parent: QWidget | None = None) -> QPrintPreviewDialog:
    return PdfPreviewDialog(path, parent)
