"""Where the app keeps its data and finds its bundled resources."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "sme-review-desktop"
DATA_DIR_ENV = "SME_REVIEW_DATA_DIR"


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: ``--data-dir``, else ``SME_REVIEW_DATA_DIR``, else the user's data folder."""
    chosen = explicit or os.environ.get(DATA_DIR_ENV)
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path.expanduser().resolve()


def resources_dir() -> Path:
    """The package's ``resources/`` folder (rulebooks, fonts, icons, the manual).

    Package data, found beside this module's package: the same in a checkout, an installed wheel
    and the PyInstaller bundle (whose spec collects it at ``sme_review_desktop/resources``).
    """
    return Path(__file__).resolve().parent.parent / "resources"
