"""Two rows of issue 24: the CLI's start and the importer's rate on bare data forms.

Each is a whole command against its same-run reference, paired A B A B (``timing.paired``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from . import synth
from .results import Row
from .timing import median, paired

if TYPE_CHECKING:
    from .__main__ import Bench

HERE = Path(__file__).resolve().parent


def _spread(ratios: list[float]) -> str:
    ordered = sorted(ratios)
    return (
        f"{len(ordered)} pairs A B A B after a warm-up; ratio min–max "
        f"{ordered[0]:.2f}–{ordered[-1]:.2f}"
    )


def cli_start(bench: Bench, python: str, app: list[str]) -> None:
    """``sme-review evaluate`` over an empty round against a bare SQLAlchemy import."""
    s = bench.scale
    data = bench.work / "cli-store"
    bench.step("CLI start: evaluate an empty round against python -c 'import sqlalchemy.orm'")
    create = ["round", "create", "--rulebook", synth.RULEBOOK, "--name", "空批次"]
    subprocess.run(
        [*app, "--data-dir", str(data), *create, "--reference-date", "2026-06-30"],
        check=True,
        capture_output=True,
    )
    reference = [python, "-c", "import sqlalchemy.orm, sqlite3"]
    evaluate = paired(
        [*app, "--data-dir", str(data), "evaluate", "--round", "1", "--json"],
        reference,
        runs=2 * s.runs,
        log=bench.log,
    )
    listing = paired(
        [*app, "--data-dir", str(data), "round", "list", "--json"],
        reference,
        runs=2 * s.runs,
        log=bench.log,
    )
    version = paired([*app, "--version"], reference, runs=2 * s.runs, log=bench.log)
    ratio = evaluate.median_ratio()
    bench.add(
        "cli",
        Row(
            what="CLI start (evaluate an empty round)",
            scale="a store with one empty round",
            reference=f'`python -c "import sqlalchemy.orm, sqlite3"`: {evaluate.median_b():.2f} s',
            figure=f"{evaluate.median_a():.2f} s; `round list --json` {listing.median_a():.2f} s "
            f"({listing.median_ratio():.2f}×); `--version` {version.median_a():.2f} s "
            f"({version.median_ratio():.2f}×)",
            ratio=f"{ratio:.2f}×",
            target="≤ 1.5× the reference",
            met=ratio <= 1.5,
            note="`sme-review evaluate --round 1 --json` as a whole process; CPU "
            f"{median([r.cpu for r in evaluate.a]):.2f} s against "
            f"{median([r.cpu for r in evaluate.b]):.2f} s; " + _spread(evaluate.ratios),
        ),
    )
    shutil.rmtree(data, ignore_errors=True)


def bare_forms(bench: Bench, python: str, app: list[str]) -> None:
    """The importer on packages of a data form alone, against openpyxl reading those forms."""
    s = bench.scale
    count = s.bare_forms
    batch, data = bench.work / "bare-forms", bench.work / "bare-store"
    bench.step(f"writing {count} packages of a bare data form")
    synth.write_bare_forms(batch, count)

    def fresh_store() -> None:
        shutil.rmtree(data, ignore_errors=True)
        subprocess.run(
            [
                *app,
                "--data-dir",
                str(data),
                "round",
                "create",
                "--rulebook",
                synth.RULEBOOK,
                "--name",
                "表格基准",
                "--reference-date",
                "2026-06-30",
            ],
            check=True,
            capture_output=True,
        )

    bench.step("bare forms: import against openpyxl's read of the same forms")
    result = paired(
        [
            *app,
            "--data-dir",
            str(data),
            "--actor",
            synth.ACTOR,
            "import",
            "--round",
            "1",
            str(batch),
            "--json",
        ],
        [python, str(HERE / "ref_forms.py"), str(batch)],
        runs=s.import_runs,
        before_a=fresh_store,
        log=bench.log,
    )
    imported = synth.count_imported(data)[0]
    if imported != count:
        raise RuntimeError(f"the import brought in {imported} dossiers, not {count}")
    rate, ref_rate = count / result.median_a(), count / result.median_b()
    ratio = 1 / result.median_ratio()  # a rate: the reference's time over the import's
    bench.add(
        "forms",
        Row(
            what="bare forms per second",
            scale=f"{count} packages, a data form each and no evidence",
            reference=f"openpyxl reading the same forms (read-only, values): {ref_rate:.0f} "
            f"forms/s ({result.median_b():.1f} s)",
            figure=f"{rate:.0f} forms/s ({result.median_a():.1f} s)",
            ratio=f"{ratio:.2f}×",
            target="≥ 0.8× the reference",
            met=ratio >= 0.8,
            note="`sme-review import --round 1 FOLDER --json` into a new store each run, the "
            "command's start included; " + _spread(result.ratios),
        ),
    )
    shutil.rmtree(batch, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
