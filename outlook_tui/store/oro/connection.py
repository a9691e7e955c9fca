"""The store's connection to Oro's database: opened through the database's :class:`Driver`, its
errors turned into :class:`~outlook_tui.store.errors.StoreError` naming the database, reopened
after it was lost, and why writes are refused (read-only detection)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from outlook_tui.store.backend import ASKED_READ_ONLY
from outlook_tui.store.errors import StoreError, TableLockTimeout
from outlook_tui.store.lock import timeout_from_environment
from outlook_tui.store.oro.sql import Dialect, Driver, ErrorKind, Session, connect
from outlook_tui.store.oro.watch import lock_holders
from outlook_tui.store.uri import scrub

if TYPE_CHECKING:
    from outlook_tui.store.snapshot import Snapshot

T = TypeVar("T")
ORO_TABLES = ("oro_organization", "oro_config", "oro_config_value")


class WholeRead(Protocol):
    """The whole store, read by the other process of ``store/ahead.py`` when asked: the
    app's first whole read, without this process decoding a million rows meanwhile."""

    def read(self, pause: Callable[[], None] | None) -> Snapshot | None:
        """Ask for it and take it in chunks, ``pause()`` between two; None when no answer
        came (the process ended, an answer that does not load): then read it here. Raises
        the :class:`StoreError` the other process met."""

    def stop(self) -> None:
        """Never mind (the app ends, the store closes): the other process ends, a read
        under way returns None at once."""

    @property
    def stopped(self) -> bool: ...


@dataclass(frozen=True)
class FirstLook:
    """What opening a connection found, handed to a store of the same URI in another process
    (the app's, see ``store/ahead.py``) until it opens a connection of its own; and, in that
    process, the whole store read ahead for its first load (never sent between them)."""

    db_user: str
    database: str
    read_only_reason: str | None
    whole: WholeRead | None = field(default=None, compare=False, repr=False)


class Connection:
    """One connection, used by one thread at a time (:attr:`lock`). Every statement on it is
    bounded by the lock timeout (``OUTLOOK_TUI_LOCK_TIMEOUT``, read when it opens): a read
    that waits longer for a table someone locked ends in :class:`TableLockTimeout`."""

    def __init__(self, uri: str, location: str, driver: Driver, dialect: Dialect, *,
                 read_only: bool) -> None:
        self.uri = uri
        self.location = location
        self.driver = driver
        self.sql = dialect
        self.forced_read_only = read_only
        self.lock = threading.RLock()
        self.read_only_reason: str | None = None
        self.db_user = ""
        self.database = ""
        #: The server's id of this connection's session (see Dialect.backend_id).
        self.backend_id: object = None
        self._session: Session | None = None
        #: Seconds any statement on it waits for a lock (its session's bound).
        self.lock_timeout = 0.0

    def open(self) -> Session:
        try:
            self.lock_timeout = timeout_from_environment()
            session = connect(self.driver, self.sql, self.uri)
        except Exception as error:
            if self.driver.kind(error) is None:
                raise
            raise StoreError(f"cannot connect to {self.location}: "
                             f"{scrub(self.driver.text(error), self.uri)}") from None
        self._session = session
        with self.errors():
            user, _, _, database = session.rows(self.sql.session())[0]
            self.db_user, self.database = user, database
            self.backend_id = session.rows(self.sql.backend_id())[0][0]
            if self.forced_read_only:
                session.run(self.sql.set_read_only())
            for table in ORO_TABLES:
                if not self.exists(table):
                    raise StoreError(
                        f"{self.location}: {self.sql.missing_table(table, database)}")
            self.read_only_reason = self.why_read_only()
        return session

    def first_look(self) -> FirstLook:
        return FirstLook(self.db_user, self.database, self.read_only_reason)

    def assume(self, look: FirstLook) -> None:
        """Take what another session found on opening, until this connection opens."""
        self.db_user, self.database = look.db_user, look.database
        self.read_only_reason = (ASKED_READ_ONLY if self.forced_read_only
                                 else look.read_only_reason)

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables a statement of outlook-tui may wait for: Oro's and its history."""
        return (*ORO_TABLES, self.sql.history_table)

    @property
    def session(self) -> Session:
        """The open session; a new one when the last was lost."""
        if self._session is None or self._session.closed:
            return self.open()
        return self._session

    @property
    def lost(self) -> bool:
        return self._session is None

    def drop(self) -> None:
        if self._session is not None:
            try:
                self._session.close()
            finally:
                self._session = None

    def close(self) -> None:
        with self.lock:
            self.drop()

    def interrupt(self) -> None:
        """Cancel what another thread runs on this connection now (a read waiting for a
        table someone locked), from a session of its own (``Dialect.cancel``: allowed on
        one's own sessions without privilege); nothing when it is idle. Best effort: a
        server that cannot be reached leaves the statement to its own bound."""
        if self.lock.acquire(blocking=False):  # idle (or this very thread's)
            self.lock.release()
            return
        backend_id = self.backend_id
        if backend_id is None:
            return
        try:
            session = connect(self.driver, self.sql, self.uri)
            try:
                session.run(self.sql.cancel(backend_id))
            finally:
                session.close()
        except Exception as error:
            if self.driver.kind(error) is None:
                raise

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Database errors as StoreError naming the database; a lost connection reconnects
        on the next call."""
        try:
            yield
        except Exception as error:
            kind = self.driver.kind(error)
            if kind is None:
                raise
            text = scrub(self.driver.text(error), self.uri)
            if kind is ErrorKind.INSUFFICIENT_PRIVILEGE:
                raise StoreError(f"{self.location}: database user {self.db_user} lacks a "
                                 f"privilege: {text}; nothing was saved") from None
            if kind is ErrorKind.LOCK_TIMEOUT:
                raise self._table_lock_timeout() from None
            if kind is ErrorKind.LOST_CONNECTION:
                self.drop()
                raise StoreError(f"{self.location}: the database connection failed: "
                                 f"{text}") from None
            raise StoreError(f"{self.location}: {text}") from None

    def _table_lock_timeout(self) -> TableLockTimeout:
        """A statement outside a save's own waits (those name what they wait for themselves)
        waited the lock timeout: a read waits only for a table's lock, so who holds one on
        Oro's tables is asked now, on this session, when the server can tell."""
        tables = self.tables
        statement = self.sql.table_lock_holders(tables)
        rows: list[tuple[object, ...]] = []
        if statement is not None and self._session is not None and not self._session.closed:
            try:
                rows = self._session.rows(statement)
            except Exception as error:
                if self.driver.kind(error) is None:
                    raise
        locked = sorted({str(row[4]) for row in rows})
        holders = lock_holders(rows, self.sql)
        what = (f"a lock on {', '.join(locked)}" if locked else
                f"a lock on Oro's tables ({', '.join(tables)})")
        return TableLockTimeout(self.location, what, holders, self.lock_timeout)

    def reading(self, work: Callable[[Session], T]) -> T:
        """Run a read; when the connection was lost (the server restarted, an idle timeout),
        once more on a new one: reads are safe to repeat, saves are not."""
        with self.lock:
            try:
                with self.errors():
                    return work(self.session)
            except StoreError:
                if not self.lost:
                    raise  # not a lost connection
            with self.errors():
                return work(self.session)

    # -- what the database user may do ------------------------------------------------------

    def exists(self, table: str) -> bool:
        return bool(self.session.rows(self.sql.table_exists(table))[0][0])

    def may(self, table: str, privilege: str) -> bool:
        return bool(self.session.rows(self.sql.privilege(table, privilege))[0][0])

    def may_number(self, table: str) -> bool:
        """May take new ids for the table (an INSERT needs it)."""
        return bool(self.session.rows(self.sql.id_privilege(table))[0][0])

    def why_read_only(self) -> str | None:
        if self.forced_read_only:
            return ASKED_READ_ONLY
        _, server_read_only, session_read_only, _ = self.session.rows(self.sql.session())[0]
        if server_read_only:
            return self.sql.server_read_only_reason
        if session_read_only:
            return self.sql.session_read_only_reason(self.db_user)
        needed = [("oro_config_value", "INSERT"), ("oro_config_value", "UPDATE"),
                  ("oro_config_value", "DELETE"), ("oro_config", "INSERT"),
                  # a save locks its scopes' rows (SELECT ... FOR UPDATE), which needs UPDATE
                  ("oro_config", "UPDATE")]
        missing = [f"{p} on {t}" for t, p in needed if not self.may(t, p)]
        missing += [f"USAGE on {t}'s id sequence" for t in ("oro_config_value", "oro_config")
                    if not self.may_number(t)]
        if missing:
            return (f"database user {self.db_user} may not write Oro's settings "
                    f"(no {', '.join(missing)})")
        history = self.sql.history_table
        if not self.exists(history):
            return (f"outlook-tui's history table {history} does not exist yet: run "
                    "`outlook-tui db init` (or give a DBA `outlook-tui db init --print-sql`)")
        if not self.may(history, "INSERT") or not self.may_number(history):
            return (f"database user {self.db_user} may not write {history} (needs INSERT "
                    "and USAGE on its id sequence)")
        return None
