"""Why a figure misses its target, as profiling found it: shown beside a missed figure only.

Keyed by the start of the row's ``what``. Keep these honest and current: each is a claim about
the code, to be re-checked when the figure moves.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "cold start to the main window shown with a round open": (
        "the reference is a bare Qt import, and the app's own imports alone (SQLAlchemy and the "
        "ORM models, the window's modules; measured in this run, in the last column) already "
        "take several times that before a store is opened: that is the limit in the way of "
        "≤ 2×. The rows follow from a worker that reads the 10,000 newest versions with their "
        "~30 figures each (~0.5 s) and takes their verdicts from the verdict cache (~0.2 s for "
        "10,000 keys checked) instead of the engine (~1.5 s, the first start with the cache "
        "empty is in the last column), then the table is built in the UI thread. Rows are not "
        "streamed yet (the window shows them once the worker is done). On this shared 2-core "
        "machine the load average was 4–5 during the run: wall times are about twice the CPU "
        "times in the last column"
    ),
    "CLI start": (
        "beside SQLAlchemy's import (the reference itself) the command imports the ORM models "
        "and loads both shipped rulebooks, each parsed from YAML and validated with jsonschema "
        "(~0.15 s with jsonschema's import; rules/rulebook.py, outside this change); "
        "`round list` (1.6×) needs no rulebook. Fixed here: `--version` imports no SQLAlchemy; "
        "a test keeps PDF, chart, Qt, Alembic and pinyin modules out of these commands"
    ),
    "import throughput": (
        "per package, not per byte: each data form is read once with openpyxl (~12 ms) and a "
        "version written in one transaction of ~16 statements with the audit chain (~8 ms), "
        "beside copying and hashing its files in one pass with 1 MiB buffers; plus the "
        "command's start-up (~1 s). Not changed in this round"
    ),
    "bare forms per second": (
        "per form the importer does all of the reference's work (openpyxl's read-only read of "
        "the form) and then checks every value, writes the version, its ~30 figures and the "
        "audit entry in one transaction of its own (~12 ms), and the command starts once "
        "(~1 s of the figure). Batching forms into fewer transactions and reading the next "
        "form while one is written are not done (importing/ is outside this change)"
    ),
    "certificates": (
        "the figure is the whole command, the reference a script that imports reportlab and "
        "draws: the CLI's start-up (SQLAlchemy, the store, the rulebooks; ~0.6 s) is most of "
        "the gap, then the QR code (zxing-cpp, ~1 ms a certificate) and each page's text; "
        "the spread of the pairs (last column) says how noisy the machine was. Not changed "
        "in this round"
    ),
    "dossier list: filter/search keystroke to repaint": (
        "the filter's own work is now about 1 ms (one pass over the stored search keys, or "
        "over the rows shown while a search text grows, and no call into Python per row; it "
        "was ~8 ms). What remains is the window's response to the keystroke (the line edit, "
        "the count label, a relayout) and painting ~30 rows of CJK text, whose floor the "
        "reference column measures (the same list repainted with nothing changed: about half "
        "a keystroke's CPU), and on this shared 2-core machine (load 4–5) waiting for a core: "
        "compare the UI thread's CPU figures in the last column"
    ),
    "next item in the walk-through": (
        "the UI thread's own work is in the CPU figures (the item panel's rich-text labels "
        "laid out and painted again); the rest is waiting for a core on this shared machine"
    ),
    "evaluate a round": (
        "the engine's ~35 clauses per dossier, each with its reason text (rules/engine.py), "
        "~1.5 s for 10,000, and reading the versions (~0.5 s); `evaluate` reports the reasons, "
        "so the verdict cache (which holds none) does not serve it. The list no longer pays "
        "this: it paints from the cache (see the cold start)"
    ),
    "memory": "10,000 summaries with their search keys and evaluations held by the list",
    "notice list": "reportlab's table layout of 500 rows",
}
