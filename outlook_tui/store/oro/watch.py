"""While a save runs: who it waits for, and its cancel, from a second connection.

A save's statements block its own connection, so a thread beside it asks the server from a
connection of its own which sessions block the save's (``Dialect.blockers``: PostgreSQL's
``pg_blocking_pids``, MySQL's InnoDB lock waits), reports them to the save's
:class:`~outlook_tui.store.waiting.SaveControl`, and on a cancel interrupts the save's statement
(``Dialect.cancel``: ``pg_cancel_backend``, ``KILL QUERY``), again at each turn until the save
has ended, so that a cancel landing between two statements is not lost.

The second connection is opened only when a save has not finished within :data:`FIRST_LOOK`
(most saves never open one) or at once on a cancel.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from outlook_tui.store.oro.sql import Dialect, Driver, Session, connect
from outlook_tui.store.waiting import SaveControl, Waiting

#: Seconds a save runs before anyone asks whom it waits for.
FIRST_LOOK = 0.1
#: Seconds between two looks while it waits.
LOOK_EVERY = 0.25
#: Seconds a save runs before, when the server cannot say whether it waits (no privilege to
#: look, no second connection), it is said to wait for someone unknown: it may only be slow,
#: but the person sees why nothing happens and can cancel.
UNKNOWN_AFTER = 1.0


def describe(row: tuple[Any, ...], dialect: Dialect) -> str:
    """A blocking session in words: ``alice (psql, pid 4242, from 10.0.0.5)`` on PostgreSQL,
    ``alice (connection 42, from localhost)`` on MySQL."""
    session_id, user, application, client = row
    parts = [f"{dialect.session_word} {session_id}"]
    if application or dialect.names_applications:
        parts.insert(0, str(application) if application else "no application name")
    if client:
        parts.append(f"from {client}")
    return f"{user or 'an unknown user'} ({', '.join(parts)})"


def lock_holders(rows: list[tuple[Any, ...]], dialect: Dialect) -> tuple[str, ...]:
    """The sessions of ``Dialect.table_lock_holders``' rows, each in words, once."""
    return tuple(dict.fromkeys(describe(row[:4], dialect) for row in rows))


class Watch:
    """Started with a save (``with Watch(...)``), ended when it ends. ``tables``: whose
    lock it may wait for, to name a table lock's holders when the server can."""

    def __init__(self, uri: str, driver: Driver, dialect: Dialect,
                 backend_id: Callable[[], Any], control: SaveControl,
                 tables: tuple[str, ...] = ()) -> None:
        self.uri = uri
        self.tables = tables
        self.driver = driver
        self.sql = dialect
        #: The save's session on the server (it changes when the connection is made anew).
        self.backend_id = backend_id
        self.control = control
        #: What the save does now ("outlook-tui's savers' lock", "Oro's settings rows").
        self.what = ""
        #: The holders last seen (kept after the wait ended, for a lock timeout's message).
        self.holders: tuple[str, ...] = ()
        self._started = time.monotonic()
        self._done = threading.Event()
        self._wake = threading.Event()
        self._session: Session | None = None
        self._thread = threading.Thread(target=self._run, name="outlook-tui save watch",
                                        daemon=True)
        self._interrupting: Any = None

    def __enter__(self) -> Watch:
        self._interrupting = self.control.interrupting(self._wake.set)
        self._interrupting.__enter__()
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
        self._interrupting.__exit__(kind, error, traceback)
        self.control.report(None)

    def stop(self) -> None:
        """The save's statements are over: no more looks, and no cancel request that could
        land on the statements that follow."""
        self._done.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        try:
            self._wake.wait(FIRST_LOOK)
            while not self._done.is_set():
                self._wake.clear()
                self._look()
                self._wake.wait(LOOK_EVERY)
        finally:
            if self._session is not None:
                self._quietly(self._session.close)

    def _look(self) -> None:
        session = self._connected()
        if self._done.is_set():
            return
        if session is None:
            self._unknown()
            return
        if self.control.cancelled:
            self._quietly(lambda: session.run(self.sql.cancel(self.backend_id())))
            return
        rows: list[tuple[Any, ...]] = []
        if not self._quietly(lambda: rows.extend(session.rows(self.sql.blockers(
                self.backend_id())))):
            self._unknown()
            return
        named = tuple(describe(row, self.sql) for row in rows if row[0] is not None)
        if named:
            self.holders = named
            self.control.report(Waiting(self.what, self.holders))
        elif rows:  # the server says the save waits, not for whom: a table's lock
            holders = self._table_holders(session)
            self.holders = holders or self.holders
            self.control.report(Waiting(self.what, holders))
        else:
            self.control.report(None)

    def _table_holders(self, session: Session) -> tuple[str, ...]:
        """Who holds a lock on one of the tables, when the server can say (MariaDB with its
        metadata_lock_info plugin); none else."""
        statement = self.sql.table_lock_holders(self.tables)
        rows: list[tuple[Any, ...]] = []
        if statement is None or not self._quietly(lambda: rows.extend(session.rows(statement))):
            return ()
        return lock_holders(rows, self.sql)

    def _unknown(self) -> None:
        """The server cannot be asked: past UNKNOWN_AFTER, the save waits for someone."""
        if time.monotonic() - self._started >= UNKNOWN_AFTER:
            self.control.report(Waiting(self.what))

    def _connected(self) -> Session | None:
        if self._session is None or self._session.closed:
            session: list[Session] = []
            self._quietly(lambda: session.append(connect(self.driver, self.sql, self.uri)))
            self._session = session[0] if session else None
        return self._session

    def _quietly(self, work: Callable[[], object]) -> bool:
        """Run ``work``; a database error (no privilege to look, the server gone) only means
        nothing more is known: the save itself reports its own errors."""
        try:
            work()
        except Exception as error:
            if self.driver.kind(error) is None:
                raise
            if self._session is not None and self._session.closed:
                self._session = None
            return False
        return True
