"""Errors a user can cause. Each carries a Chinese message shown as is, without a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Base of every error caused by input or a user's action; ``str()`` is the Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RulebookError(UserError):
    """A rulebook file is missing, unreadable or breaks the schema."""


class ValueFormError(UserError):
    """A data-form value cannot be read as its field's type (e.g. 「350人」 for a 万元 field)."""


class ImportRejected(UserError):
    """A dossier package is rejected as a whole."""


class StoreError(UserError):
    """The local store cannot be opened or changed."""


class NotFound(UserError):
    """A round, dossier or other record named by the user does not exist."""


class EditConflict(UserError):
    """Another reviewer changed the record after this one read it (shared server, two PCs)."""
