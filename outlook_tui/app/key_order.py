"""Keys take effect one at a time, whether they arrive one per read or many in one (SSH, paste).

Textual hands every key to whatever has focus *when the key is read*, but much of what a key
does happens a moment later: ``focus()`` is a callback queued behind keys already read, a
checkbox enables its value field from a ``Changed`` message, a dialog focuses its first control
after it mounts. Keys that arrive in one burst overtake those effects (clear Use System and Tab
together: the Tab skips the value field, still disabled, and the digits go elsewhere).

So the app holds keys (and pastes) back and lets the next one through only once everything the
previous one set off has run. That is decided by order, never by the clock, with Textual's
public API only, the way its Pilot waits for a screen: a *barrier* is a ``call_later`` callback
on the app and on every node of every screen on the stack; each runs once everything queued on
its node before it has been handled (a handler still awaiting something holds it back). Then a
``call_after_refresh`` waits for the screen's refresh and the callbacks queued for after it. The
next key goes once a pass of both found nothing else handled anywhere (every node's
``message_signal`` counts what is handled), nothing queued (``message_queue_size``), the same
screens, nodes and focus, and no save in flight (:meth:`KeyOrder.hold`). However slow the
machine, what runs between two keys is the same, so the outcome is too.

What the barrier does not wait for: workers (a loading table, an after-save command) and timers
still to fire. A key typed while a worker runs acts at once, as it does when typed by hand.

A person typing one key at a time never waits: a key read once the pass after the previous one
has ended acts at once (the pass after it runs while it acts, for the keys that may follow).
This is the one mechanism; no screen orders its own keys.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from weakref import WeakSet

from textual import events
from textual.message import Message
from textual.messages import InvokeLater, Layout, Prompt, Update

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump


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
        self._unheld = asyncio.Event()
        self._unheld.set()
        self._read = 0
        #: A key acted at once and the pass after it has not started yet.
        self._unsettled = False
        #: Messages handled anywhere in the app, but for the barriers' own and keys held here.
        self._handled = 0
        #: Keys held here not yet seen handled by the app (that handling only queued them).
        self._held: set[int] = set()
        #: ``call_after_refresh`` requests handled (``InvokeLater``), and how many of them
        #: had been when the last refresh barrier was asked for: only a request handled since
        #: can still wait for a refresh.
        self._invoked = self._refreshed = 0
        #: Nodes whose ``message_signal`` counts into ``_handled``.
        self._counted: WeakSet[MessagePump] = WeakSet()

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
        if not self.pending and not self._holds:
            # What the last key set off has all run (the pass after it found nothing left),
            # and no save is in flight: this key acts at once, as a key typed by hand after a
            # pause does. The pass after it starts once the screen has shown what it did (a
            # pass wakes every node: started at once it would delay that paint), or at once
            # when another key is read before that: that key waits for it.
            self._unsettled = True
            self._app.call_after_refresh(self._settle_after_key)
            return False
        self._held.add(id(event))
        self._waiting.append(event)
        self._start()
        return True

    def _start(self) -> None:
        self._unsettled = False
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._release_in_order())

    def _settle_after_key(self) -> None:
        if self._unsettled:
            self._start()

    @contextmanager
    def hold(self) -> Iterator[Hold]:
        """Keys wait while this is open (a save in flight: keys typed during it act after it,
        as they would have if typed a moment later), or until the :class:`Hold` it gives is
        released: a save that waits for a lock says so in a dialog whose keys (Escape cancels
        the save) must act while the save still runs."""
        held = Hold(self._let_go)
        self._holds += 1
        self._unheld.clear()
        try:
            yield held
        finally:
            held.release()

    def _let_go(self) -> None:
        self._holds -= 1
        if not self._holds:
            self._unheld.set()

    @property
    def pending(self) -> bool:
        """Keys read and still waiting, or the last one's effects still running."""
        return (self._unsettled or bool(self._waiting)
                or (self._task is not None and not self._task.done()))

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

    # -- settling: barriers until a pass finds nothing else handled --------------------------

    async def _settled(self) -> None:
        """Return once a pass of barriers found nothing but themselves handled anywhere."""
        app = self._app
        while app.is_running:
            if self._holds:
                await self._unheld.wait()
                continue
            nodes = self._nodes()
            queued = [node for node in nodes if node.message_queue_size]
            if queued:
                # Plainly busy: wait for those nodes only (a pass over every node costs a
                # wake-up of each), then look again.
                await self._barrier(queued)
                continue
            before = self._state(nodes)
            await self._barrier(nodes)
            if self._changed(before):
                continue
            if self._invoked == self._refreshed:
                return
            await self._after_refresh()
            if not self._changed(before):
                return

    def _nodes(self) -> list[MessagePump]:
        """The app and every node of every screen on the stack (a screen beneath a dialog
        still handles what a key set off: a new snapshot, a dismissed dialog's answer)."""
        app = self._app
        nodes: list[MessagePump] = [app]
        for screen in app.screen_stack:
            nodes.extend(screen.walk_children(with_self=True))
        for node in nodes:
            if node not in self._counted:
                node.message_signal.subscribe(app, self._count, immediate=True)
                self._counted.add(node)
        return nodes

    def _state(self, nodes: list[MessagePump]) -> tuple[object, ...]:
        """What a key can change: what was handled, screens, nodes, focus, what is queued."""
        app = self._app
        return (self._handled, self._holds, tuple(map(id, app.screen_stack)),
                tuple(map(id, nodes)), id(app.focused),
                sum(node.message_queue_size for node in nodes))

    def _changed(self, before: tuple[object, ...]) -> bool:
        if not self._app.is_running:
            return False
        return self._state(self._nodes()) != before

    def _count(self, message: Message) -> None:
        """Every message handled by a counted node (see ``message_signal``)."""
        if id(message) in self._held:
            self._held.discard(id(message))  # a key read and held here: it did nothing
        elif isinstance(message, (Prompt, events.Callback, events.Timer, Update, Layout)):
            # A wake-up, a callback (a barrier's, a Pilot's, a ``focus()``) or a timer (a
            # cursor's blink, a refresh) that has run, or a repaint to come (waited for by the
            # refresh barrier): what they set off is handled as messages, or still queued, or
            # changed the state. Counted, a blink every half second could keep a slow machine
            # from ever finding a quiet pass.
            pass
        elif isinstance(message, InvokeLater) and getattr(message.callback, "func",
                                                          None) == self._passed:
            pass  # the barrier's own wait for a refresh
        else:
            self._handled += 1
            if isinstance(message, InvokeLater):
                self._invoked += 1

    def _passed(self, outstanding: set[int], done: asyncio.Event, node: object) -> None:
        outstanding.discard(id(node))
        if not outstanding:
            done.set()

    async def _barrier(self, nodes: list[MessagePump]) -> None:
        """Wait until every node has handled what was queued on it before now."""
        outstanding: set[int] = set()
        done = asyncio.Event()
        waited = [node for node in nodes if node.post_message(
            events.Callback(callback=_Passed(self, outstanding, done, node).passed))]
        outstanding.update(map(id, waited))
        await self._wait(done, outstanding, waited)

    async def _after_refresh(self) -> None:
        """Wait until the screen in view has refreshed and run what was queued for after."""
        app = self._app
        outstanding = {id(app)}
        done = asyncio.Event()
        invoked = self._invoked
        if app.call_after_refresh(self._passed, outstanding, done, app):
            # The callback waits on whichever screen is in view when the app passes it on: a
            # screen removed meanwhile drops it, and the screens change is seen as a change.
            await self._wait(done, outstanding, list(app.screen_stack), any_end=True)
        if done.is_set():
            self._refreshed = invoked

    async def _wait(self, done: asyncio.Event, outstanding: set[int],
                    nodes: list[MessagePump], *, any_end: bool = False) -> None:
        """Wait for ``done``; a node that stops meanwhile (removed: what was queued on it is
        dropped) counts as passed, or with ``any_end`` ends the wait."""
        while outstanding and self._app.is_running:
            running: dict[asyncio.Future[Any], MessagePump] = {
                task: node for node in nodes
                if id(node) in outstanding or any_end
                if (task := _task_of(node)) is not None}
            waiter = asyncio.ensure_future(done.wait())
            try:
                finished, _ = await asyncio.wait({waiter, *running},
                                                 return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiter.cancel()
            for ended in finished:
                node = running.get(ended)
                if node is not None:
                    if any_end:
                        return
                    self._passed(outstanding, done, node)
                    nodes = [other for other in nodes if other is not node]


class _Passed:
    """One node's part of a barrier, posted as a bound method rather than by ``call_later``,
    which wraps every callback in a new ``partial``: Textual works out the parameters of a
    partial (``inspect.signature``) each time it calls one, of a bound method once. A pass
    over every node after each key cost that many signatures."""

    __slots__ = ("_done", "_node", "_order", "_outstanding")

    def __init__(self, order: KeyOrder, outstanding: set[int], done: asyncio.Event,
                 node: MessagePump) -> None:
        self._order, self._outstanding, self._done, self._node = order, outstanding, done, node

    def passed(self) -> None:
        self._order._passed(self._outstanding, self._done, self._node)


def _task_of(node: MessagePump) -> asyncio.Task[Any] | None:
    """The task running ``node``'s messages, None before it starts and once it ended."""
    try:
        return node.task
    except AssertionError:  # Textual's way of saying it has none
        return None
