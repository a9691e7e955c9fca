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

import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

from outlook_tui.store.backend import StoreBackend
from outlook_tui.store.snapshot import Snapshot

if TYPE_CHECKING:
    from outlook_tui.store.oro.connection import FirstLook

#: Organizations read for the first paint: a screen and a half at 80x24.
FIRST_ROWS = 40

#: What the thread does: open the store, and give what reads its first rows.
Work = Callable[[], "tuple[StoreBackend, Callable[[], Snapshot | None]]"]


class FirstRows:
    """``store.peek(FIRST_ROWS)`` in a thread of its own, started at once. A daemon thread: a
    person who quits before it answers is not kept waiting for it (the read is bounded by the
    store's own timeouts, and the store's lock serialises it with everything else)."""

    def __init__(self, store: StoreBackend, limit: int = FIRST_ROWS) -> None:
        self._start(lambda: (store, lambda: store.peek(limit)), limit)

    @classmethod
    def opening(cls, open_store: Callable[[], StoreBackend],
                limit: int = FIRST_ROWS) -> FirstRows:
        """``open_store()`` in the thread, then the first rows of the store it returned."""
        def work() -> tuple[StoreBackend, Callable[[], Snapshot | None]]:
            store = open_store()
            return store, lambda: store.peek(limit)

        return cls._started(work, limit)

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
            store, first_rows = self._work()
        except BaseException as error:
            self._store.set_exception(error)
            self._future.set_exception(error)
            return
        self._store.set_result(store)
        try:
            self._future.set_result(first_rows())
        except BaseException as error:
            self._future.set_exception(error)

    def store(self) -> StoreBackend:
        """The store (waiting for it to open), or the error opening it raised."""
        return self._store.result()

    def result(self) -> Snapshot | None:
        """What ``store.peek`` returned (waiting for it), or the error it raised."""
        return self._future.result()


class _Aside:
    """The other process of :meth:`FirstRows.opening_aside`, forked at once. It sends two
    pickles through a pipe: what opening found (or the error opening raised), then the first
    rows (or the error reading them raised), so that the app's process has its store as soon
    as it would have opened it itself, and meets a read's error where it met it before.

    Then it waits, its store open, until the app's store asks for its first whole read
    (:class:`_WholeAhead`, after the first paint): it reads the whole store and sends it in
    chunks. Decoding a million rows is Python (PyMySQL's is all Python): here it runs on
    another core and never holds the app's interpreter while the person presses keys and
    saves; the app only loads the chunks (a twelfth of the time), pausing between two."""

    def __init__(self, open_database: Callable[[FirstLook | None], StoreBackend],
                 limit: int) -> None:
        self.open_database = open_database
        self.limit = limit
        reading, writing = os.pipe()
        asked, asking = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(reading)
            os.close(asking)
            self._answer_and_exit(writing, asked)
        os.close(writing)
        os.close(asked)
        self.answers = open(reading, "rb")  # noqa: SIM115 -- closed by _done() or _WholeAhead
        self.asking = asking

    def _answer_and_exit(self, writing: int, asked: int) -> NoReturn:
        try:
            with open(writing, "wb") as out:
                store: Any = None
                try:
                    store = self.open_database(None)
                    opened: tuple[str, object] = ("opened", store.first_look())
                except Exception as error:  # raised again in the app's process
                    opened = ("error", error)
                _send(out, opened)
                if store is not None:
                    try:
                        try:
                            rows: tuple[str, object] = ("rows", store.peek(self.limit))
                        except Exception as error:
                            rows = ("error", error)
                        _send(out, rows)
                        # Nothing comes when the app ended, or its store closed, first.
                        if rows[0] == "rows" and os.read(asked, 1):
                            _send_whole(out, store)
                    finally:
                        store.close()
        except BaseException:  # interrupted, the app's process gone, an error that won't pickle
            pass
        finally:
            os._exit(0)  # nothing of the app's process (its atexit, its buffers) runs here

    def answer(self) -> tuple[StoreBackend, Callable[[], Snapshot | None]]:
        opened = self._receive()
        if opened is None:  # no answer: opened here, as without a fork
            self._done()
            store = self.open_database(None)
            return store, lambda: store.peek(self.limit)
        kind, found = opened
        if kind == "error":
            self._done()
            raise found
        whole = _WholeAhead(self)
        store = self.open_database(replace(found, whole=whole))

        def first_rows() -> Snapshot | None:
            read = self._receive()
            if read is None:  # no answer (an error that does not unpickle): read here
                whole.give_up()
                return store.peek(self.limit)
            kind, found = read
            if kind == "error":  # the store reads everything itself (it ended after this)
                whole.give_up()
                raise found
            return found

        return store, first_rows

    def _receive(self) -> Any:
        """The next pickle the other process sent, or None: none came, or it does not load."""
        try:
            return pickle.load(self.answers)  # our own fork's, through our own pipe
        except Exception:
            return None

    def _done(self) -> None:
        """The other process is told it is over (when it waits to be asked) and ends."""
        os.close(self.asking)
        self.answers.close()
        os.waitpid(self.pid, 0)


class _WholeAhead:
    """The app's store's side of the other process's whole read
    (:class:`~outlook_tui.store.oro.connection.WholeRead`), asked for once."""

    def __init__(self, aside: _Aside) -> None:
        self._aside = aside
        self._lock = threading.Lock()
        self._state = "waiting"  # then "reading", then "over"
        self._stopped = False

    @property
    def stopped(self) -> bool:
        return self._stopped

    def read(self, pause: Callable[[], None] | None) -> Snapshot | None:
        with self._lock:
            if self._state != "waiting":
                return None
            self._state = "reading"
        try:
            return self._read(pause)
        finally:
            self._over()

    def _read(self, pause: Callable[[], None] | None) -> Snapshot | None:
        try:
            os.write(self._aside.asking, b"!")
        except OSError:  # it has ended already
            return None
        started = self._answer()
        if started is None:
            return None
        header, fingerprint, count = started[1]
        organizations: list[dict[str, Any]] = []
        positions: dict[int, int] = {}
        while (answer := self._answer()) is not None and answer[0] != "end":
            found = answer[1]
            positions.update({r["id"]: len(organizations) + i for i, r in enumerate(found)})
            organizations += found
            if pause is not None:
                pause()
        if answer is None:
            return None
        if len(organizations) != count:
            return None
        return Snapshot({**header, "organizations": organizations}, fingerprint=fingerprint,
                        validated=True, id_positions=positions)

    def _answer(self) -> tuple[str, Any] | None:
        """The next answer, None when none came; the error it is, raised."""
        answer = self._aside._receive()
        if answer is not None and answer[0] == "error":
            raise answer[1]
        return answer

    def give_up(self) -> None:
        """No whole read from it (its first rows failed): it ends, and the store's first
        load reads here. Not a stop: the app goes on."""
        with self._lock:
            if self._state != "waiting":
                return
            self._state = "reading"
        self._over()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._state == "reading":  # its answers end at once; the read ends it
                os.kill(self._aside.pid, signal.SIGKILL)
                return
            if self._state == "over":
                return
            self._state = "reading"
        self._over()

    def _over(self) -> None:
        with self._lock:
            if self._state == "over":
                return
            self._state = "over"
        self._aside._done()


#: Organizations per pickle of the whole read: loading one takes the app under a millisecond.
WHOLE_CHUNK = 1000


def _send_whole(out: BinaryIO, store: Any) -> None:
    """The whole store, in the other process: a header, the organizations a chunk at a time,
    then the end (or the error the read raised)."""
    gc.disable()  # every object read survives until this process ends: nothing to collect
    try:
        snapshot: Snapshot = store.load()
    except Exception as error:
        _send(out, ("error", error))
        return
    header = {k: v for k, v in snapshot.document.items() if k != "organizations"}
    records = snapshot.records
    _send(out, ("whole", (header, snapshot.fingerprint, len(records))))
    for start in range(0, len(records), WHOLE_CHUNK):
        _send(out, ("organizations", records[start:start + WHOLE_CHUNK]))
    _send(out, ("end", None))


def _send(out: BinaryIO, answer: tuple[str, object]) -> None:
    """One pickle, at once. One that cannot be made raises: nothing more is sent, and the app's
    process does the rest itself."""
    out.write(pickle.dumps(answer))
    out.flush()


__all__ = ["FIRST_ROWS", "FirstRows"]
