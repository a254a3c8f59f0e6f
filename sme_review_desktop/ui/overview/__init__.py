"""统计 → 概览: the charts of a round, or of all rounds, in a window of their own."""

from .window import OverviewWindow

__all__ = ["OverviewWindow"]
