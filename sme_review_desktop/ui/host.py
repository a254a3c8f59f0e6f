"""What a dialog opened from the main window may ask of it, without importing it back."""

from __future__ import annotations

from typing import Protocol

from sme_review_desktop.store.database import Store
from sme_review_desktop.store.settings import Settings


class Host(Protocol):
    """The main window as its dialogs see it: the store, the reviewer, the current round."""

    store: Store
    settings: Settings

    @property
    def actor(self) -> str: ...

    def ensure_reviewer(self) -> bool: ...

    def current_round(self) -> int | None: ...

    def current_round_name(self) -> str: ...

    def selected_uscc(self) -> str | None: ...
