"""One chart of the 概览 on screen: the matplotlib figure in a Qt canvas, clickable bars, PNG."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.backend_bases import Event, MouseEvent, PickEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.overview.charts.base import Chart
from sme_review_desktop.overview.stats_model import Selection

CLICK_HINT = {
    "rounds": "点击柱形，打开该批次的概览。",
}
DEFAULT_HINT = "点击柱形，主窗口列表只显示这些申报材料。"


class ChartPanel(QWidget):
    """A chart, a line saying how to read or use it, and 导出图片 (PNG)."""

    def __init__(
        self,
        chart: Chart,
        on_select: Callable[[Selection], None],
        on_export: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.chart = chart
        self._on_select = on_select
        self.canvas = FigureCanvasQTAgg(chart.figure)
        width, height = chart.figure.get_size_inches()
        dpi = chart.figure.dpi
        # As tall as the chart needs (a long one scrolls), taller when the window has room.
        self.canvas.setMinimumSize(int(width * dpi * 0.75), int(height * dpi))
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.mpl_connect("pick_event", self._picked)
        self.canvas.mpl_connect("motion_notify_event", self._hover)
        hints = [chart.note] if chart.note else []
        if chart.clickable:
            hints.append(CLICK_HINT.get(chart.key, DEFAULT_HINT))
        self.hint = QLabel("　".join(hints))
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        self.export_button = QPushButton("导出图片（PNG）…")
        self.export_button.clicked.connect(lambda: on_export(chart.key))
        under = QHBoxLayout()
        under.addWidget(self.hint, 1)
        under.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.canvas)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(under)

    # clicks --------------------------------------------------------------------------------
    def _picked(self, event: Event) -> None:
        if not isinstance(event, PickEvent):
            return
        mouse = event.mouseevent
        if getattr(mouse, "button", None) not in (1, None):
            return
        selection = self.chart.targets.get(event.artist)
        if selection is not None:
            self._on_select(selection)

    def select_at(self, artist_index: int) -> Selection:
        """For tests and keyboard users: act as if the n-th clickable bar were clicked."""
        selection = list(self.chart.targets.values())[artist_index]
        self._on_select(selection)
        return selection

    def _hover(self, event: Event) -> None:
        if not isinstance(event, MouseEvent) or not self.chart.targets:
            return
        over = any(artist.contains(event)[0] for artist in self.chart.targets)
        shape = Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor
        if self.canvas.cursor().shape() != shape:
            self.canvas.setCursor(shape)
