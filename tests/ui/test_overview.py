"""统计 → 概览: every chart opens on the demo data and on an empty round, a click on a bar lists
its dossiers in the main window, the charts follow changes, PNG and PDF export, 10,000 dossiers.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from approval_helpers import approve
from matplotlib.artist import Artist
from overview.large import build_large
from overview.scenario import AS_OF, build_scenario
from pypdf import PdfReader
from PySide6.QtCore import QDate, QPoint, Qt
from pytestqt.qtbot import QtBot

from sme_review_desktop.overview.charts.base import EMPTY
from sme_review_desktop.overview.charts.catalogue import OVERALL_CHARTS, ROUND_CHARTS
from sme_review_desktop.overview.dossier_list import dossier_summaries
from sme_review_desktop.overview.stats_model import RoundStats
from sme_review_desktop.rounds import create_round
from sme_review_desktop.store.database import Store, open_store
from sme_review_desktop.store.settings import Settings
from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.overview import OverviewWindow
from sme_review_desktop.ui.overview.panel import ChartPanel
from sme_review_desktop.ui.tasks import wait_for_tasks


@pytest.fixture(autouse=True)
def _workers_done() -> Iterator[None]:
    """No count or list load may outlive its test (and the store it reads)."""
    yield
    wait_for_tasks(120_000)


def loaded(qtbot: QtBot, window: OverviewWindow, timeout: int = 30_000) -> OverviewWindow:
    qtbot.waitUntil(lambda: window.stats is not None and not window.loading, timeout=timeout)
    return window


def open_overview(qtbot: QtBot, main: MainWindow, *, all_rounds: bool = False) -> OverviewWindow:
    window = main.open_overview(all_rounds=all_rounds)
    assert isinstance(window, OverviewWindow)
    qtbot.addWidget(window)
    return loaded(qtbot, window)


def every_tab_drawn(window: OverviewWindow) -> list[ChartPanel]:
    """Show each tab and draw its chart as the screen would; returns the panels in tab order."""
    panels = []
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        panel = window.tabs.widget(i)
        assert isinstance(panel, ChartPanel)
        panel.canvas.draw()
        panels.append(panel)
    return panels


def figure_text(panel: ChartPanel) -> str:
    return " ".join(
        t.get_text() for t in panel.chart.figure.findobj(lambda a: hasattr(a, "get_text"))
    )


def click(qtbot: QtBot, panel: ChartPanel, artist: Artist) -> None:
    """A real left click on the bar, through Qt, as a reviewer's mouse would do it."""
    canvas = panel.canvas
    canvas.draw()
    box = artist.get_window_extent()
    ratio = canvas.device_pixel_ratio
    x = (box.x0 + box.x1) / 2 / ratio
    y = (canvas.figure.bbox.height - (box.y0 + box.y1) / 2) / ratio
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y)))


def test_every_chart_opens_on_the_demo_data(qtbot: QtBot, main_window: MainWindow) -> None:
    window = open_overview(qtbot, main_window)
    assert window.windowTitle().startswith("概览 — 2026年度聊城市示范平台认定")
    panels = every_tab_drawn(window)
    assert [p.chart.key for p in panels] == [k for k, _ in ROUND_CHARTS]
    shown = {p.chart.key: p for p in panels}
    # The demo has imports but no scores, decisions or certificates yet.
    for key in ("funnel", "shortfalls", "by_county"):
        assert not shown[key].chart.empty and shown[key].chart.clickable
    for key in ("expert_spread", "dossier_scores", "register_years", "register_expiry"):
        assert shown[key].chart.empty and EMPTY in figure_text(shown[key])
        assert "暂无数据" in window.tabs.tabText(list(shown).index(key))
    assert "第七条（三） 年服务中小企业80家以上" in figure_text(shown["shortfalls"])


def test_every_chart_of_an_empty_round_says_no_data(qtbot: QtBot, main_window: MainWindow) -> None:
    rid = create_round(
        main_window.store, "xian-2018", "2027年度西安（空）", date(2027, 6, 30), "秘书"
    )
    main_window.reload_rounds(select=rid)
    window = open_overview(qtbot, main_window)
    assert window.round_id() == rid
    panels = every_tab_drawn(window)
    assert len(panels) == len(ROUND_CHARTS)
    for panel in panels:
        assert panel.chart.empty and EMPTY in figure_text(panel), panel.chart.key
        assert not panel.chart.targets
    assert all("暂无数据" in window.tabs.tabText(i) for i in range(window.tabs.count()))


def test_clicking_a_bar_lists_its_dossiers_in_the_main_window(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = open_overview(qtbot, main_window)
    assert isinstance(window.stats, RoundStats)
    unmet = window.stats.funnel.suggestion["unmet"]
    funnel = window.panels["funnel"]
    window.tabs.setCurrentWidget(funnel)
    bar = next(a for a, s in funnel.chart.targets.items() if s.key == ("suggestion", "unmet"))
    click(qtbot, funnel, bar)
    table = main_window.list.proxy
    qtbot.waitUntil(lambda: table.rowCount() == unmet)
    assert main_window.list.only_bar.isVisibleTo(main_window)
    assert main_window.list.only_label.text() == f"筛选：系统建议：不符合（{unmet}份）"
    assert all(table.data(table.index(r, 6)) == "不符合" for r in range(table.rowCount()))
    assert f"显示 {unmet} / 共 12 份" in main_window.count_label.text()

    shortfalls = window.panels["shortfalls"]
    window.tabs.setCurrentWidget(shortfalls)
    bar, selection = next(iter(shortfalls.chart.targets.items()))
    click(qtbot, shortfalls, bar)
    first = window.stats.shortfalls[0]
    qtbot.waitUntil(lambda: table.rowCount() == first.dossiers)
    assert selection.label in main_window.list.only_label.text()

    main_window.list.only_clear.click()
    assert table.rowCount() == 12 and not main_window.list.only_bar.isVisibleTo(main_window)


def test_a_selection_switches_the_main_window_to_its_round(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = open_overview(qtbot, main_window, all_rounds=True)
    assert window.round_id() is None
    panels = every_tab_drawn(window)
    assert [p.chart.key for p in panels] == [k for k, _ in OVERALL_CHARTS]
    assert not window.report_button.isEnabled()  # the 统计报告 is per round
    rounds = window.panels["rounds"]
    window.tabs.setCurrentWidget(rounds)
    bar = next(a for a, s in rounds.chart.targets.items() if s.key == (2,))
    click(qtbot, rounds, bar)  # the 西安 round's bar opens its overview
    qtbot.waitUntil(lambda: window.round_id() == 2)
    loaded(qtbot, window)
    qtbot.waitUntil(lambda: isinstance(window.stats, RoundStats) and window.stats.round.id == 2)
    county = window.panels["by_county"]
    selection = county.select_at(0)  # the first county's 申报 bar
    assert main_window.current_round() == 2
    first = window.stats.by_county[0]
    assert selection.label == f"{first.county}：申报"
    # The main window loads round 2 (12 dossiers as round 1 has) and keeps the selection.
    qtbot.waitUntil(lambda: main_window.list.proxy.rowCount() == first.dossiers, timeout=15_000)
    shown = {
        main_window.list.proxy.index(r, 2).data() for r in range(main_window.list.proxy.rowCount())
    }
    assert shown == {first.county}
    main_window.rounds.setCurrentIndex(main_window.rounds.findData(1))  # another round: cleared
    qtbot.waitUntil(lambda: not main_window.list.only_bar.isVisibleTo(main_window), timeout=15_000)


def test_the_charts_follow_changes_to_the_data(qtbot: QtBot, main_window: MainWindow) -> None:
    window = open_overview(qtbot, main_window)
    assert isinstance(window.stats, RoundStats)
    assert window.stats.funnel.decision["approved"] == 0
    code = dossier_summaries(main_window.store, 1)[0].uscc
    approve(main_window.store, 1, code, "符合条件", "组长")  # as another window would
    window.poll()  # what the timer does every few seconds
    qtbot.waitUntil(
        lambda: (
            isinstance(window.stats, RoundStats) and window.stats.funnel.decision["approved"] == 1
        ),
        timeout=15_000,
    )
    approved = window.panels["funnel"].chart.targets
    assert any(s.key == ("decision", "approved") for s in approved.values())
    before = window.stats
    window.poll()  # nothing changed: nothing recounted
    wait_for_tasks()
    assert window.stats is before and not window.loading


def test_png_and_the_report_from_the_window(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    build_scenario(main_window.store)
    window = open_overview(qtbot, main_window)
    window.as_of.setDate(QDate(AS_OF.year, AS_OF.month, AS_OF.day))
    qtbot.waitUntil(lambda: window.stats is not None and window.stats.as_of == AS_OF)
    loaded(qtbot, window)
    panels = every_tab_drawn(window)
    assert all(not p.chart.empty for p in panels)
    png = window.save_png("expert_spread", tmp_path / "专家评分分布.png")
    assert png is not None and png.read_bytes().startswith(b"\x89PNG")
    target = tmp_path / "统计报告.pdf"
    task = window.write_report(1, target)
    with qtbot.waitSignal(task.finished, timeout=60_000):
        pass
    text = "".join("".join(p.extract_text() for p in PdfReader(target).pages).split())
    assert "统计报告" in text and "四、专家评分分布" in text
    # The same report is on the 导出 menu, and the window on the 统计 menu.
    menus = {a.text(): a.menu() for a in main_window.menuBar().actions()}
    assert [a.text() for a in menus["统计(&S)"].actions()] == ["本批次概览…", "跨批次概览…"]
    exports = main_window.exports
    exports.preview_after_export = False
    exports.ask = lambda *_: tmp_path / "从导出菜单.pdf"  # type: ignore[method-assign]
    item = next(a for a in menus["导出(&E)"].actions() if a.text() == "统计报告（PDF）…")
    item.trigger()
    with qtbot.waitSignal(exports.tasks[-1].finished, timeout=60_000):
        pass
    assert PdfReader(tmp_path / "从导出菜单.pdf").pages


@pytest.fixture(scope="module")
def large_folder(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("large") / "data"
    shutil.copytree(demo_template, folder)
    store = open_store(folder)
    build_large(store)
    store.close()
    return folder


@pytest.fixture
def large_store(large_folder: Path, tmp_path: Path) -> Iterator[Store]:
    target = tmp_path / "large"
    shutil.copytree(large_folder, target)
    store = open_store(target)
    yield store
    store.close()


def test_ten_thousand_dossiers_stay_responsive(qtbot: QtBot, large_store: Store) -> None:
    window = OverviewWindow(large_store, None, 1)
    qtbot.addWidget(window)
    started = time.perf_counter()
    window.show()  # counting starts in a worker; the window is back at once
    assert time.perf_counter() - started < 1.0
    assert window.loading
    ticks = 0
    while window.loading and time.perf_counter() - started < 120:
        qtbot.wait(50)  # the event loop keeps running while the worker counts
        ticks += 1
    assert not window.loading and ticks > 3
    assert isinstance(window.stats, RoundStats)
    assert window.stats.funnel.received == 10_012
    assert window.stats.funnel.decision["approved"] == 1_000
    panels = every_tab_drawn(window)
    assert all(not p.chart.empty for p in panels if p.chart.key.startswith(("funnel", "expert")))
    # Counting again is fast: the engine's verdicts are kept per version.
    again = time.perf_counter()
    window.refresh()
    loaded(qtbot, window)
    assert time.perf_counter() - again < 10
    main = MainWindow(large_store, Settings(reviewer_name="张评审"))
    qtbot.addWidget(main)
    window.host = main
    clicked = time.perf_counter()
    window.panels["funnel"].select_at(0)  # 收到申报: all 10,012 dossiers
    assert time.perf_counter() - clicked < 5
    assert main.list.only_label.text().endswith("（10012份）")
