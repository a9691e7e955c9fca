"""The first screen's organizations, read while the terminal app starts.

Starting the app costs its imports and its first frames, about as long again as reading the
first organizations takes on Oro's database (the server sorts them by name: tens of ms at 100k,
in its own process). Reading them in a thread meanwhile puts both on the machine's cores at
once: the thread waits on the server's socket without the interpreter's lock, and the app asks
for the answer only when it paints its first rows (:meth:`FirstRows.result`).
"""

from __future__ import annotations

import threading
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
        self.store = store
        self.limit = limit
        self._future: Future[Snapshot | None] = Future()
        threading.Thread(target=self._read, name="outlook-tui first rows", daemon=True).start()

    def _read(self) -> None:
        if not self._future.set_running_or_notify_cancel():
            return
        try:
            self._future.set_result(self.store.peek(self.limit))
        except BaseException as error:  # handed to whoever asks, as peek() would raise it
            self._future.set_exception(error)

    def result(self) -> Snapshot | None:
        """What ``store.peek`` returned (waiting for it), or the error it raised."""
        return self._future.result()


__all__ = ["FIRST_ROWS", "FirstRows"]
