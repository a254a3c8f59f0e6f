"""One broadcast of what changed, for every open window (Anki's ``operation_did_execute``).

The store tells its listeners what each committed write changed (``store.changes``), in the
thread that wrote; the store's hub re-emits that in the GUI thread as ``changed``. Each window follows
the kinds it shows and redraws itself; no window reaches into another, and nothing rides on a
window's ``destroyed``. A restore, which swaps the whole store, is ``store_replaced``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal
from shiboken6 import isValid

from sme_review_desktop.store.changes import Changes
from sme_review_desktop.store.database import Store


class ChangeHub(QObject):
    """Lives in the GUI thread; one per application."""

    changed = Signal(object)  # Changes
    store_replaced = Signal()
    _arrived = Signal(object)  # emitted in any thread, delivered (queued) in the GUI thread

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self._arrived.connect(self.changed)


class _Relay:
    """The store's listener: hands each change to its hub, from whichever thread wrote."""

    def __init__(self, hub: ChangeHub) -> None:
        self.hub = hub

    def __call__(self, changes: Changes) -> None:
        if isValid(self.hub):
            self.hub._arrived.emit(changes)


# One hub per open store: a window hears the writes to its own store only (a window of another
# store, e.g. the demo's or one being closed, must not reload from it). A window holds its store,
# so a store's id is not reused while a window follows it.
_hubs: dict[int, ChangeHub] = {}


def hub_for(store: Store) -> ChangeHub:
    """The store's hub, made on first use (in the GUI thread: windows ask for it)."""
    h = _hubs.get(id(store))
    if h is None or not isValid(h):
        h = ChangeHub(QCoreApplication.instance())
        _hubs[id(store)] = h
        store.listeners[:] = [x for x in store.listeners if not isinstance(x, _Relay)]
        store.listeners.append(_Relay(h))
    return h


def follow(store: Store, on_changes: Callable[[Changes], None]) -> None:
    """Call ``on_changes`` (a method of a window: Qt drops the connection with the window) in
    the GUI thread after every write to ``store``, whichever window or worker made it."""
    hub_for(store).changed.connect(on_changes)
