"""PyMySQL, MySQL's and MariaDB's driver, behind :class:`outlook_tui.store.oro.sql.Driver`.

PyMySQL is an optional extra (``outlook-tui[mysql]``), imported only when a database is opened.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cached_property
from typing import Any

from outlook_tui.store.errors import StoreError
from outlook_tui.store.mysql.dialect import MySQLDialect, lock_wait_seconds
from outlook_tui.store.mysql.uri import connect_arguments
from outlook_tui.store.oro.sql import ErrorKind, Mode, Row, Statement, fetch_in_chunks

EXTRA_HINT = "pip install 'outlook-tui[mysql]'"
PROGRAM_NAME = "outlook-tui"
#: Seconds a statement's answer may take beyond the lock timeout (the work itself at 100k
#: organizations on a busy server), before the connection is given up as lost.
ANSWER_MARGIN = 60

# MySQL's and MariaDB's error numbers (include/mysqld_error.h, errmsg.h).
LOCK_WAIT_TIMEOUT = 1205
DEADLOCK = 1213
DUPLICATE_KEY = 1062
PRIVILEGE = frozenset({1044, 1142, 1143, 1227, 1370})
READ_ONLY = frozenset({1290, 1792, 1836})
CANCELLED = frozenset({1317, 1969, 3024})
#: The server ended the connection (shutdown, KILL, an idle timeout).
GONE = frozenset({1053, 1927, 4031})


def pymysql() -> Any:
    try:
        import pymysql
    except ImportError:
        raise StoreError("Oro's MySQL database needs PyMySQL, which is not installed: "
                         f"{EXTRA_HINT}") from None
    return pymysql


@functools.cache
def _preferred_tls() -> ssl.SSLContext:
    """The TLS context of a connection given no TLS options (PyMySQL's "preferred" mode: TLS
    when the server offers it, unverified). PyMySQL builds it anew for every connection with
    ``ssl.create_default_context()``, which loads every CA certificate of the system (~40 ms,
    holding the interpreter: a key pressed while the app opened its second connection waited
    that long) only to verify nothing. One context, with no CA store, serves them all."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@functools.cache
def _connection_class(module: Any) -> Any:
    """PyMySQL's Connection, taking :func:`_preferred_tls` when it has no TLS options; TLS
    options of its own (``ssl-ca``... in an option file) are PyMySQL's to apply."""

    class Connection(module.connections.Connection):
        def _create_ssl_ctx(self, sslp: Any) -> Any:
            return super()._create_ssl_ctx(sslp) if sslp else _preferred_tls()

    return Connection


class LockNotGranted(Exception):
    """GET_LOCK gave up after the lock timeout."""


class LockWaitInterrupted(Exception):
    """GET_LOCK was interrupted (KILL QUERY: the save was cancelled)."""


def _number(error: BaseException) -> int | None:
    args = getattr(error, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


class PyMySQLSession:
    """One PyMySQL connection in autocommit mode; transactions are explicit."""

    def __init__(self, connection: Any, module: Any) -> None:
        self.connection = connection
        self.pymysql = module

    @property
    def closed(self) -> bool:
        return not self.connection.open

    def rows(self, statement: Statement) -> list[Row]:
        if statement.mode is Mode.PROBE:
            return [(self._probe(statement),)]
        with self.connection.cursor() as cursor:
            cursor.execute(statement.sql, statement.params or ())
            return list(cursor.fetchall())

    def run(self, statement: Statement) -> None:
        if statement.mode is Mode.MANY:
            if statement.params:
                with self.connection.cursor() as cursor:
                    cursor.executemany(statement.sql, statement.params)
        elif statement.mode is Mode.ACQUIRE:
            granted = self.rows(Statement(statement.sql, statement.params))[0][0]
            if granted is None:  # NULL: interrupted, or an error, while waiting
                raise LockWaitInterrupted("the wait for the savers' lock was interrupted; "
                                          "nothing was saved")
            if granted != 1:
                raise LockNotGranted(
                    f"another outlook-tui save held the savers' lock for "
                    f"{lock_wait_seconds()} s (OUTLOOK_TUI_LOCK_TIMEOUT); nothing was saved")
        elif statement.mode is Mode.COPY:
            raise ValueError("MySQL has no COPY: use Mode.MANY")
        else:
            self.rows(statement)

    def _probe(self, statement: Statement) -> bool:
        """Run a statement that changes no row, in a transaction rolled back: False when the
        user lacks a privilege for it (or the server is read-only to them)."""
        self.connection.begin()
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(statement.sql, statement.params or ())
            return True
        except self.pymysql.err.MySQLError as error:
            if _number(error) in PRIVILEGE | READ_ONLY:
                return False
            raise
        finally:
            if self.connection.open:
                self.connection.rollback()

    def stream(self, statement: Statement, chunk: int,
               pause: Callable[[], None] | None) -> list[Row]:
        with self.connection.cursor(self.pymysql.cursors.SSCursor) as cursor:
            cursor.execute(statement.sql, statement.params or ())
            return fetch_in_chunks(cursor, chunk, pause)

    @contextmanager
    def transaction(self, setup: Sequence[Statement]) -> Iterator[None]:
        """``setup`` runs first (SET TRANSACTION applies to the next transaction; a START
        TRANSACTION there starts it its own way), then START TRANSACTION unless it did."""
        for statement in setup:
            self.run(statement)
        if not self._in_transaction():
            self.connection.begin()
        try:
            yield
        except BaseException:
            if self.connection.open:
                with suppress(self.pymysql.err.MySQLError):
                    self.connection.rollback()
            raise
        self.connection.commit()

    def _in_transaction(self) -> bool:
        in_transaction: int = self.pymysql.constants.SERVER_STATUS.SERVER_STATUS_IN_TRANS
        return bool(self.connection.server_status & in_transaction)

    def close(self) -> None:
        with suppress(Exception):
            self.connection.close()


class PyMySQLDriver:
    name = "PyMySQL"

    def __init__(self, dialect: MySQLDialect) -> None:
        self.dialect = dialect

    @cached_property
    def pymysql(self) -> Any:
        """Imported when first connecting (see PsycopgDriver.psycopg)."""
        return pymysql()

    def connect(self, uri: str) -> PyMySQLSession:
        _, arguments = connect_arguments(uri)
        # PyMySQL bounds only the TCP connect by connect_timeout: a server that accepts and
        # never greets would hold the handshake forever. Its reads are bounded by it too, then
        # by the lock timeout and a margin for the work itself: every wait ends.
        timeout = arguments["connect_timeout"]
        connection = _connection_class(self.pymysql)(
            **arguments, charset="utf8mb4", autocommit=True, program_name=PROGRAM_NAME,
            read_timeout=timeout, write_timeout=timeout)
        connection._read_timeout = connection._write_timeout = (
            lock_wait_seconds() + ANSWER_MARGIN)
        # A table's metadata lock (a DBA's LOCK TABLES, an ALTER TABLE running) is waited for
        # lock_wait_timeout, a day or a year by default: the lock timeout instead.
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION lock_wait_timeout = %s", (lock_wait_seconds(),))
        self.dialect.server_is(connection.get_server_info())
        return PyMySQLSession(connection, self.pymysql)

    def kind(self, error: BaseException) -> ErrorKind | None:
        if isinstance(error, LockNotGranted):
            return ErrorKind.LOCK_TIMEOUT
        if isinstance(error, LockWaitInterrupted):
            return ErrorKind.CANCELLED
        if not isinstance(error, self.pymysql.err.MySQLError):
            return None
        number = _number(error)
        if isinstance(error, self.pymysql.err.InterfaceError) or number is None \
                or 2000 <= number < 3000 or number in GONE:
            return ErrorKind.LOST_CONNECTION
        if number == LOCK_WAIT_TIMEOUT:
            return ErrorKind.LOCK_TIMEOUT
        if number == DEADLOCK:
            return ErrorKind.SERIALIZATION
        if number in CANCELLED:
            return ErrorKind.CANCELLED
        if number in PRIVILEGE:
            return ErrorKind.INSUFFICIENT_PRIVILEGE
        return ErrorKind.OTHER

    def text(self, error: BaseException) -> str:
        if isinstance(error, LockNotGranted | LockWaitInterrupted):
            return str(error)
        args: tuple[object, ...] = tuple(getattr(error, "args", ()))
        number = _number(error)
        message = str(args[1] if len(args) > 1 else error).strip() or type(error).__name__
        if number == LOCK_WAIT_TIMEOUT:
            return (f"another transaction held the rows for {lock_wait_seconds()} s "
                    "(OUTLOOK_TUI_LOCK_TIMEOUT); nothing was saved")
        if number == DUPLICATE_KEY and "CONFIG_VALUE_UQ_ENTITY" in message.upper():
            return (f"{message}: a row of oro_config_value whose name or section differs from "
                    "outlook-tui's only in letter case or trailing spaces holds that key (MySQL "
                    "compares them as equal, Oro does not and ignores that row): a DBA should "
                    "delete or rename it; nothing was saved")
        return message if number is None else f"{message} (error {number})"
