"""``python -m sme_review_desktop.cli``: the same as the ``sme-review`` command."""

import sys

from sme_review_desktop.cli import main

sys.exit(main())
