"""帮助 → 用户手册: docs/用户手册.md with its pictures, read offline inside the app.

The manual is the same Markdown file the repository shows; Qt renders it (GitHub dialect), the
pictures are found relative to it (``docs/manual/``), and a contents list on the left jumps to
each heading. Pictures are scaled down to the window's width, never up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QImage,
    QKeySequence,
    QResizeEvent,
    QShortcut,
    QTextCursor,
    QTextDocument,
    QTextFragment,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sme_review_desktop.store.paths import resources_dir
from sme_review_desktop.ui.screen_fit import fit_to_screen

MANUAL_NAME = "用户手册.md"
ROLE_POSITION = Qt.ItemDataRole.UserRole + 1


def manual_path() -> Path:
    """The manual, package data like every other resource: ``resources/docs/用户手册.md``."""
    return resources_dir() / "docs" / MANUAL_NAME


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    position: int  # where the heading's block starts in the document


class ManualViewer(QWidget):
    """The manual in a window of its own: contents | text, with find (Ctrl+F)."""

    def __init__(self, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setWindowTitle("用户手册")
        self.path = path or manual_path()
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setUndoRedoEnabled(False)
        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.itemActivated.connect(self._jump)
        self.contents.itemClicked.connect(self._jump)
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找（Ctrl+F，回车查找下一处）")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.find_next)
        self.not_found = QLabel()
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self.search.setFocus)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.contents)
        split.addWidget(self.browser)
        split.setSizes([260, 840])
        split.setChildrenCollapsible(False)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.not_found)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

        self.headings: list[Heading] = []
        self._natural: dict[str, tuple[int, int]] = {}  # picture → its own size
        self.load(self.path)
        fit_to_screen(self, 1100, 780)

    # loading -------------------------------------------------------------------------------
    def load(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            self.browser.setPlainText(f"未找到用户手册：{path}")
            self.headings, self._natural = [], {}
            self.contents.clear()
            return
        folder = str(path.parent)
        self.browser.setSearchPaths([folder])
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(folder + "/"))
        self.browser.setMarkdown(text)
        self._natural = {name: self._picture_size(name) for name in self.images()}
        self._fit_images()
        self.headings = self._read_headings()
        self._fill_contents()

    def _read_headings(self) -> list[Heading]:
        found = []
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level:
                found.append(Heading(level, block.text().strip(), block.position()))
            block = block.next()
        return found

    def _fill_contents(self) -> None:
        self.contents.clear()
        parents: dict[int, QTreeWidgetItem] = {}
        for heading in self.headings:
            if heading.level == 1:
                continue  # the title: the window says it
            above = parents.get(heading.level - 1)
            item = QTreeWidgetItem([heading.text])
            item.setData(0, ROLE_POSITION, heading.position)
            if above is None:
                self.contents.addTopLevelItem(item)
            else:
                above.addChild(item)
            parents[heading.level] = item
            for deeper in [k for k in parents if k > heading.level]:
                del parents[deeper]
        self.contents.expandToDepth(0)

    # pictures ------------------------------------------------------------------------------
    def _image_fragments(self) -> list[QTextFragment]:
        out = []
        block = self.browser.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid() and fragment.charFormat().isImageFormat():
                    out.append(fragment)
                it += 1
            block = block.next()
        return out

    def images(self) -> list[str]:
        """The pictures the manual shows, by the name it gives them (``manual/….png``)."""
        return [f.charFormat().toImageFormat().name() for f in self._image_fragments()]

    def _picture_size(self, name: str) -> tuple[int, int]:
        data = self.browser.loadResource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        image = data if isinstance(data, QImage) else QImage.fromData(data) if data else QImage()
        return (image.width(), image.height()) if not image.isNull() else (0, 0)

    def broken_images(self) -> list[str]:
        """Pictures the manual names that cannot be found or read."""
        return [name for name, size in self._natural.items() if size == (0, 0)]

    def _fit_images(self) -> None:
        room = max(200, self.browser.viewport().width() - 40)
        cursor = QTextCursor(self.browser.document())
        for fragment in self._image_fragments():
            fmt = fragment.charFormat().toImageFormat()
            width, height = self._natural.get(fmt.name(), (0, 0))
            if not width:
                continue
            shown = min(width, room)
            if abs(fmt.width() - shown) < 1:
                continue
            fmt.setWidth(shown)
            fmt.setHeight(height * shown / width)
            cursor.setPosition(fragment.position())
            cursor.setPosition(
                fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
            )
            cursor.setCharFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_images()

    # moving about --------------------------------------------------------------------------
    def _jump(self, item: QTreeWidgetItem) -> None:
        self.scroll_to(int(item.data(0, ROLE_POSITION)))

    def scroll_to(self, position: int) -> None:
        """Put the text at ``position`` at the top of the view."""
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(position)
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.maximum())  # from the bottom, so that ensureCursorVisible scrolls up
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()

    def show_heading(self, text: str) -> bool:
        """Scroll to the first heading that contains ``text``."""
        heading = next((h for h in self.headings if text in h.text), None)
        if heading is not None:
            self.scroll_to(heading.position)
        return heading is not None

    def find_next(self) -> None:
        text = self.search.text()
        if not text:
            return
        found = self.browser.find(text)
        if not found:  # wrap around once
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
            found = self.browser.find(text)
        self.not_found.setText("" if found else "未找到")


def open_manual(parent: QWidget) -> ManualViewer:
    """The manual's window (one per main window), shown and raised."""
    viewer = parent.findChild(ManualViewer)
    if viewer is None:
        viewer = ManualViewer(parent=parent)
    viewer.show()
    viewer.raise_()
    viewer.activateWindow()
    return viewer
