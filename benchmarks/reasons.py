"""Why a figure misses its target, as profiling found it: shown beside a missed figure only.

Keyed by the start of the row's ``what``. Keep these honest and current: each is a claim about
the code, to be re-checked when the figure moves.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "cold start to the main window shown with a round open": (
        "the reference is a bare import; the app first imports SQLAlchemy and Alembic (the "
        "schema check at open, ~1 s), pypinyin's phrase dictionary (~1 s) and its own modules, "
        "then reads and evaluates the round (~1.5 s for 10,000) and makes 20,000 pinyin search "
        "keys (~1.5 s) in the worker. Fixed here: ORM loading and the collector (the same store "
        "took 44 s before). "
        "Next, outside this issue's files: check the schema revision without importing Alembic "
        "(store.py), cache pinyin initials per word (search_text.py, 4× faster), import "
        "pypinyin lazily; 2× of the reference is below SQLAlchemy's import alone"
    ),
    "import throughput": (
        "per package, not per byte: each data form is opened three times with openpyxl "
        "(discovery, form pick, read; ~40 ms) and written in a transaction of a dozen ORM "
        "flushes with the audit chain (~60 ms), against ~25 ms to copy and hash its files "
        "(in-process profile of the importer); plus the command's start-up. Fix in importing/ "
        "(not this issue's files): open each workbook once, read-only, and insert a version's "
        "figures and evidence rows in bulk"
    ),
    "certificates": (
        "reportlab's QR encoder computes the Reed–Solomon code in pure Python (~10 ms a "
        "certificate), and each page sets three paragraphs; the reference draws one line. Fixed "
        "here: the mask search (0.3 s a certificate) and one rect call per run. Next: a compiled "
        "or faster QR encoder, or the generator polynomial cached per block size"
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
        "clauses per dossier (~0.9 s) on a shared 2-core machine"
    ),
    "memory": "10,000 summaries with their search keys and evaluations held by the list",
    "notice list": "reportlab's table layout of 500 rows",
}
