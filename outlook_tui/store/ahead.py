"""The first screen's organizations, read while the terminal app starts.

Starting the app costs its imports and its first frames, about as long again as reading the
first organizations takes on Oro's database (the server sorts them by name: tens of ms at 100k,
in its own process). Reading them in a thread meanwhile puts both on the machine's cores at
once: the thread waits on the server's socket without the interpreter's lock, and the app asks
for the answer only when it paints its first rows (:meth:`FirstRows.result`).

The terminal app opens the store in that thread too (:meth:`FirstRows.opening`): connecting to
Oro's database waits for the server (which starts a process for the session) and its checks are
a dozen round trips, all spent off the interpreter's lock while Textual is imported. The app
asks for the store (:meth:`FirstRows.store`) before it starts, so a store that cannot be
opened stops the command with the same message as before, before the app takes the screen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future

from outlook_tui.store.backend import StoreBackend
from outlook_tui.store.snapshot import Snapshot

#: Organizations read for the first paint: a screen and a half at 80x24.
FIRST_ROWS = 40


class FirstRows:
    """``store.peek(FIRST_ROWS)`` in a thread of its own, started at once. A daemon thread: a
    person who quits before it answers is not kept waiting for it (the read is bounded by the
    store's own timeouts, and the store's lock serialises it with everything else)."""

    def __init__(self, store: StoreBackend, limit: int = FIRST_ROWS) -> None:
        self._start(lambda: store, limit)

    @classmethod
    def opening(cls, open_store: Callable[[], StoreBackend],
                limit: int = FIRST_ROWS) -> FirstRows:
        """``open_store()`` in the thread, then the first rows of the store it returned."""
        first_rows = cls.__new__(cls)
        first_rows._start(open_store, limit)
        return first_rows

    def _start(self, open_store: Callable[[], StoreBackend], limit: int) -> None:
        self.limit = limit
        self._open = open_store
        self._store: Future[StoreBackend] = Future()
        self._future: Future[Snapshot | None] = Future()
        threading.Thread(target=self._read, name="outlook-tui first rows", daemon=True).start()

    def _read(self) -> None:
        # Errors are handed to whoever asks, as open_store() or peek() would raise them.
        try:
            store = self._open()
        except BaseException as error:
            self._store.set_exception(error)
            self._future.set_exception(error)
            return
        self._store.set_result(store)
        try:
            self._future.set_result(store.peek(self.limit))
        except BaseException as error:
            self._future.set_exception(error)

    def store(self) -> StoreBackend:
        """The store (waiting for it to open), or the error opening it raised."""
        return self._store.result()

    def result(self) -> Snapshot | None:
        """What ``store.peek`` returned (waiting for it), or the error it raised."""
        return self._future.result()


__all__ = ["FIRST_ROWS", "FirstRows"]
