"""Write one county package (data form and numbered evidence PDFs, as a county sends it) for
the install smoke tests (scripts/cli_smoke.sh): the 聊城 demo dossier that meets every condition.

    python scripts/smoke_package.py OUTDIR

Run with any Python that imports sme_review_desktop: the checkout's .venv or an installed wheel.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sme_review_desktop.demo import LIAOCHENG, LIAOCHENG_BASE, write_package
from sme_review_desktop.rules.rulebook import get_rulebook


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python scripts/smoke_package.py OUTDIR", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    dossier = next(d for d in LIAOCHENG if not d.changes)  # meets every condition
    print(write_package(folder, get_rulebook("liaocheng-2021"), dossier, LIAOCHENG_BASE, "371502"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
