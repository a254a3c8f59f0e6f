"""The server password of this PC's login, kept in the system keyring, never in settings.json.

``keyring`` is Windows' Credential Manager, macOS' Keychain or the Secret Service on Linux. A PC
without one (keyring's "fail" backend) keeps no password at all: the app asks at each start.
The entry is named by login, server and database, so two servers' passwords do not mix.
"""

from __future__ import annotations

import contextlib

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

SERVICE = "sme-review-desktop"


def _parse(url: str) -> URL | None:
    try:
        return make_url(url)
    except (ArgumentError, ValueError):
        return None


def account(url: str) -> str:
    """The keyring entry's name: login@host:port/database."""
    parsed = _parse(url)
    if parsed is None or not parsed.username:
        return ""
    return f"{parsed.username}@{parsed.host or ''}:{parsed.port or 5432}/{parsed.database or ''}"


def without_password(url: str) -> str:
    parsed = _parse(url)
    if parsed is None:
        return url
    bare = URL.create(  # URL.set(password=None) would keep the password
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return bare.render_as_string(hide_password=False)


def with_password(url: str, password: str) -> str:
    parsed = _parse(url)
    if parsed is None:
        return url
    return parsed.set(password=password).render_as_string(hide_password=False)


def has_password(url: str) -> bool:
    parsed = _parse(url)
    return parsed is not None and bool(parsed.password)


def available() -> bool:
    """Whether this PC has a keyring that can keep a password."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 1) > 0


def save(url: str, password: str) -> bool:
    """Keep the password of ``url``'s login; False when this PC has no keyring."""
    name = account(url)
    if not name or not available():
        return False
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, name, password)
    except KeyringError:
        return False
    return True


def load(url: str) -> str | None:
    name = account(url)
    if not name or not available():
        return None
    import keyring
    from keyring.errors import KeyringError

    with contextlib.suppress(KeyringError):
        return keyring.get_password(SERVICE, name)
    return None
