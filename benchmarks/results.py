"""The table of results, written to benchmarks/RESULTS.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Row:
    what: str
    scale: str
    reference: str
    figure: str
    ratio: str
    target: str
    met: bool
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.met:
            return "met"
        from .reasons import REASONS  # read when the table is written: editable during a run

        reason = REASONS.get(self.what.split(" (")[0].split(",")[0], "")
        return f"**missed**: {reason}" if reason else "**missed**"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_results(
    path: Path,
    rows: list[Row],
    about: list[tuple[str, str]],
    when: datetime,
    scale: str,
    elapsed: float,
) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python -m benchmarks{' --quick' if scale == 'quick' else ''}` on "
        f"{when:%Y-%m-%d %H:%M %Z} ({scale} scale, {elapsed / 60:.1f} minutes). Every figure "
        "is a median unless it says otherwise; each reference was measured in the same run, "
        "and a ratio is the median of the pairwise ratios (A B A B …), which holds when the "
        "machine's speed drifts. This is a shared machine: the load average says how busy it "
        "was with other work.",
        "",
        "## Machine",
        "",
        *[f"- {name}: {value}" for name, value in about],
        "",
        "## Results",
        "",
        "| what | scale | reference, same run | figure | ratio | target | verdict | how |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        cells = (r.what, r.scale, r.reference, r.figure, r.ratio, r.target, r.verdict, r.note)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += [
        "",
        "Regenerate: `python -m benchmarks` (about ten minutes; `--quick` for a smoke run).",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    """``python -m benchmarks.results RESULTS.json [RESULTS.md]``: the table again from a run's
    saved rows, with the reasons as ``reasons.py`` now gives them (the figures unchanged)."""
    import json
    import sys

    saved = Path(sys.argv[1])
    data = json.loads(saved.read_text(encoding="utf-8"))
    write_results(
        Path(sys.argv[2]) if len(sys.argv) > 2 else saved.with_suffix(".md"),
        [Row(**r) for r in data["rows"]],
        [tuple(a) for a in data["about"]],
        datetime.fromisoformat(data["when"]),
        data["scale"],
        data["elapsed"],
    )


if __name__ == "__main__":
    main()
