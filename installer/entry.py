"""Entry point of both bundled executables: the command line with arguments, the app without.

``sme-review`` is a console program (command line, and the app when started bare);
``sme-review-gui`` is the same program without a console window on Windows, for shortcuts.
``sme-review --snapshot OUTDIR`` renders the app offscreen on the demo data into PNG files
(``sme_review_desktop.ui.snapshot``, which a bundle cannot run with ``python -m``); the
install checks use it to prove an installed bundle paints its windows.
"""

import multiprocessing
import sys

from sme_review_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if len(sys.argv) > 1 and sys.argv[1] == "--snapshot":
        from sme_review_desktop.ui.snapshot import main as snapshot

        sys.exit(snapshot(sys.argv[2:]))
    sys.exit(main())
