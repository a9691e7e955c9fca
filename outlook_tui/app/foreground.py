"""What the person waits for goes first: a whole store read in the background steps aside.

At 100k organizations the whole store is read in a worker thread for a second or more after
the first paint, and a person already presses keys and saves meanwhile. That read is Python
(PyMySQL decodes every row in Python; building the snapshot is Python on every database), so
it holds the interpreter's lock, and a thread that reads a socket often never loses it:
Python forces a switch only when the lock has not changed hands for the switch interval, and
each socket read hands it to the reader itself (measured: the UI thread, the input thread and
a save's thread got the lock only between two chunks of 5,000 rows, 17 ms apart; a key took
up to 77 ms and a save of one organization 472 ms instead of 107).

So the reader calls :meth:`Foreground.pause` between small chunks, and it

- waits while the person waits for something: from a key (a paste, a click) until the screen
  has been painted after it, and for as long as a store operation of the person's runs (a
  save, one organization read on its own, a save's plan) and until its outcome is painted.
  The wait is bounded (:data:`LONGEST_WAIT` at a time): a person typing without pause slows
  the read, never stops it;
- otherwise lets the other threads have the interpreter for a moment every
  :data:`SLICE` of reading, however its socket reads went.

The same read imports the database's driver when it first connects (psycopg: some 100 modules
and ~70 ms of Python, PyMySQL about as long), after the first paint, while the person already
presses keys: :func:`imports_step_aside` makes that import pause before each of its modules too.

This module knows nothing of Textual: the app tells it when keys arrive and when what they did
is on screen.
"""

from __future__ import annotations

import builtins
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import ModuleType

#: Reading time between two moments left to the other threads (s).
SLICE = 0.002
#: How long each such moment lasts (s): enough for a waiting thread to take the lock.
REST = 0.0005
#: The longest a read waits at once for the person's key or operation (s).
LONGEST_WAIT = 0.25
#: How long something done is awaited on screen at most (s): a paint that never comes (its
#: screen closed first) must not hold the read back for good.
PAINT_WAIT = 0.25


class Foreground:
    """Whether the person waits for something now, and the pause a background read takes
    between its chunks."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 longest_wait: float = LONGEST_WAIT) -> None:
        """``clock`` dates the paints awaited (:data:`PAINT_WAIT`); ``longest_wait`` bounds
        each wait of the read in :meth:`pause`. Tests give a clock that stands still and a long
        wait, so that only what they do ends a wait, however busy the machine."""
        self._clock = clock
        self._longest_wait = longest_wait
        self._lock = threading.Lock()
        #: Set while nothing is waited for (no operation running, nothing done unpainted).
        self._idle = threading.Event()
        self._idle.set()
        #: Set while no key's effect waits to be painted.
        self._keys_idle = threading.Event()
        self._keys_idle.set()
        self._operations = 0
        #: Keys and operations done whose outcome is not on screen yet, until the deadline.
        self._unpainted = 0
        self._deadline = 0.0
        self._resumed = clock()
        #: How often a read stepped aside for the person (for tests and the log).
        self.waits = 0
        #: A read is waiting in :meth:`pause` now.
        self.reader_waiting = threading.Event()

    @property
    def busy(self) -> bool:
        with self._lock:
            if self._unpainted and self._clock() >= self._deadline:
                self._unpainted = 0  # never painted (its screen closed first): over
                self._update()
        return not self._idle.is_set()

    def _update(self) -> None:
        if self._operations or self._unpainted:
            self._idle.clear()
        else:
            self._idle.set()
        if self._unpainted:
            self._keys_idle.clear()
        else:
            self._keys_idle.set()

    def _awaiting_paint(self) -> None:
        """Under the lock: one more thing done, until it is painted (:meth:`painted`)."""
        self._unpainted += 1
        self._deadline = self._clock() + PAINT_WAIT
        self._update()

    def key(self) -> None:
        """A key (a paste, a click) arrived; call :meth:`painted` once the screen has been
        painted after it."""
        with self._lock:
            self._awaiting_paint()

    def painted(self) -> None:
        """What a key or an operation did is on screen."""
        with self._lock:
            self._unpainted = max(0, self._unpainted - 1)
            self._update()

    @contextmanager
    def operation(self, shown: Callable[[Callable[[], None]], object] | None = None,
                  ) -> Iterator[None]:
        """Around a store operation the person waits for. ``shown(done)``, when given, calls
        ``done`` once its outcome is on screen (the app's ``call_after_refresh``); without it
        the read resumes as the operation ends."""
        with self._lock:
            self._operations += 1
            self._update()
        try:
            yield
        finally:
            with self._lock:
                self._operations -= 1
                if shown is not None:
                    self._awaiting_paint()
                self._update()
            # An app that is closing paints nothing more: then over at once.
            if shown is not None and shown(self.painted) is False:
                self.painted()

    def pause(self) -> None:
        """Between two chunks of a background read (in its thread)."""
        self._pause(self._idle)

    def pause_for_keys(self) -> None:
        """Between two modules of an import in a background read (:func:`imports_step_aside`):
        as :meth:`pause`, but it never waits for an operation (a save, one organization's
        read): that one may be importing the same driver, and waits for the modules this
        import is in the middle of."""
        self._pause(self._keys_idle)

    def _pause(self, idle: threading.Event) -> None:
        if self.busy and not idle.is_set():  # (busy looks at the paint deadlines)
            self.reader_waiting.set()
            try:
                self.waits += 1
                idle.wait(self._longest_wait)
            finally:
                self.reader_waiting.clear()
        elif self._clock() - self._resumed >= SLICE:
            time.sleep(REST)
        else:
            return
        self._resumed = self._clock()


class _StepAside:
    """``builtins.__import__`` while some thread imports stepping aside: before an import
    statement of that thread brings a module not imported yet, that thread's pause. (Not a
    finder on ``sys.meta_path``: the import system calls finders under its global lock, and
    a pause there would hold every other thread's imports.) While paused, only the modules
    that thread is in the middle of importing stay locked."""

    def __init__(self) -> None:
        self.pauses: dict[int, Callable[[], None]] = {}
        self.original: Callable[..., ModuleType] = builtins.__import__

    def __call__(self, name: str, globals: Mapping[str, object] | None = None,
                 locals: Mapping[str, object] | None = None,
                 fromlist: Sequence[str] | None = (),
                 level: int = 0) -> ModuleType:
        pause = self.pauses.get(threading.get_ident())
        if pause is not None and (level or name not in sys.modules):
            pause()
        return self.original(name, globals, locals, fromlist, level)


_step_aside = _StepAside()
_step_aside_lock = threading.Lock()


@contextmanager
def imports_step_aside(pause: Callable[[], None]) -> Iterator[None]:
    """Modules this thread imports meanwhile are imported one at a time, ``pause()`` before
    each: a driver's first import, in a background read, goes between keys as the read's
    chunks do. (Each module's own code still runs at once: that of a C extension, loading its
    library, takes a few ms.)"""
    thread = threading.get_ident()
    with _step_aside_lock:
        if not _step_aside.pauses:
            builtins.__import__ = _step_aside
        _step_aside.pauses[thread] = pause
    try:
        yield
    finally:
        with _step_aside_lock:
            del _step_aside.pauses[thread]
            if not _step_aside.pauses:
                builtins.__import__ = _step_aside.original
