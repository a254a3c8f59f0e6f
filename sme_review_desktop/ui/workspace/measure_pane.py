"""The 办法原文 pane: the whole measure, with the current article highlighted."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTextBrowser, QWidget

from sme_review_desktop.review.measure_html import measure_html
from sme_review_desktop.rules.rulebook import Rulebook


class MeasurePane(QTextBrowser):
    def __init__(self, book: Rulebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.current: int | None = None
        self.setOpenLinks(False)
        self.show_article(None)

    def show_article(self, article: int | None) -> None:
        if article != self.current or not self.toPlainText():
            self.current = article
            self.setHtml(measure_html(self.book, highlight=article))
        if article is not None:
            # Scrolled again even when unchanged: a pane just shown has only now been laid
            # out, and an anchor scrolled to while hidden left it at 第一章.
            self.scrollToAnchor(f"a{article}")
            QTimer.singleShot(0, lambda: self.scrollToAnchor(f"a{article}"))
