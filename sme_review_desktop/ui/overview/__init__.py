"""统计 → 概览: the charts of a round, or of all rounds, in a window of their own."""

from sme_review_desktop.ui.overview.window import OverviewWindow

__all__ = ["OverviewWindow"]
