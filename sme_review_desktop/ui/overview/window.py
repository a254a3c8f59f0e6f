"""概览: a round's charts (or all rounds side by side), kept up to date while it is open.

The numbers are counted off the UI thread (stats.py) and the figures built there too; the window
only draws the chart of the tab in view. Every change to the store writes an audit entry, so a
cheap look at the newest entry every few seconds tells the window to count again — whether the
change came from this app's other windows, the command line or another PC on a shared server.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.overview.charts.base import Chart
from sme_review_desktop.overview.charts.catalogue import build_charts, chart_keys
from sme_review_desktop.overview.cross_round import overall_stats
from sme_review_desktop.overview.round_stats import round_stats as count_round
from sme_review_desktop.overview.selection import data_mark, members
from sme_review_desktop.overview.stats_model import OverallStats, RoundStats, Selection
from sme_review_desktop.rounds import list_rounds
from sme_review_desktop.store.database import Store
from sme_review_desktop.ui.export_task import ExportTask
from sme_review_desktop.ui.messages import show_error, show_exception
from sme_review_desktop.ui.overview.panel import ChartPanel
from sme_review_desktop.ui.screen_fit import fit_to_screen
from sme_review_desktop.ui.tasks import run_task

POLL_MS = 3000


class Host(Protocol):
    """What the overview asks of the main window: list some dossiers of a round."""

    def show_only(self, round_id: int, dossier_ids: list[int], label: str) -> None: ...


class OverviewWindow(QWidget):
    def __init__(
        self,
        store: Store,
        host: Host | None = None,
        round_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store, self.host = store, host
        self.stats: RoundStats | OverallStats | None = None
        self.panels: dict[str, ChartPanel] = {}
        self.exports: list[ExportTask] = []
        self.loading = False
        self._again = False  # a change arrived while counting: count once more after
        self._generation = 0
        self._mark: tuple[int, int] | None = None
        fit_to_screen(self, 1100, 760)

        self.scope = QComboBox()
        self.scope.setMinimumContentsLength(26)
        self.as_of = QDateEdit(QDate.currentDate())
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setToolTip("名录图表（到期、逾期未报、撤销）按这一天统计")
        self.refresh_button = QPushButton("刷新")
        self.report_button = QPushButton("导出统计报告（PDF）…")
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # may name an error
        self.status.setStyleSheet("color: #555;")
        self.tabs = QTabWidget()
        top = QHBoxLayout()
        top.addWidget(QLabel("统计范围："))
        top.addWidget(self.scope, 2)
        top.addWidget(QLabel("名录统计日期："))
        top.addWidget(self.as_of)
        top.addWidget(self.refresh_button)
        top.addWidget(self.status, 1)
        top.addWidget(self.report_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        self._fill_scopes(round_id)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.as_of.dateChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.report_button.clicked.connect(self.export_report)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)

    # scope ---------------------------------------------------------------------------------
    def _fill_scopes(self, select: int | None) -> None:
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem("全部批次（跨批次对比）", None)
        for info in list_rounds(self.store):
            self.scope.addItem(f"{info.name}（{info.dossier_count}份）", info.id)
        index = self.scope.findData(select) if select is not None else 0
        self.scope.setCurrentIndex(max(0, index))
        self.scope.blockSignals(False)
        self._update_title()

    def round_id(self) -> int | None:
        data = self.scope.currentData()
        return int(data) if data is not None else None

    def show_round(self, round_id: int | None) -> None:
        index = self.scope.findData(round_id) if round_id is not None else 0
        if index >= 0:
            self.scope.setCurrentIndex(index)

    def _update_title(self) -> None:
        name = self.scope.currentText() if self.round_id() is not None else "全部批次"
        self.setWindowTitle(f"概览 — {name}")
        self.report_button.setEnabled(self.round_id() is not None)

    def day(self) -> date:
        d = self.as_of.date()
        return date(d.year(), d.month(), d.day())

    # counting ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()
        if self.stats is None or self._changed():
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.timer.stop()
        super().closeEvent(event)

    def _changed(self) -> bool:
        try:
            return data_mark(self.store) != self._mark
        except Exception:  # a shared server briefly away: try again at the next tick
            return False

    def poll(self) -> None:
        """Count again when the store changed since the last count (every change is audited)."""
        if self.isVisible() and not self.loading and self._changed():
            self.refresh()

    def refresh(self) -> None:
        """Count in a worker; the charts are replaced when it is done. Returns at once."""
        try:
            self._fill_scopes(self.round_id())  # a round created meanwhile, new counts
        except Exception as exc:
            self.status.setText(f"无法读取认定批次：{exc}")
            return
        if self.loading:
            self._again = True
            return
        self.loading, self._again = True, False
        self._generation += 1
        generation, store, round_id, day = self._generation, self.store, self.round_id(), self.day()
        self.status.setText("正在统计…")
        self.refresh_button.setEnabled(False)

        def work() -> tuple[tuple[int, int], RoundStats | OverallStats, list[Chart]]:
            mark = data_mark(store)  # before counting: a change during it triggers another
            stats = (
                overall_stats(store, day) if round_id is None else count_round(store, round_id, day)
            )
            return mark, stats, build_charts(stats)

        run_task(work, lambda result: self._counted(generation, result), self._failed)

    def _counted(
        self,
        generation: int,
        result: tuple[tuple[int, int], RoundStats | OverallStats, list[Chart]],
    ) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        mark, stats, charts = result
        if generation == self._generation:
            self._mark, self.stats = mark, stats
            self._show(stats, charts)
            self.status.setText(f"已更新（{_now()}）")
        if self._again:
            self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        self.refresh_button.setEnabled(True)
        self.status.setText("统计失败")
        if self._again:
            self.refresh()
            return
        show_exception(self, exc)

    def _show(self, stats: RoundStats | OverallStats, charts: list[Chart]) -> None:
        """Put the new charts in the tabs, staying on the tab the user was looking at."""
        current = self.tabs.tabText(self.tabs.currentIndex()) if self.tabs.count() else None
        titles = dict(chart_keys(stats))
        self.tabs.setUpdatesEnabled(False)
        try:
            while self.tabs.count():
                widget = self.tabs.widget(0)
                self.tabs.removeTab(0)
                if widget is not None:
                    widget.deleteLater()
            self.panels = {}
            for chart in charts:
                panel = ChartPanel(chart, self.select, self.export_png)
                self.panels[chart.key] = panel
                label = titles[chart.key] + ("（暂无数据）" if chart.empty else "")
                self.tabs.addTab(panel, label)
            for i in range(self.tabs.count()):
                if (
                    current
                    and self.tabs.tabText(i).split("（暂无")[0] == current.split("（暂无")[0]
                ):
                    self.tabs.setCurrentIndex(i)
        finally:
            self.tabs.setUpdatesEnabled(True)

    # clicks --------------------------------------------------------------------------------
    def select(self, selection: Selection) -> None:
        """A bar was clicked: list its dossiers in the main window (or open that round)."""
        if selection.kind == "round":
            self.show_round(int(selection.key[0]))
            return
        round_id = self.round_id()
        if round_id is None:
            return
        try:
            ids = members(self.store, round_id, selection)
        except Exception as exc:
            show_exception(self, exc)
            return
        if self.host is None:
            show_error(self, f"{selection.label}：{len(ids)}份申报材料。")
            return
        self.host.show_only(round_id, ids, selection.label)

    # export --------------------------------------------------------------------------------
    def export_png(self, key: str) -> Path | None:
        if self.stats is None:
            return None
        title = dict(chart_keys(self.stats))[key]
        path, _ = QFileDialog.getSaveFileName(self, "导出图片", f"{title}.png", "PNG 图片 (*.png)")
        if not path:
            return None
        return self.save_png(key, Path(path))

    def save_png(self, key: str, target: Path) -> Path | None:
        """The chart at its standard size (as in the 统计报告), whatever the window's size."""
        from sme_review_desktop.overview.charts.catalogue import build_chart

        if self.stats is None:
            return None
        try:
            build_chart(key, self.stats).save_png(target)
        except Exception as exc:
            show_exception(self, exc)
            return None
        self.status.setText(f"已导出图片：{target}")
        return target

    def export_report(self) -> ExportTask | None:
        round_id = self.round_id()
        if round_id is None:
            show_error(self, "统计报告按认定批次导出：请先在“统计范围”中选择一个批次。")
            return None
        path, _ = QFileDialog.getSaveFileName(
            self, "导出统计报告", "统计报告.pdf", "PDF 文件 (*.pdf)"
        )
        if not path:
            return None
        return self.write_report(round_id, Path(path))

    def write_report(self, round_id: int, target: Path) -> ExportTask:
        """The 统计报告 in the export worker, with progress and 取消 (as the 导出 menu does)."""
        from sme_review_desktop.exports.stats_report import write_stats_report

        store, day = self.store, self.day()
        task = ExportTask(
            self, "统计报告", target, lambda p: write_stats_report(store, round_id, p, as_of=day)
        )
        task.finished.connect(lambda p: self.status.setText(f"已导出统计报告：{p}"))
        task.failed.connect(lambda exc: show_exception(self, exc))
        self.exports.append(task)
        return task


def _now() -> str:
    from datetime import datetime

    return datetime.now().strftime("%H:%M:%S")
