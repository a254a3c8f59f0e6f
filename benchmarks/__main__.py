"""Run every benchmark of issue 9 and write benchmarks/RESULTS.md.

    python -m benchmarks            # the full scale (about 10 minutes)
    python -m benchmarks --quick    # a smoke run at a tenth of the scale (about 2 minutes)

Data is built in a temporary folder (``--work DIR`` to choose it), never in the repository,
and removed afterwards (``--keep`` keeps it). Each row's figure is measured in the same run as
its reference; whole commands are timed as processes, paired A B A B with their reference;
interactive figures are timed inside the real windows (``benchmarks/probes.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from . import machine, start_rows, synth
from .results import Row, write_results
from .timing import Paired, median, p95, paired

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
APP = [PYTHON, "-m", "sme_review_desktop.cli"]
QT_REFERENCE = [PYTHON, "-c", "import PySide6.QtWidgets"]
GUI_ENV = {"QT_QPA_PLATFORM": "offscreen", "SME_REVIEW_EXIT_WHEN_READY": "1"}
MIB = 1024 * 1024
HASH_ALL = 'find "{copy}" -type f -exec sha256sum {{}} + >/dev/null'


@dataclass(frozen=True)
class Scale:
    name: str
    dossiers: int
    packages: int
    files: int
    total_bytes: int
    certificates: int
    notice_rows: int
    runs: int  # counted pairs of a whole-command row
    import_runs: int
    reps: int  # repetitions of an in-process figure
    bare_forms: int  # packages of a data form alone


FULL = Scale("full", 10_000, 200, 3_000, 1100 * MIB, 500, 500, 5, 3, 300, 500)
QUICK = Scale("quick", 1_000, 20, 300, 110 * MIB, 100, 100, 3, 2, 60, 50)


class Bench:
    def __init__(self, scale: Scale, work: Path) -> None:
        self.scale = scale
        self.work = work
        self.log = str(work / "commands.log")
        self.rows: dict[str, list[Row]] = {}

    def step(self, text: str) -> None:
        print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)

    def probe(self, name: str, store: Path, reps: int, *extra: str) -> dict[str, object]:
        out = subprocess.run(
            [PYTHON, "-m", "benchmarks.probes", name, str(store), "--reps", str(reps), *extra],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        if out.returncode != 0:
            raise RuntimeError(f"probe {name} failed:\n{out.stderr[-3000:]}")
        result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
        return result

    # the stores -------------------------------------------------------------------------------
    def build(self, big: bool = True, certified: bool = True) -> None:
        s = self.scale
        self.big = self.work / "store-big"
        self.certified = self.work / "store-certified"
        if big:
            self.step(f"building a store of {s.dossiers:,} dossiers")
            _in_child("dossier_store", self.big, s.dossiers)
            # A reviewer is named, so the app opens straight on its main window (no welcome).
            (self.big / "settings.json").write_text(
                json.dumps({"reviewer_name": synth.ACTOR, "bureau": "聊城"}, ensure_ascii=False)
            )
        if certified:
            self.step(f"building a finalised round of {s.certificates} certified dossiers")
            _in_child("finalised_store", self.certified, s.certificates)

    # rows ---------------------------------------------------------------------------------------
    def cold_start(self) -> None:
        s = self.scale
        self.step("cold start (and memory) against the PySide6 import")
        # The first start after an import or an engine update evaluates every version and
        # fills the verdict cache; the paired runs below start with it filled (the warm-up).
        first = _first_start(self.big, self.log)
        shown = paired(
            [*APP, "--data-dir", str(self.big)],
            QT_REFERENCE,
            runs=s.runs,
            env={**GUI_ENV, "SME_REVIEW_EXIT_WHEN_READY": "shown"},
            log=self.log,
        )
        result = paired(
            [*APP, "--data-dir", str(self.big)],
            QT_REFERENCE,
            runs=s.runs,
            env=GUI_ENV,
            log=self.log,
        )
        # What is in the way: the app's own imports, before any store is opened.
        imports = paired(
            [PYTHON, "-c", "import sme_review_desktop.ui.app, sme_review_desktop.ui.main_window"],
            QT_REFERENCE,
            runs=s.runs,
            log=self.log,
        )
        ratio = result.median_ratio()
        self.add(
            "cold",
            Row(
                what="cold start to the main window shown with a round open",
                scale=f"store of {s.dossiers:,} dossiers",
                reference=f'`python -c "import PySide6.QtWidgets"`: {result.median_b():.2f} s',
                figure=f"{result.median_a():.2f} s to every row listed; "
                f"{shown.median_a():.2f} s ({shown.median_ratio():.1f}×) to the window painted "
                "with the round chosen and its list loading",
                ratio=f"{ratio:.1f}×",
                target="≤ 2× the reference",
                met=ratio <= 2,
                note="the ratio is of every row listed, the verdict cache filled; CPU "
                f"{median([r.cpu for r in result.a]):.2f} s against "
                f"{median([r.cpu for r in result.b]):.2f} s; the first start with the cache "
                f"empty (every version evaluated and stored) took {first:.2f} s; the app's "
                f"imports alone (ui.app, ui.main_window) {imports.median_a():.2f} s "
                f"({imports.median_ratio():.1f}×, CPU "
                f"{median([r.cpu for r in imports.a]):.2f} s); " + _spread(result),
            ),
        )
        rss = median([r.max_rss_mb for r in result.a])
        self.add(
            "memory",
            Row(
                what="memory (peak RSS of the app started on the store)",
                scale=f"app with {s.dossiers:,} dossiers open",
                reference="—",
                figure=f"{rss:.0f} MiB",
                ratio="—",
                target="< 400 MB RSS",
                met=rss < 400,
                note="peak resident set of the whole process (the OS's own count), median of "
                f"{len(result.a)} starts",
            ),
        )

    def import_throughput(self) -> None:
        s = self.scale
        batch = self.work / "county-batch"
        self.step(f"writing {s.packages} packages, {s.files:,} evidence files, random bytes")
        files, written = synth.write_packages(batch, s.packages, s.files, s.total_bytes)
        data, copy = self.work / "import-store", self.work / "import-copy"

        def fresh_store() -> None:
            shutil.rmtree(data, ignore_errors=True)
            _run(
                [
                    *APP,
                    "--data-dir",
                    str(data),
                    "round",
                    "create",
                    "--rulebook",
                    synth.RULEBOOK,
                    "--name",
                    "导入基准",
                    "--reference-date",
                    "2026-06-30",
                ]
            )
            os.sync()  # the previous run's writes are on disk before this run starts

        def fresh_copy() -> None:
            shutil.rmtree(copy, ignore_errors=True)
            os.sync()

        self.step("import against cp -r + sha256sum")
        result = paired(
            [
                *APP,
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
            ["sh", "-c", f'cp -r "{batch}" "{copy}" && {HASH_ALL.format(copy=copy)}'],
            runs=s.import_runs,
            before_a=fresh_store,
            before_b=fresh_copy,
            log=self.log,
        )
        imported = synth.count_imported(data)
        if imported != (s.packages, files):
            raise RuntimeError(f"the import brought in {imported}, not {(s.packages, files)}")
        ratio = 1 / result.median_ratio()  # throughput: the reference's time over the import's
        gb = written / 1e9
        self.add(
            "import",
            Row(
                what="import throughput",
                scale=f"{s.packages} packages, {files:,} evidence files, {gb:.2f} GB",
                reference=f"`cp -r` + `sha256sum`: {result.median_b():.1f} s, "
                f"{written / MIB / result.median_b():.0f} MiB/s",
                figure=f"{result.median_a():.1f} s, {written / MIB / result.median_a():.0f} MiB/s",
                ratio=f"{ratio:.2f}×",
                target="≥ 0.7× the reference",
                met=ratio >= 0.7,
                note="`sme-review import --round 1 FOLDER --json` into a new store each run; "
                + _spread(result),
            ),
        )
        shutil.rmtree(batch)
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(copy, ignore_errors=True)

    def evaluate(self) -> None:
        s = self.scale
        self.step("evaluate a round")
        reps = max(3, s.reps // 40)
        out = self.probe("evaluate", self.big, reps)
        ms = median(_floats(out["samples_ms"]))
        self.add(
            "evaluate",
            Row(
                what="evaluate a round",
                scale=f"{out['dossiers']:,} dossiers",
                reference="—",
                figure=f"{ms / 1000:.2f} s",
                ratio="—",
                target="< 2 s",
                met=ms < 2000,
                note=f"`evaluate_round`, median of {reps}, CPU "
                f"{median(_floats(out['cpu_ms'])) / 1000:.2f} s; the process's first call, which "
                f"also loads and validates the measures, took {_f(out['first_ms']) / 1000:.2f} s",
            ),
        )

    def filter(self) -> None:
        s = self.scale
        self.step("dossier list: keystroke to repaint")
        out = self.probe("filter", self.big, s.reps)
        wall, cpu = _floats(out["samples_ms"]), _floats(out["cpu_ms"])
        floor, floor_cpu = _floats(out["floor_ms"]), _floats(out["floor_cpu_ms"])
        self.add(
            "filter",
            Row(
                what="dossier list: filter/search keystroke to repaint",
                scale=f"{out['rows']:,} dossiers",
                reference=f"the same list repainted with nothing changed: p95 {p95(floor):.0f} ms "
                f"(median {median(floor):.0f} ms; UI thread CPU p95 {p95(floor_cpu):.0f} ms)",
                figure=f"p95 {p95(wall):.0f} ms (median {median(wall):.0f} ms)",
                ratio="—",
                target="< 16 ms (one frame) at the 95th percentile",
                met=p95(wall) < 16,
                note=f"{len(wall)} keystrokes and filter changes in the main window; UI "
                f"thread CPU p95 {p95(cpu):.0f} ms (median {median(cpu):.0f} ms)",
            ),
        )

    def next_item(self) -> None:
        s = self.scale
        self.step("walk-through: next item")
        out = self.probe("next-item", self.big, 2 * s.reps)
        wall, cpu = _floats(out["samples_ms"]), _floats(out["cpu_ms"])
        self.add(
            "next",
            Row(
                what="next item in the walk-through (J / K)",
                scale=f"{out['dossiers']} dossiers of {out['items']} items, with and without ticks",
                reference="—",
                figure=f"median {median(wall):.1f} ms (p95 {p95(wall):.1f} ms)",
                ratio="—",
                target="< 16 ms (one frame)",
                met=median(wall) < 16,
                note=f"{len(wall)} key presses, each to the end of the repaint it causes; UI "
                "thread CPU "
                f"median {median(cpu):.1f} ms (p95 {p95(cpu):.1f} ms)",
            ),
        )

    def certificates(self) -> None:
        s = self.scale
        self.step(f"{s.certificates} certificates against reportlab's one-line pages")
        out, ref = self.work / "证书.pdf", self.work / "reference.pdf"
        result = paired(
            [
                *APP,
                "--data-dir",
                str(self.certified),
                "export",
                "certificates",
                "--round",
                "1",
                "-o",
                str(out),
            ],
            [PYTHON, str(HERE / "ref_certificates.py"), str(ref), str(s.certificates)],
            runs=s.runs,
            log=self.log,
        )
        fonts = _fonts_embedded(out)
        ratio = result.median_ratio()
        seconds = result.median_a()
        self.add(
            "certificates",
            Row(
                what="certificates, one PDF, fonts embedded",
                scale=f"{s.certificates} certificates ({_pages(out)} pages)",
                reference=f"reportlab, one line of text on each of {s.certificates} pages, "
                f"same font embedded: {result.median_b():.2f} s",
                figure=f"{seconds:.2f} s",
                ratio=f"{ratio:.1f}×",
                target="≤ 3× the reference, and < 20 s",
                met=ratio <= 3 and seconds < 20 and fonts,
                note="`sme-review export certificates` as a whole command; "
                + ("every font embedded (pdffonts); " if fonts else "A FONT IS NOT EMBEDDED; ")
                + _spread(result),
            ),
        )

    def notice(self) -> None:
        s = self.scale
        self.step("notice list PDF + xlsx")
        folder = self.work / "notice"
        folder.mkdir()
        out = self.probe("notice", self.certified, max(3, s.reps // 40), "--out", str(folder))
        ms = median(_floats(out["samples_ms"]))
        fonts = _fonts_embedded(Path(str(out["pdf"])))
        self.add(
            "notice",
            Row(
                what="notice list (公示名单) PDF + xlsx",
                scale=f"{s.notice_rows} rows",
                reference="—",
                figure=f"{ms / 1000:.2f} s",
                ratio="—",
                target="< 5 s",
                met=ms < 5000 and fonts,
                note=f"`write_notice` to .pdf then .xlsx, median of "
                f"{len(_floats(out['samples_ms']))}, CPU "
                f"{median(_floats(out['cpu_ms'])) / 1000:.2f} s; "
                + ("every font embedded (pdffonts)" if fonts else "A FONT IS NOT EMBEDDED"),
            ),
        )

    def add(self, key: str, row: Row) -> None:
        self.rows.setdefault(key, []).append(row)
        print(f"    {row.what}: {row.figure} ({'met' if row.met else 'MISSED'})", flush=True)


ORDER = (
    "cold",
    "cli",
    "import",
    "forms",
    "evaluate",
    "filter",
    "next",
    "certificates",
    "notice",
    "memory",
)


def _floats(value: object) -> list[float]:
    assert isinstance(value, list)
    return [float(v) for v in value]


def _f(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)


def _spread(result: Paired) -> str:
    ratios = sorted(result.ratios)
    return (
        f"{len(ratios)} pairs A B A B after a warm-up; ratio min–max "
        f"{ratios[0]:.2f}–{ratios[-1]:.2f}"
    )


def _in_child(builder: str, folder: Path, count: int) -> None:
    """Build a store in a child process. Built here, its few hundred MB would stay in this
    process, and a child forked from it starts with them in its peak RSS (ru_maxrss survives
    exec): every app measured afterwards would seem that big."""
    code = f"from benchmarks import synth; synth.{builder}(__import__('pathlib').Path({str(folder)!r}), {count})"
    subprocess.run([PYTHON, "-c", code], cwd=HERE.parent, check=True)


def _first_start(store: Path, log: str) -> float:
    """One start of the app with the verdict cache emptied: every row evaluated."""
    import sqlite3

    from .timing import run_process

    with sqlite3.connect(store / "store.sqlite3") as db:
        db.execute("DELETE FROM verdict_cache")
    run = run_process([*APP, "--data-dir", str(store)], GUI_ENV, log)
    if run.returncode != 0:
        raise RuntimeError(f"exit {run.returncode}: the app on {store} (log: {log})")
    return run.wall


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True)


def _fonts_embedded(pdf: Path) -> bool:
    """Every font of the PDF embedded, as ``pdffonts`` lists them (poppler-utils)."""
    if shutil.which("pdffonts") is None:
        return False
    lines = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return bool(lines) and all(line.split()[-5] == "yes" for line in lines)


def _pages(pdf: Path) -> str:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return line.split()[1]
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="a tenth of the scale, for a smoke run"
    )
    parser.add_argument(
        "--work", type=Path, help="where to build the data (default: a new /tmp folder)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data afterwards")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=ORDER,
        help="run just these rows (a partial table; for working on one figure)",
    )
    parser.add_argument(
        "--output", type=Path, default=HERE / "RESULTS.md", help="the table (default: %(default)s)"
    )
    args = parser.parse_args()
    scale = QUICK if args.quick else FULL
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sme-bench-", dir=args.work))
    started = time.perf_counter()
    when = datetime.now().astimezone()
    about = machine.describe()
    bench = Bench(scale, work)
    every: dict[str, Callable[[], None]] = {
        "cold": bench.cold_start,  # also measures memory
        "evaluate": bench.evaluate,
        "filter": bench.filter,
        "next": bench.next_item,
        "certificates": bench.certificates,
        "notice": bench.notice,
        "import": bench.import_throughput,
        "cli": lambda: start_rows.cli_start(bench, PYTHON, APP),
        "forms": lambda: start_rows.bare_forms(bench, PYTHON, APP),
    }
    wanted = set(args.only or ORDER) | ({"cold"} if "memory" in (args.only or ()) else set())
    steps = [step for key, step in every.items() if key in wanted]
    big, certified = (
        bool(wanted & {"cold", "evaluate", "filter", "next"}),
        bool(wanted & {"certificates", "notice"}),
    )
    steps.insert(0, lambda: bench.build(big, certified))
    try:
        for step in steps:
            step()
    except BaseException:
        print(f"failed; commands' output in {bench.log}", file=sys.stderr)
        raise
    else:
        rows = [row for key in ORDER for row in bench.rows.get(key, [])]
        about.append(("load average at the end", ", ".join(f"{x:.2f}" for x in os.getloadavg())))
        elapsed = time.perf_counter() - started
        write_results(args.output, rows, about, when, scale.name, elapsed)
        # The measured rows, to write the table again (``python -m benchmarks.results``) when a
        # reason beside a missed figure is corrected after the run.
        saved = args.output.with_suffix(".json")
        saved.write_text(
            json.dumps(
                {
                    "rows": [asdict(r) for r in rows],
                    "about": about,
                    "when": when.isoformat(),
                    "scale": scale.name,
                    "elapsed": elapsed,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        print(f"wrote {args.output} ({elapsed / 60:.1f} min)")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"data kept in {work}")


if __name__ == "__main__":
    main()
