"""Why a figure misses its target, as profiling found it: shown beside a missed figure only.

Keyed by the start of the row's ``what``. Keep these honest and current: each is a claim about
the code, to be re-checked when the figure moves.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "cold start to the main window shown with a round open": (
        "the reference is a bare import. The window is painted with its round chosen after "
        "the app's imports (SQLAlchemy's alone is about twice the reference), the store's "
        "open and the window's construction; the rows follow once a worker has read and "
        "evaluated the 10,000 newest versions (~2 s: the engine's ~35 clauses per dossier, "
        "each with its reason text). Verdicts are evaluated at every start on purpose "
        "(docs/decisions.md, Performance: a stored verdict could outlive a corrected engine). "
        "Fixed here: no Alembic import at open, pinyin search keys stored at import "
        "(migration 0005) instead of 20,000 made at every start, jsonschema and YAML imported "
        "in the worker, one schema validator (the same store took 6.0 s in the previous table, "
        "44 s before the first fixes)"
    ),
    "import throughput": (
        "per package, not per byte: each data form is read once with openpyxl (~12 ms) and a "
        "version written in one transaction of ~16 statements with the audit chain (~8 ms), "
        "beside copying and hashing its files; plus the command's start-up (~1 s, with "
        "pypinyin for the stored search keys). Fixed here: each form was opened three times "
        "and each figure and evidence row inserted on its own (0.56× in the previous table)"
    ),
    "certificates": (
        "the figure is the whole command, the reference a script that imports reportlab and "
        "draws: the CLI's start-up (SQLAlchemy, the store, the rulebooks; ~0.6 s) is most of "
        "the gap, then the QR code (zxing-cpp, ~1 ms a certificate) and each page's text. "
        "Fixed here: reportlab's pure-Python QR encoder (~10 ms a code) replaced, the constant "
        "drawing made once as a PDF form, lines measured instead of Paragraphs, binary "
        "streams, one query for the texts (6.15 s in the previous table)"
    ),
    "dossier list: filter/search keystroke to repaint": (
        "the UI thread's own work per keystroke is in the CPU figures (one pass over 10,000 "
        "search keys, 10,000 filterAcceptsRow calls from C++, ~30 rows of CJK text painted); "
        "the rest of the wall time is waiting for a core on this shared 2-core machine"
    ),
    "next item in the walk-through": (
        "the UI thread's own work is in the CPU figures (the item panel's rich-text labels "
        "laid out and painted again); the rest is waiting for a core on this shared machine"
    ),
    "evaluate a round": (
        "reading 10,000 newest versions with ~30 figures each (~0.6 s) and the engine's ~35 "
        "clauses per dossier, each with its reason text (~1.5 s), on a shared 2-core machine "
        "whose speed drifts: the same code took 1.5 s here earlier the same day"
    ),
    "memory": "10,000 summaries with their search keys and evaluations held by the list",
    "notice list": "reportlab's table layout of 500 rows",
}
