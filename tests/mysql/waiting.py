"""Another real session holding what a MySQL store needs (a DBA's open transaction or ``LOCK
TABLES``, Oro's own save, another outlook-tui save), as tests/postgres/waiting.py does on
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.mysql.server import MariaDBServer

#: Every settings row, to compare before and after.
ROWS = "SELECT * FROM oro_config_value ORDER BY id"
#: Organization 1's scope row, as a DBA's open transaction (or Oro's own save) holds it.
ROWS_HELD = "SELECT * FROM oro_config WHERE entity = 'organization' AND record_id = 1 FOR UPDATE"
#: A DBA's ``LOCK TABLES``: the table's metadata lock stops every read of it, not only writes.
TABLE_LOCKED = "LOCK TABLES oro_config_value WRITE"
#: Another outlook-tui save holding the savers' lock.
SAVERS_HELD = "SELECT GET_LOCK('outlook-tui save', 0)"


def connection_id(connection: Any) -> int:
    """The server's id of a test's own connection (as KILL and the process list name it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CONNECTION_ID()")
        return int(cursor.fetchone()[0])


@contextmanager
def metadata_lock_info(server: MariaDBServer) -> Iterator[None]:
    """MariaDB's metadata_lock_info plugin installed, as a DBA does (removed after): it names
    who holds a table's lock (``information_schema.METADATA_LOCK_INFO``)."""
    server.execute(None, "INSTALL SONAME 'metadata_lock_info'")
    try:
        yield
    finally:
        server.execute(None, "UNINSTALL SONAME 'metadata_lock_info'")


@contextmanager
def holding(server: MariaDBServer, database: str, sql: str) -> Iterator[Any]:
    """Another session holding a lock until the block ends (then rolled back and closed, which
    ends a table lock and the savers' lock too)."""
    holder = server.connect(database, autocommit=False)
    try:
        with holder.cursor() as cursor:
            cursor.execute(sql)
        yield holder
    finally:
        holder.rollback()
        holder.close()
