"""The first screen's organizations, read while the terminal app starts.

Starting the app costs its imports and its first frames, about as long again as reading the
first organizations takes on Oro's database (the server sorts them by name: tens of ms at 100k,
in its own process). Reading them in a thread meanwhile puts both on the machine's cores at
once: the thread waits on the server's socket without the interpreter's lock, and the app asks
for the answer only when it paints its first rows (:meth:`FirstRows.result`).

The terminal app opens the store in that thread too (:meth:`FirstRows.opening`). On Oro's
database, opening is mostly the driver's import (psycopg: ~70 ms of Python, which holds the
interpreter's lock as Textual's import does) and a dozen round trips of checks: there
:meth:`FirstRows.opening_aside` has another process (a fork, made before any thread starts)
import the driver, open the database with all its checks and read the first rows, on another
core, and hand the rows and what it found (user, database, why it is read-only) back through a
pipe. The app's own store takes those and connects when first used, after the first paint;
nothing is kept between runs: the rows are the database's, read at this start. The app asks
for the store (:meth:`FirstRows.store`) before it starts, so a store that cannot be opened
stops the command with the same message as before, before the app takes the screen.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, NoReturn

from outlook_tui.store.backend import StoreBackend
from outlook_tui.store.snapshot import Snapshot

if TYPE_CHECKING:
    from outlook_tui.store.oro.connection import FirstLook

#: Organizations read for the first paint: a screen and a half at 80x24.
FIRST_ROWS = 40

#: What the thread does: the store, and the first rows when they were read already (a 1-tuple;
#: None: to be read by the thread with ``peek``).
Work = Callable[[], "tuple[StoreBackend, tuple[Snapshot | None] | None]"]


class FirstRows:
    """``store.peek(FIRST_ROWS)`` in a thread of its own, started at once. A daemon thread: a
    person who quits before it answers is not kept waiting for it (the read is bounded by the
    store's own timeouts, and the store's lock serialises it with everything else)."""

    def __init__(self, store: StoreBackend, limit: int = FIRST_ROWS) -> None:
        self._start(lambda: (store, None), limit)

    @classmethod
    def opening(cls, open_store: Callable[[], StoreBackend],
                limit: int = FIRST_ROWS) -> FirstRows:
        """``open_store()`` in the thread, then the first rows of the store it returned."""
        return cls._started(lambda: (open_store(), None), limit)

    @classmethod
    def opening_aside(cls, open_database: Callable[[FirstLook | None], StoreBackend],
                      limit: int = FIRST_ROWS) -> FirstRows:
        """``open_database(None)`` and the first rows in another process; this process's
        store is ``open_database(look)`` with what that one found. Call it before starting
        any thread (a fork copies only the calling one). Without fork, or when the other
        process ends without an answer, the store is opened here, as :meth:`opening` does."""
        if not hasattr(os, "fork"):
            return cls.opening(lambda: open_database(None), limit)
        return cls._started(_Aside(open_database, limit).answer, limit)

    @classmethod
    def _started(cls, work: Work, limit: int) -> FirstRows:
        first_rows = cls.__new__(cls)
        first_rows._start(work, limit)
        return first_rows

    def _start(self, work: Work, limit: int) -> None:
        self.limit = limit
        self._work = work
        self._store: Future[StoreBackend] = Future()
        self._future: Future[Snapshot | None] = Future()
        threading.Thread(target=self._read, name="outlook-tui first rows", daemon=True).start()

    def _read(self) -> None:
        # Errors are handed to whoever asks, as opening or peek() would raise them.
        try:
            store, read = self._work()
        except BaseException as error:
            self._store.set_exception(error)
            self._future.set_exception(error)
            return
        self._store.set_result(store)
        try:
            self._future.set_result(read[0] if read is not None else store.peek(self.limit))
        except BaseException as error:
            self._future.set_exception(error)

    def store(self) -> StoreBackend:
        """The store (waiting for it to open), or the error opening it raised."""
        return self._store.result()

    def result(self) -> Snapshot | None:
        """What ``store.peek`` returned (waiting for it), or the error it raised."""
        return self._future.result()


class _Aside:
    """The other process of :meth:`FirstRows.opening_aside`, forked at once."""

    def __init__(self, open_database: Callable[[FirstLook | None], StoreBackend],
                 limit: int) -> None:
        self.open_database = open_database
        reading, writing = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(reading)
            self._answer_and_exit(writing, limit)
        os.close(writing)
        self.reading = reading

    def _answer_and_exit(self, writing: int, limit: int) -> NoReturn:
        data = b""  # no answer: the app's process opens the store itself
        try:
            try:
                store: Any = self.open_database(None)
                try:
                    answer: tuple[object, ...] = ("rows", store.peek(limit), store.first_look())
                finally:
                    store.close()
            except Exception as error:  # raised again in the app's process
                answer = ("error", error)
            data = pickle.dumps(answer)
        except BaseException:  # interrupted, or an error that does not pickle
            pass
        try:
            with open(writing, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)  # nothing of the app's process (its atexit, its buffers) runs here

    def answer(self) -> tuple[StoreBackend, tuple[Snapshot | None] | None]:
        with open(self.reading, "rb") as answer:
            data = answer.read()
        os.waitpid(self.pid, 0)
        try:
            kind, *found = pickle.loads(data)  # our own fork's, through our own pipe
        except Exception:  # no answer, or an error that does not unpickle
            return self.open_database(None), None
        if kind == "error":
            raise found[0]
        rows, look = found
        return self.open_database(look), (rows,)


__all__ = ["FIRST_ROWS", "FirstRows"]
