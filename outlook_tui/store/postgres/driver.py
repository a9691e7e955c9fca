"""psycopg, PostgreSQL's driver, behind :class:`outlook_tui.store.oro.sql.Driver`.

psycopg is an optional extra (``outlook-tui[postgres]``), imported only when a database is opened.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from outlook_tui.store.errors import StoreError
from outlook_tui.store.oro.sql import (
    CONNECT_TIMEOUT,
    ErrorKind,
    Mode,
    Row,
    Statement,
    fetch_in_chunks,
)

EXTRA_HINT = "pip install 'outlook-tui[postgres]'"
APPLICATION_NAME = "outlook-tui"


def psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "Oro's database needs psycopg, which is not installed: "
            f"{EXTRA_HINT}") from None
    return psycopg


class PsycopgSession:
    """One psycopg connection in autocommit mode; transactions are explicit."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    @property
    def closed(self) -> bool:
        return bool(self.connection.closed)

    def rows(self, statement: Statement) -> list[Row]:
        return list(self.connection.execute(statement.sql, statement.params).fetchall())

    def run(self, statement: Statement) -> None:
        if statement.mode is Mode.COPY:
            with self.connection.cursor().copy(statement.sql) as copy:
                for row in statement.params:
                    copy.write_row(row)
        elif statement.mode is Mode.MANY:
            self.connection.cursor().executemany(statement.sql, statement.params)
        else:
            self.connection.execute(statement.sql, statement.params)

    def stream(self, statement: Statement, chunk: int,
               pause: Callable[[], None] | None) -> list[Row]:
        with self.connection.cursor(name="outlook_tui_rows") as cursor:
            cursor.itersize = chunk
            cursor.execute(statement.sql, statement.params)
            return fetch_in_chunks(cursor, chunk, pause)

    @contextmanager
    def transaction(self, setup: Sequence[Statement]) -> Iterator[None]:
        with self.connection.transaction():
            for statement in setup:
                self.run(statement)
            yield

    def close(self) -> None:
        self.connection.close()


class PsycopgDriver:
    name = "psycopg"

    @cached_property
    def psycopg(self) -> Any:
        """Imported when first connecting (~70 ms): the app's store, handed what another
        process found on opening (``store/ahead.py``), connects after its first paint."""
        return psycopg()

    def connect(self, uri: str) -> PsycopgSession:
        """Bounded: a server that accepts and never answers fails after CONNECT_TIMEOUT
        seconds, unless the URI's ``connect_timeout`` (or ``$PGCONNECT_TIMEOUT``) says."""
        given = "connect_timeout" in self.psycopg.conninfo.conninfo_to_dict(uri) or \
            os.environ.get("PGCONNECT_TIMEOUT", "").strip()
        bound = {} if given else {"connect_timeout": CONNECT_TIMEOUT}
        return PsycopgSession(self.psycopg.connect(uri, autocommit=True,
                                                   application_name=APPLICATION_NAME, **bound))

    def kind(self, error: BaseException) -> ErrorKind | None:
        errors = self.psycopg.errors
        if not isinstance(error, self.psycopg.Error):
            return None
        for kind, classes in (
                (ErrorKind.SERIALIZATION, errors.SerializationFailure),
                (ErrorKind.UNIQUE_VIOLATION, errors.UniqueViolation),
                (ErrorKind.LOCK_TIMEOUT, errors.LockNotAvailable),
                (ErrorKind.CANCELLED, errors.QueryCanceled),
                (ErrorKind.INSUFFICIENT_PRIVILEGE, errors.InsufficientPrivilege),
                (ErrorKind.LOST_CONNECTION, self.psycopg.OperationalError)):
            if isinstance(error, classes):
                return kind
        return ErrorKind.OTHER

    def text(self, error: BaseException) -> str:
        diag = getattr(error, "diag", None)
        if isinstance(error, self.psycopg.errors.InsufficientPrivilege) and diag is not None:
            return str(diag.message_primary)
        return str(error).strip()
