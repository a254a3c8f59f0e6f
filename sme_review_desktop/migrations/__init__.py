"""Alembic migrations of the store; run by ``store.open_store``, never by hand."""

# The newest revision, so that opening a store already at it needs no Alembic import (0.4 s
# at every start). A new migration sets this too; tests/store/test_store.py checks it against Alembic.
HEAD = "0006_approval_record"
