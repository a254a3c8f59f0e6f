"""Fit at 1366×768 and at 125 % of 1920×1080 (issue 22): no label cut, windows inside the
screen, panes that remember their sizes, a PDF preview that zooms and turns pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QStyle, QWidget
from pytestqt.qtbot import QtBot

from sme_review_desktop.ui import screen_fit
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.scoring.meeting import MeetingWindow
from sme_review_desktop.ui.workspace import pdf_zoom
from sme_review_desktop.ui.workspace.dossier_window import DossierWindow

SIZES = [(1366, 768), (1536, 864)]  # a 1366×768 laptop; 1920×1080 at 125 %


def text_width(widget: QLabel | QPushButton) -> int:
    text = widget.text()
    rich = isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText
    if rich and "<" in text:
        doc = QTextDocument()
        doc.setDefaultFont(widget.font())
        doc.setHtml(text)
        doc.setDocumentMargin(0)
        return int(doc.idealWidth())
    return max(
        (widget.fontMetrics().horizontalAdvance(line) for line in text.split("\n")), default=0
    )


def clipped(window: QWidget) -> list[str]:
    """Visible single-line labels and buttons whose text is wider than the widget."""
    found = []
    for w in window.findChildren(QLabel) + window.findChildren(QPushButton):
        if not w.isVisibleTo(window) or not w.text() or w.width() <= 0:
            continue
        if isinstance(w, QLabel) and (w.wordWrap() or not w.pixmap().isNull()):
            continue
        room = w.contentsRect().width()
        if isinstance(w, QPushButton):  # the bevel's margin is not room for text
            room -= w.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, w)
        if text_width(w) > room:
            found.append(f"{type(w).__name__} 「{w.text()[:30]}」 {text_width(w)}>{room}")
    return found


def shoot(window: QWidget, size: tuple[int, int], name: str, folder: Path, qtbot: QtBot) -> None:
    window.resize(*size)
    window.show()
    qtbot.wait(50)
    window.grab().save(str(folder / f"{name}-{size[0]}x{size[1]}.png"))


@pytest.mark.parametrize("size", SIZES)
def test_no_label_is_clipped(
    qtbot: QtBot, main_window: MainWindow, size: tuple[int, int], tmp_path: Path
) -> None:
    shoot(main_window, size, "main", tmp_path, qtbot)
    assert clipped(main_window) == []
    main_window.list.table.setCurrentIndex(main_window.list.proxy.index(0, 0))
    dossier = main_window.open_dossier(main_window.list.selected().dossier_id)  # type: ignore[union-attr]
    assert isinstance(dossier, DossierWindow)
    qtbot.addWidget(dossier)
    shoot(dossier, size, "dossier", tmp_path, qtbot)
    assert clipped(dossier) == []
    round_id = main_window.current_round()
    assert round_id is not None
    meeting = MeetingWindow(main_window.store, round_id, "张评审")
    qtbot.addWidget(meeting)
    shoot(meeting, size, "meeting", tmp_path, qtbot)
    assert clipped(meeting) == []


def test_the_check_sees_a_cut_label(qtbot: QtBot) -> None:
    label = QLabel("经济技术开发区管理委员会")
    label.setFixedWidth(label.fontMetrics().horizontalAdvance(label.text()) - 1)
    holder = QWidget()
    label.setParent(holder)
    qtbot.addWidget(holder)
    holder.show()
    assert len(clipped(holder)) == 1
    label.setFixedWidth(label.fontMetrics().horizontalAdvance(label.text()))  # exactly fits
    assert clipped(holder) == []
    label.setFixedWidth(label.fontMetrics().horizontalAdvance(label.text()) + 1)
    assert clipped(holder) == []


class FakeScreen:
    def __init__(self, rect: QRect) -> None:
        self.rect = rect

    def availableGeometry(self) -> QRect:
        return self.rect


@pytest.mark.parametrize(
    ("asked", "area", "expected"),
    [
        ((1100, 780), (1366, 728), (1100, 728 - 16 - 24)),  # 用户手册 on a laptop: cut down
        ((1100, 688), (1366, 728), (1100, 688)),  # exactly the room: unchanged
        ((1351, 689), (1366, 728), (1350, 688)),  # one pixel over each way
        ((900, 500), (1920, 1040), (900, 500)),
    ],
)
def test_windows_open_inside_the_available_screen(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    asked: tuple[int, int],
    area: tuple[int, int],
    expected: tuple[int, int],
) -> None:
    w = QWidget()
    qtbot.addWidget(w)
    monkeypatch.setattr(w, "screen", lambda: FakeScreen(QRect(0, 0, *area)))
    screen_fit.fit_to_screen(w, *asked)
    assert (w.width(), w.height()) == expected
    assert QRect(0, 0, *area).contains(w.geometry())


def test_overview_and_manual_use_the_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect

    from sme_review_desktop.ui import manual_viewer
    from sme_review_desktop.ui.overview import window as overview

    for module in (overview, manual_viewer):
        source = inspect.getsource(module)
        assert "fit_to_screen(" in source and ".resize(" not in source


def test_pane_sizes_are_remembered(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.list.table.setCurrentIndex(main_window.list.proxy.index(0, 0))
    first = main_window.open_dossier(main_window.list.selected().dossier_id)  # type: ignore[union-attr]
    assert isinstance(first, DossierWindow)
    first.resize(1366, 740)
    first.panes.setSizes([500, 400, 400])
    first.evidence.split.setSizes([100, 500])
    for split in (first.panes, first.evidence.split):
        split.splitterMoved.emit(0, 1)  # what a drag emits
    wanted = (first.panes.sizes(), first.evidence.split.sizes())
    dossier_id = first.dossier_id
    first.close()
    qtbot.waitUntil(
        lambda: (
            dossier_id not in {k for k, w in main_window.dossier_windows.items() if w.isVisible()}
            or True
        )
    )
    second = DossierWindow(main_window.store, dossier_id, "张评审")
    qtbot.addWidget(second)
    second.resize(1366, 740)
    second.show()
    got = second.panes.sizes() + second.evidence.split.sizes()
    assert all(abs(a - b) <= 1 for a, b in zip(got, wanted[0] + wanted[1], strict=True))  # rounding
    assert all(isinstance(s, QSplitter) for s in (second.panes, second.evidence.split))


def test_pdf_preview_zooms_and_turns_pages(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.list.table.setCurrentIndex(main_window.list.proxy.index(0, 0))
    window = main_window.open_dossier(main_window.list.selected().dossier_id)  # type: ignore[union-attr]
    assert isinstance(window, DossierWindow)
    qtbot.addWidget(window)
    ev = window.evidence
    pdf = next(f.id for f in ev.files.values() if f.rel_path.lower().endswith(".pdf"))
    ev.show_file(pdf)
    zoom, view = ev.zoom, ev.pdf_view
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    qtbot.mouseClick(zoom.zoom_in, Qt.MouseButton.LeftButton)
    assert view.zoomMode() == QPdfView.ZoomMode.Custom
    bigger = view.zoomFactor()
    qtbot.mouseClick(zoom.zoom_out, Qt.MouseButton.LeftButton)
    assert view.zoomFactor() == pytest.approx(bigger / pdf_zoom.STEP)
    assert zoom.level.text() == f"{view.zoomFactor() * 100:.0f}%"
    view.setZoomFactor(pdf_zoom.MAX_ZOOM / pdf_zoom.STEP)  # one step below the limit
    zoom.zoom_by(pdf_zoom.STEP)
    assert view.zoomFactor() == pytest.approx(pdf_zoom.MAX_ZOOM)
    zoom.zoom_by(pdf_zoom.STEP)  # at the limit: stays
    assert view.zoomFactor() == pytest.approx(pdf_zoom.MAX_ZOOM)
    view.setZoomFactor(pdf_zoom.MIN_ZOOM * 1.01)
    zoom.zoom_by(1 / pdf_zoom.STEP)
    assert view.zoomFactor() == pytest.approx(pdf_zoom.MIN_ZOOM)
    qtbot.mouseClick(zoom.fit_page, Qt.MouseButton.LeftButton)
    assert view.zoomMode() == QPdfView.ZoomMode.FitInView
    qtbot.mouseClick(zoom.fit_width, Qt.MouseButton.LeftButton)
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    pages = ev.pdf_doc.pageCount()
    qtbot.mouseClick(zoom.prev_page, Qt.MouseButton.LeftButton)
    assert ev.page.value() == 1  # the first page: no page 0
    for _ in range(pages + 1):
        qtbot.mouseClick(zoom.next_page, Qt.MouseButton.LeftButton)
    assert ev.page.value() == pages
