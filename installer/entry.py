"""Entry point of both bundled executables: the command line with arguments, the app without.

``sme-review`` is a console program (command line, and the app when started bare);
``sme-review-gui`` is the same program without a console window on Windows, for shortcuts.
"""

import multiprocessing
import sys

from sme_review_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
