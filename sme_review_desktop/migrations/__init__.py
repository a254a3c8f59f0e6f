"""Alembic migrations of the store; run by ``store.open_store``, never by hand."""
