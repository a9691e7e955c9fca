"""What the tests of a save that waits share, whatever the database: a save run in a thread as
the app runs it (:class:`Saver`), and a server that accepts connections and never answers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest

from outlook_tui.store import SettingChange, Snapshot, StoreBackend, StoreError, TableLockTimeout
from outlook_tui.store.waiting import Cancelled, SaveControl, Waiting

INTERVAL = "contacts_sync_interval_orocrm"
#: Every wait for something the server or the save does: generous, never reached when it works.
PATIENCE = 60


class Saver:
    """One save of organization 1's CRM Sync Interval in a thread of its own, as the app runs
    it, with what it reported while it waited."""

    def __init__(self, store: StoreBackend, value: int = 300, organization_id: int = 1) -> None:
        self.reports: list[Waiting | None] = []
        self.waiting = threading.Event()
        self.control = SaveControl(self._heard)
        self.outcome: Any = None
        base = store.load()
        change = SettingChange(organization_id, INTERVAL, None, value)
        self._thread = threading.Thread(target=self._save, args=(store, base, change))

    def _heard(self, waiting: Waiting | None) -> None:
        self.reports.append(waiting)
        if waiting is not None:
            self.waiting.set()

    def _save(self, store: StoreBackend, base: Any, change: SettingChange) -> None:
        try:
            self.outcome = store.commit(base, [change], self.control)
        except Exception as error:
            self.outcome = error

    def start(self) -> Saver:
        self._thread.start()
        return self

    def wait_until_waiting(self) -> Waiting:
        """The first thing the save said it waits for."""
        assert self.waiting.wait(PATIENCE), f"never reported waiting: {self.reports}"
        return next(r for r in self.reports if r is not None)

    def cancelled_while_waiting(self) -> Waiting:
        """What the save said it waits for, once it has; then a cancel, which the save accepts
        and ends with (nothing saved)."""
        waiting = self.wait_until_waiting()
        assert self.control.cancel() is True
        assert isinstance(self.result(), Cancelled)
        return waiting

    def result(self) -> Any:
        """What the save ended with: its CommitResult, or the error it raised."""
        self._thread.join(PATIENCE)
        assert not self._thread.is_alive(), "the save did not end"
        return self.outcome


def every_read(store: Any, base: Snapshot) -> dict[str, Callable[[], object]]:
    """Each read an Oro store runs outside a save, by name: each is bounded by the lock
    timeout (``base``: a snapshot read before, for the plan)."""
    return {
        "load": store.load,
        "plan": lambda: store.plan(base, [SettingChange(1, INTERVAL, None, 300)]),
        "history": store.history,
        "the change check": store.change_token,
        "the first rows": lambda: store.peek(10),
        "one organization": lambda: store.load_named([1]),
    }


def every_read_gives_up(store: Any, base: Snapshot, message: str) -> None:
    """Each of :func:`every_read` fails with a :class:`TableLockTimeout` saying ``message``."""
    for name, read in every_read(store, base).items():
        with pytest.raises(TableLockTimeout) as raised:
            read()
        assert str(raised.value) == message, name


def change_check(store: Any) -> threading.Thread:
    """The app's change check, started in a thread of its own (its failure is the app's to
    report, not this test's): join it once what it waits for is gone."""

    def check() -> None:
        with suppress(StoreError):
            store.change_token()

    checking = threading.Thread(target=check)
    checking.start()
    return checking


@contextmanager
def silent_server() -> Iterator[int]:
    """A listener on 127.0.0.1 that accepts connections and never answers; its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return  # the listener was closed

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        thread.join(PATIENCE)
        for connection in accepted:
            connection.close()
