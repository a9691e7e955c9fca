"""Keys take effect one at a time, whether they arrive one per read or many in one (SSH, paste).

Textual hands every key to whatever has focus *when the key is read*, but much of what a key
does happens a moment later: ``focus()`` is a callback queued behind keys already read, a
checkbox enables its value field from a ``Changed`` message, a dialog focuses its first control
after it mounts. Keys that arrive in one burst overtake those effects (clear Use System and Tab
together: the Tab skips the value field, still disabled, and the digits go elsewhere).

So the app holds keys (and pastes) back and lets the next one through only when everything the
previous one set off has run: every message queue of the app and its widgets is empty and idle,
and no save is in flight. A person typing one key at a time never waits: the queues are empty
long before the next key. This is the one mechanism; no screen orders its own keys.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

#: Never hold a key longer than this, whatever is still running (a stuck widget must not
#: swallow the keyboard).
MAX_HOLD_SECONDS = 10.0
#: Passes with nothing left to run before the next key goes: callbacks queued "after refresh"
#: run just after a queue empties.
QUIET_PASSES = 2


def _busy(pump: MessagePump) -> bool:
    queue: asyncio.Queue[object] = pump._message_queue
    # A queue's unfinished count falls to zero only once its last message has been handled.
    return bool(getattr(queue, "_unfinished_tasks", queue.qsize()) or pump._next_callbacks)


class Hold:
    """One :meth:`KeyOrder.hold`: keys wait until it is released (at the latest when the
    ``with`` block ends)."""

    def __init__(self, let_go: Callable[[], None]) -> None:
        self._let_go: Callable[[], None] | None = let_go

    def release(self) -> None:
        """Let keys go from now on (a second release does nothing)."""
        if self._let_go is not None:
            let_go, self._let_go = self._let_go, None
            let_go()


class KeyOrder:
    """The app's keyboard, in order: see the module's docstring."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._waiting: deque[events.Event] = deque()
        self._released: events.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._holds = 0
        self._read = 0

    @property
    def read(self) -> int:
        """How many keys (and pastes) the app has read so far, held here or already let
        through. A key is read only once the app's own queue hands it over, a moment after
        the terminal delivered it: ``pending`` says nothing about keys not read yet, so
        whoever sent keys waits until ``read`` has counted them *and* nothing is pending."""
        return self._read

    def take(self, event: events.Event) -> bool:
        """True when ``event`` is a key the app must not handle yet (it is queued here and
        posted to the app again when its turn comes)."""
        if not isinstance(event, (events.Key, events.Paste)) or event.is_forwarded:
            return False
        if event is self._released:
            self._released = None
            return False
        self._read += 1
        self._waiting.append(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._release_in_order())
        return True

    @contextmanager
    def hold(self) -> Iterator[Hold]:
        """Keys wait while this is open (a save in flight: keys typed during it act after it,
        as they would have if typed a moment later), or until the :class:`Hold` it gives is
        released: a save that waits for a lock says so in a dialog whose keys (Escape cancels
        the save) must act while the save still runs."""
        held = Hold(self._let_go)
        self._holds += 1
        try:
            yield held
        finally:
            held.release()

    def _let_go(self) -> None:
        self._holds -= 1

    @property
    def pending(self) -> bool:
        """Keys read and still waiting, or the last one's effects still running."""
        return bool(self._waiting) or (self._task is not None and not self._task.done())

    async def _release_in_order(self) -> None:
        while True:
            while self._waiting:
                await self._settled()
                if not self._app.is_running:
                    self._waiting.clear()
                    return
                event = self._waiting.popleft()
                self._released = event
                self._app.post_message(event)
            await self._settled()
            # Keys read while the last one settled found this task still running and only
            # queued themselves: release them too, or they are stranded until the next key.
            if not self._waiting:
                return

    async def _settled(self) -> None:
        app = self._app
        deadline = time.monotonic() + MAX_HOLD_SECONDS
        quiet = passes = 0
        while quiet < QUIET_PASSES and time.monotonic() < deadline and app.is_running:
            # Spin on the event loop first (the usual case takes a few passes), then back off
            # so a long handler does not cost a core.
            await asyncio.sleep(0 if passes < 50 else 0.002)
            passes += 1
            busy = self._holds > 0 or _busy(app) or any(_busy(node) for node in app._registry)
            quiet = 0 if busy else quiet + 1
