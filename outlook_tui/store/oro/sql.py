"""The seams between the shared Oro SQL store and one database: what a database folder
(``store/postgres/``, ``store/mysql/``) provides.

- a :class:`Dialect`: every SQL statement, as :class:`Statement` objects built from plain Python
  values (lists included: the dialect expands them into its placeholders, ``= ANY(%s)`` on
  PostgreSQL, ``IN (%s, %s, ...)`` on MySQL);
- a :class:`Driver`: how to connect, and which of the :class:`ErrorKind` an error of its
  library is;
- a :class:`Session` per connection: run statements, stream rows, a transaction;
- a :class:`ChangeToken`: how "has anyone changed this section?" is answered cheaply.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

#: Rows as the driver returns them.
Row = tuple[Any, ...]
#: Seconds a connection may take to be made, unless the URI says (``connect_timeout``).
CONNECT_TIMEOUT = 10
#: A statement may run this many seconds longer than the lock timeout (``statement_timeout``):
#: room for the work itself at 100k organizations on a busy server, and still an end.
STATEMENT_MARGIN = 60


class Mode(enum.Enum):
    #: Run once with ``params``.
    ONCE = "once"
    #: Run once per row of ``params`` (executemany).
    MANY = "many"
    #: ``params`` are the rows to stream into the table (PostgreSQL's COPY ... FROM STDIN).
    COPY = "copy"
    #: A statement that changes nothing, run to learn whether the user may run it:
    #: ``rows()`` gives ``[(True,)]``, or ``[(False,)]`` when a privilege is missing
    #: (MySQL, whose catalog shows neither role grants nor partial revokes).
    PROBE = "probe"
    #: Takes a lock that is granted or not, saying which in its one value (MySQL's GET_LOCK):
    #: not granted raises the driver's lock timeout error.
    ACQUIRE = "acquire"


@dataclass(frozen=True, slots=True)
class Statement:
    sql: str
    params: Any = None
    mode: Mode = Mode.ONCE


class ErrorKind(enum.Enum):
    """What an error of the database means for the store, whatever the driver calls it."""

    #: A row read by this save changed meanwhile (REPEATABLE READ): retry the save.
    SERIALIZATION = "serialization failure"
    #: A concurrent insert of the same unique key (a scope row, a value row): retry the save.
    UNIQUE_VIOLATION = "unique violation"
    #: A lock was not granted within the lock timeout.
    LOCK_TIMEOUT = "lock timeout"
    #: A statement ran longer than the statement timeout, or was cancelled.
    CANCELLED = "statement cancelled"
    #: The connection is gone (server restart, network, idle timeout): reconnect.
    LOST_CONNECTION = "lost connection"
    #: The database user lacks a privilege.
    INSUFFICIENT_PRIVILEGE = "insufficient privilege"
    OTHER = "other"


class Session(Protocol):
    """One open connection, in autocommit outside :meth:`transaction`."""

    @property
    def closed(self) -> bool: ...

    def rows(self, statement: Statement) -> list[Row]: ...

    def run(self, statement: Statement) -> None:
        """Execute a statement of any :class:`Mode`, ignoring its result."""

    def stream(self, statement: Statement, chunk: int,
               pause: Callable[[], None] | None) -> list[Row]:
        """Every row of a (large) query, fetched ``chunk`` rows at a time through a server-side
        cursor; ``pause`` is called between chunks."""

    def transaction(self, setup: Sequence[Statement]) -> AbstractContextManager[None]:
        """One transaction, committed when the block ends, rolled back when it raises.
        ``setup`` makes it what it must be (isolation, read-only, timeouts): the session runs
        it where its database wants it (PostgreSQL: after BEGIN; MySQL: SET TRANSACTION before
        START TRANSACTION)."""

    def close(self) -> None: ...


class Driver(Protocol):
    #: The library, for messages: "psycopg".
    name: str

    def connect(self, uri: str) -> Session:
        """Raise the library's own error when it cannot: :meth:`kind` and :meth:`text`
        describe it."""

    def kind(self, error: BaseException) -> ErrorKind | None:
        """Which kind of database error ``error`` is; None when it is none of the driver's."""

    def text(self, error: BaseException) -> str:
        """The error's message for a person (one line, never a password)."""


class ChangeToken(Protocol):
    """A cheap value that changes whenever anyone changes a row of the section or an
    organization; its last two parts belong to the organizations (when only those are
    unchanged, their rows are reused from the last load)."""

    def now(self, session: Session) -> tuple[int, ...]: ...

    def after_save(self, session: Session, base: tuple[int, ...] | None, save: SavedRows,
                   ) -> tuple[int, ...] | None:
        """In the save's transaction, after its writes: the token the database would have if
        nobody else changed anything since ``base`` was read, or None when that cannot be
        known (the app then reloads the whole view)."""


class QueriedToken:
    """A :class:`ChangeToken` read by one statement, the dialect's ``change_token()``, whose
    one row of numbers is the token."""

    def __init__(self, dialect: Any) -> None:
        self.sql = dialect

    def now(self, session: Session) -> tuple[int, ...]:
        return tuple(int(value) for value in session.rows(self.sql.change_token())[0])


def connect(driver: Driver, dialect: Dialect, uri: str) -> Session:
    """A new session whose every statement is bounded (:meth:`Dialect.session_bounds`):
    nothing the store runs, on any of its connections, waits without end."""
    session = driver.connect(uri)
    try:
        for statement in dialect.session_bounds():
            session.run(statement)
    except BaseException:
        session.close()
        raise
    return session


def fetch_in_chunks(cursor: Any, chunk: int, pause: Callable[[], None] | None) -> list[Row]:
    """Every row of an executed server-side cursor, ``chunk`` at a time, ``pause`` between."""
    rows: list[Row] = []
    while part := cursor.fetchmany(chunk):
        rows.extend(part)
        if pause is not None:
            pause()
    return rows


@dataclass(frozen=True, slots=True)
class SavedRows:
    """What a save wrote, for :meth:`ChangeToken.after_save`."""

    inserted: int
    #: Row id -> the row's version (the ``version`` column of ``Dialect.lock_values``) as read
    #: under the lock, for each row updated or deleted.
    replaced: dict[int, int]
    updated: int
    deleted: int
    #: The ``oro_config`` ids of the scopes the save locked, and the version of every value row
    #: read in them under the lock (a token without row versions sums the scopes instead).
    scopes: tuple[int, ...] = ()
    locked: dict[int, int] = field(default_factory=dict)


class Dialect(Protocol):
    """Every statement the store runs. Only rows of the ``oro_crm_pro_outlook`` section whose
    name is a catalog setting, in the system scope (``app``/0) or an organization's scope, are
    ever read for values or written."""

    name: str
    history_table: str
    #: A session on the server, in the server's words, for "who holds the lock": PostgreSQL's
    #: backend "pid", MySQL's "connection" (an id for ``KILL``, not a process).
    session_word: str
    #: Whether sessions name their application (PostgreSQL's ``application_name``); MySQL's
    #: do not, so "no application name" would only be noise there.
    names_applications: bool
    #: ``outlook-tui db init`` (and ``--print-sql``); idempotent.
    history_ddl: str
    history_grants: str

    def create_history(self) -> list[Statement]:
        """The statements of :attr:`history_ddl`."""

    # -- the session --
    def session(self) -> Statement:
        """One row: database user, the server is read-only (a standby), this session's
        transactions are read-only by default, database name."""

    server_read_only_reason: str

    def session_read_only_reason(self, user: str) -> str: ...

    def set_read_only(self) -> Statement: ...

    def table_exists(self, table: str) -> Statement: ...

    def missing_table(self, table: str, database: str) -> str:
        """Why one of Oro's tables is not found, in this server's words."""

    def privilege(self, table: str, privilege: str) -> Statement: ...

    def id_privilege(self, table: str) -> Statement:
        """True when the user may take new ids for the table (PostgreSQL: its sequence)."""

    # -- transactions: each bounded by the lock timeout (OUTLOOK_TUI_LOCK_TIMEOUT) --
    def bounds(self) -> list[Statement]:
        """Setup statements bounding a transaction's lock waits by the lock timeout, and its
        statements by the lock timeout + STATEMENT_MARGIN (PostgreSQL: SET LOCAL lock_timeout,
        statement_timeout; MySQL: innodb_lock_wait_timeout)."""

    def session_bounds(self) -> list[Statement]:
        """The same bounds for every statement of a session, run once it opens
        (:func:`connect`): reads in autocommit, the app's change check, the watch's looks
        (PostgreSQL: SET lock_timeout, statement_timeout; MySQL: :meth:`bounds`, which are
        per session there). A transaction's own :meth:`bounds` still apply within it."""

    def table_lock_holders(self, tables: Sequence[str]) -> Statement | None:
        """Who holds a lock on one of ``tables`` that stops a read: rows of (id, user,
        application name, client address, table), asked after a read's lock wait ended;
        None when the server cannot tell."""

    def read_transaction(self) -> list[Statement]:
        """Bounded too (see :meth:`bounds`)."""

    def save_transaction(self) -> list[Statement]:
        """Bounded too (see :meth:`bounds`)."""

    # -- while a save waits (asked from a second connection, see watch.py) --
    def backend_id(self) -> Statement:
        """One value naming this session on the server (pg_backend_pid(), CONNECTION_ID())."""

    def blockers(self, backend_id: Any) -> Statement:
        """The sessions a session waits for: rows of (id, user, application name, client
        address); none when it waits for nobody. NULLs where the server does not say."""

    def cancel(self, backend_id: Any) -> Statement:
        """Interrupt the session's running statement (pg_cancel_backend, KILL QUERY)."""

    # -- reading --
    def history_revision(self) -> Statement: ...

    def organizations(self) -> Statement:
        """id, name, description, enabled, created_at, updated_at (text, ``...Z``)."""

    def first_organizations(self, limit: int) -> Statement: ...

    def organizations_by_id(self, ids: Sequence[int]) -> Statement: ...

    def organizations_named(self, ids: Sequence[int], names: Sequence[str]) -> Statement:
        """The organizations with one of ``ids`` or one of ``names`` (the unique name index:
        one organization costs the same at 3 and at 100k)."""

    def values(self) -> Statement:
        """Every value row of the section: id, entity, record_id, name, text_value, type."""

    def values_of_scopes(self, organization_ids: Sequence[int]) -> Statement: ...

    # -- saving --
    def lock_savers(self) -> Statement:
        """Serialize outlook-tui's savers (taken before the save's transaction)."""

    def unlock_savers(self) -> Statement: ...

    def create_scopes(self, scopes: Sequence[tuple[str, int]]) -> Statement:
        """Create the (entity, record_id) rows of ``oro_config`` missing; race-safe: a row
        created meanwhile by another writer is no error."""

    def lock_scopes(self, system: bool, organization_ids: Sequence[int]) -> Statement:
        """id, entity, record_id of the scopes' ``oro_config`` rows, locked (FOR UPDATE)."""

    def lock_values(self, config_ids: Sequence[int]) -> Statement:
        """id, config_id, name, text_value, type, version of the scopes' value rows, locked."""

    def delete_values(self, ids: Sequence[int]) -> Statement: ...

    def update_values(self, rows: Sequence[tuple[int, str]], now: Any) -> Statement:
        """(id, text_value) rows, written as Oro writes a scalar."""

    def insert_values(self, rows: Sequence[tuple[int, str, str]], now: Any) -> Statement:
        """(config_id, name, text_value) rows, written as Oro writes a scalar."""

    def insert_history(self, rows: Sequence[Row]) -> Statement:
        """Rows of (revision, time, os_user, ssh_client, db_user, scope, organization_id,
        organization_name, setting_key, old_value, new_value, event, detail)."""

    # -- history --
    def history(self, after: int, organization_id: int | None, system: bool,
                limit: int | None) -> Statement:
        """time (text), os_user, ssh_client, db_user, revision, scope, organization_id,
        organization_name, setting_key, old_value, new_value, event, detail, id; newest
        first."""

    # -- changes made outside outlook-tui, and which Oro --
    def newest_history(self, organization_id: int | None, system: bool) -> Statement:
        """The newest history row per scope and setting (columns as :meth:`history`), for
        one organization, the system (``system``), or every scope. Portable SQL: the rows whose
        id is ``max(id)`` of their ``GROUP BY scope, organization_id, setting_key``."""

    def history_began(self) -> Statement:
        """The time (text, ``...Z``) of the first revision: one row, or none without history."""

    def dated_values(self, organization_id: int | None, system: bool) -> Statement:
        """id, entity, record_id, name, text_value, type, created_at, updated_at (text,
        ``...Z``) of the section's value rows, scoped as :meth:`newest_history`."""

    def oro_migrations(self, bundles: Sequence[str]) -> Statement:
        """bundle, version of ``oro_migrations`` rows of ``bundles`` (the caller checks the
        table exists)."""


__all__ = ["ChangeToken", "Dialect", "Driver", "ErrorKind", "Mode", "QueriedToken", "Row",
           "SavedRows", "Session", "Statement", "connect", "fetch_in_chunks"]
