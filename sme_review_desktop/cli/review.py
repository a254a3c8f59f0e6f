"""CLI: evaluating a round against its measure."""

from __future__ import annotations

import argparse
from typing import Any

from sme_review_desktop.cli.common import emit, leaf, open_store


def cmd_evaluate(args: argparse.Namespace) -> int:
    from sme_review_desktop.review.evaluation import evaluate_round

    results = evaluate_round(open_store(args), args.round)
    payload = {"dossiers": [r.as_json() for r in results]}
    lines = [
        f"{r.uscc}\t{r.platform_name}\t第{r.version}版\t{r.evaluation.overall.label}"
        for r in results
    ]
    emit(args, payload, "\n".join(lines) or "该批次还没有申报材料。")
    return 0


def add_commands(sub: Any) -> None:
    """Add this group's commands to the top-level sub-parsers."""
    leaf(
        sub,
        cmd_evaluate,
        "evaluate",
        help="按办法审核 evaluate a round against its rulebook",
        round_id=True,
    )
