"""Why a figure misses its target, as profiling found it: shown beside a missed figure.

Keyed by the start of the row's ``what``. Keep these honest and current: a reason here is a
claim about the code, to be re-checked when the figure moves.
"""

from __future__ import annotations

REASONS: dict[str, str] = {}
