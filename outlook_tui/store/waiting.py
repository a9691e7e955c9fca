"""A save that waits is seen, bounded and cancellable, whatever the store: the caller's side
(:class:`SaveControl`) passed into ``StoreBackend.commit``.

- The store says what it waits for and who holds it (:class:`Waiting`, through ``on_wait``),
  again whenever that changes, and ``None`` once it no longer waits.
- The caller may :meth:`SaveControl.cancel` from any thread. Until the store reaches its point
  of no return (:meth:`SaveControl.committing`: just before the database's COMMIT, or the file's
  rename), a cancel means nothing is written, ever: the store rolls back and raises
  :class:`Cancelled`. After it, ``cancel()`` answers False: the save is being committed, and
  its outcome is to be shown.
- The store registers how to interrupt what it is doing (:meth:`SaveControl.interrupting`: a
  database cancel request, a lock file's wait) so that a cancel is prompt.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from outlook_tui.store.errors import StoreError


class Cancelled(StoreError):
    """The person cancelled the save before it was committed: nothing was saved."""

    def __init__(self, message: str = "the save was cancelled; nothing was saved") -> None:
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Waiting:
    """What a save waits for (``"the organization's settings rows"``, a lock file's path) and
    who holds it, each described in words (``"alice (psql, pid 4242)"``); no holders when the
    store cannot tell."""

    what: str
    holders: tuple[str, ...] = ()

    def __str__(self) -> str:
        held = (f", held by {', '.join(self.holders)}" if self.holders else
                "; the database does not say who holds it")
        return f"waiting for {self.what}{held}"


class SaveControl:
    """One save's cancel switch and "waiting on whom" report (thread-safe)."""

    def __init__(self, on_wait: Callable[[Waiting | None], object] | None = None) -> None:
        self._on_wait = on_wait
        self._guard = threading.Lock()
        self._cancelled = False
        self._committing = False
        self._interrupts: list[Callable[[], None]] = []
        self._last: Waiting | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    @property
    def waiting(self) -> Waiting | None:
        """What the save waits for now, as last reported."""
        return self._last

    def cancel(self) -> bool:
        """Ask the save to stop. True: nothing will be written. False: too late, the save is
        being committed (its outcome follows)."""
        with self._guard:
            if self._committing:
                return False
            self._cancelled = True
            interrupts = list(self._interrupts)
        for interrupt in interrupts:
            interrupt()
        return True

    def check(self) -> None:
        """Raise :class:`Cancelled` when the save was cancelled."""
        if self._cancelled:
            raise Cancelled

    def committing(self) -> None:
        """The point of no return: raise :class:`Cancelled` if cancelled; from now on a cancel
        is refused."""
        with self._guard:
            if self._cancelled:
                raise Cancelled
            self._committing = True

    @contextmanager
    def interrupting(self, interrupt: Callable[[], None]) -> Iterator[None]:
        """While the block runs, a cancel also calls ``interrupt`` (from the cancelling
        thread): it must return promptly and make the store's wait end."""
        with self._guard:
            self._interrupts.append(interrupt)
            cancelled = self._cancelled
        try:
            if cancelled:
                interrupt()
            yield
        finally:
            with self._guard:
                self._interrupts.remove(interrupt)

    def report(self, waiting: Waiting | None) -> None:
        """The store's report of what it waits for (None: no longer waiting); passed on to
        ``on_wait`` when it changed."""
        if waiting == self._last:
            return
        self._last = waiting
        if self._on_wait is not None:
            self._on_wait(waiting)


__all__ = ["Cancelled", "SaveControl", "Waiting"]
