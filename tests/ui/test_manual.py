"""The user manual: opened from 帮助 → 用户手册 with its pictures, its menu paths and shortcuts
true to the app, and every picture it names made by scripts/manual_screenshots.py."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from sme_review_desktop.ui.main_window import MainWindow
from sme_review_desktop.ui.manual_viewer import ManualViewer, manual_path
from sme_review_desktop.ui.workspace.dossier_window import DossierWindow
from sme_review_desktop.ui.workspace.shortcuts import SHORTCUTS, key_name

ROOT = Path(__file__).resolve().parents[2]
MANUAL = ROOT / "sme_review_desktop" / "resources" / "docs" / "用户手册.md"
SCRIPT = ROOT / "scripts" / "manual_screenshots.py"


def manual_text() -> str:
    return MANUAL.read_text(encoding="utf-8")


def pictures() -> list[str]:
    """Pictures the manual names, in order (``manual/….png``)."""
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", manual_text())


def headings() -> list[tuple[int, str]]:
    found, fenced = [], False
    for line in manual_text().splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"(#{1,6}) (.+)", line)):
            found.append((len(m.group(1)), m.group(2).strip()))
    return found


def screenshot_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("manual_screenshots", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_help_menu_opens_the_manual_with_its_pictures(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    help_menu = next(a.menu() for a in main_window.menuBar().actions() if a.text() == "帮助(&H)")
    assert isinstance(help_menu, QMenu)
    next(a for a in help_menu.actions() if a.text() == "用户手册").trigger()
    viewer = main_window.findChild(ManualViewer)
    assert viewer is not None and viewer.isVisible()
    assert viewer.path == manual_path() == MANUAL

    assert [(h.level, h.text) for h in viewer.headings] == headings()
    assert viewer.contents.topLevelItemCount() == sum(level == 2 for level, _ in headings())
    assert viewer.images() == pictures() and len(pictures()) >= 10
    assert viewer.broken_images() == []

    # Wide pictures are scaled to the text's width, and scrolling to a heading shows it.
    viewer.resize(900, 700)
    qtbot.waitUntil(lambda: viewer.browser.viewport().width() < 900)
    fragments = viewer._image_fragments()
    assert all(
        0 < f.charFormat().toImageFormat().width() <= viewer.browser.viewport().width()
        for f in fragments
    )
    assert viewer.show_heading("九、打印证书")
    assert viewer.browser.verticalScrollBar().value() > 0
    viewer.search.setText("套打校准页")
    viewer.find_next()
    assert viewer.browser.textCursor().selectedText() == "套打校准页"

    # A second click raises the same window.
    next(a for a in help_menu.actions() if a.text() == "用户手册").trigger()
    assert len(main_window.findChildren(ManualViewer)) == 1


def test_a_missing_manual_says_where_it_was_looked_for(qtbot: QtBot, tmp_path: Path) -> None:
    viewer = ManualViewer(tmp_path / "无此文件.md")
    qtbot.addWidget(viewer)
    assert "未找到用户手册" in viewer.browser.toPlainText()
    assert viewer.headings == [] and viewer.images() == []


def test_the_manual_is_package_data() -> None:
    assert manual_path() == MANUAL and MANUAL.is_file()


def _menus(window: QMainWindow) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            title = re.sub(r"\(&\w\)", "", action.text())
            out[title] = {a.text() for a in menu.actions() if a.text()}
    return out


def test_every_menu_path_in_the_manual_is_in_the_app(qtbot: QtBot, main_window: MainWindow) -> None:
    dossier = main_window.open_dossier(main_window.list.model.summary(0).dossier_id)
    assert isinstance(dossier, DossierWindow)
    qtbot.addWidget(dossier)
    windows = [_menus(main_window), _menus(dossier)]
    paths = re.findall(r"\*\*([^*→]+?) → ([^*]+?)\*\*", manual_text())
    assert len(paths) >= 20
    missing = [
        f"{menu} → {item}"
        for menu, item in paths
        if not any(item in menus.get(menu, set()) for menus in windows)
    ]
    assert missing == []


def test_the_shortcut_table_is_the_apps() -> None:
    rows = set(re.findall(r"^\| (.+?) \| (.+?) \|$", manual_text(), re.MULTILINE))
    for _name, key, text in SHORTCUTS:
        assert (key_name(key), text) in rows  # 「下箭头」 as in the app's list, not "Down"


def _looks_like_a_window(image: QImage) -> bool:
    """Not blank: many colours, and no single colour covering nearly all of it."""
    counts: dict[int, int] = {}
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            pixel = image.pixel(x, y)
            counts[pixel] = counts.get(pixel, 0) + 1
    return len(counts) >= 16 and max(counts.values()) < 0.97 * sum(counts.values())


def test_the_script_makes_every_picture_the_manual_names(tmp_path: Path) -> None:
    sizes: dict[str, tuple[int, int]] = screenshot_script().SHOTS
    named = {Path(p).name for p in pictures()}
    assert {Path(p).parent.as_posix() for p in pictures()} == {"manual"}
    # The repository holds exactly the pictures the manual names, at the script's sizes.
    committed = {p.name for p in (MANUAL.parent / "manual").glob("*.png")}
    assert committed == named == set(sizes)

    out = tmp_path / "截图"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert {p.name for p in out.glob("*.png")} == named
    for name in sorted(named):
        image = QImage(str(out / name))
        assert (image.width(), image.height()) == sizes[name], name
        assert _looks_like_a_window(image), name
        kept = QImage(str(MANUAL.parent / "manual" / name))
        assert (kept.width(), kept.height()) == sizes[name], name
