"""Keep Python's full garbage collection away from keys.

A full collection walks every object the collector tracks. With a big store open that is every
organization (a dict holding a dict is never untracked): 40-80 ms at 100k organizations, and it
runs whenever enough new objects have piled up, so now and then it lands between a key and its
paint (a Down that took 110 ms among Downs of 6 ms, on Oro's database).

So the long-lived objects (the snapshot just published, the table built over it, the screens)
are frozen out of the collector's reach (``gc.freeze``) as soon as they are in place: later
collections walk only what is new. What the old snapshot leaves as garbage is frozen with it,
so once the user has been quiet for a moment the freeze is undone, everything collected once
and the survivors frozen again. A key arriving during that one collection waits for it; a key
pressed while the user is busy never does. Objects frozen and dropped later are freed as usual
when nothing refers to them; only cycles among them (a screen closed since) wait for the next
quiet collection after the next snapshot.

The start is the first such moment: Textual, the app's modules and the store, imported and
built before the app runs, live as long as it does, and the start-up's own full collections
(two, 15-20 ms each, in the first frames) walked all of them, and met the first key pressed
once the first rows show (:func:`freeze_what_the_start_built`).

While a whole store is read in a worker thread (:func:`reading_in_background`), nothing is
collected at all: the read makes 100k organizations that all survive, so each full collection
it would set off (several, each longer than the last) is work for nothing that holds the UI
thread's keys; and the worker hands the interpreter back to the UI thread every 0.5 ms instead
of every 5, so a key waits less for its turn.

This module knows nothing of Textual: the app tells it about keys and snapshots and calls
:meth:`QuietCollector.tick` on a timer.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: How long without a key (or a click) before the one full collection may run.
QUIET_SECONDS = 1.0
#: How often a thread holding the interpreter lets another run while a store is read (s).
READING_SWITCH_INTERVAL = 0.0005

_reading_lock = threading.Lock()
_readers = 0
_before: tuple[float, bool] = (0.005, True)


@contextmanager
def reading_in_background() -> Iterator[None]:
    """Around a whole store's read in a worker thread: no garbage collection, and the
    interpreter switches threads more often, until the last such read ends."""
    global _readers, _before
    with _reading_lock:
        if _readers == 0:
            _before = (sys.getswitchinterval(), gc.isenabled())
            sys.setswitchinterval(READING_SWITCH_INTERVAL)
            gc.disable()
        _readers += 1
    try:
        yield
    finally:
        with _reading_lock:
            _readers -= 1
            if _readers == 0:
                interval, enabled = _before
                sys.setswitchinterval(interval)
                # What was read survives: out of the collector's reach, or the first
                # collection after this walks all of it, between two keys.
                gc.freeze()
                if enabled:
                    gc.enable()


def freeze_what_the_start_built() -> None:
    """Just before the app runs: everything imported and built so far, out of the
    collector's reach (the first quiet collection after the first snapshot walks it once)."""
    gc.freeze()


class QuietCollector:
    """Freezes what is long-lived, collects what is garbage when nobody is typing."""

    def __init__(self, quiet_seconds: float = QUIET_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._quiet_seconds = quiet_seconds
        self._clock = clock
        self._last_activity = clock()
        self._due = False
        #: How many quiet collections ran (for tests and the log).
        self.collections = 0

    def activity(self) -> None:
        """A key, a paste or a click: the user is busy."""
        self._last_activity = self._clock()

    def settled(self) -> None:
        """A new snapshot (and what the screens built over it) is in place: freeze it now, and
        collect what the previous one left at the next quiet moment."""
        gc.freeze()
        self._due = True

    def tick(self) -> bool:
        """Run the pending collection if the user has been quiet long enough. True if it ran."""
        if not self._due or self._clock() - self._last_activity < self._quiet_seconds:
            return False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._due = False
        self.collections += 1
        return True
