"""Another real session holding what a save needs on PostgreSQL (a DBA's ``BEGIN; SELECT ...
FOR UPDATE``, Oro's own save, another outlook-tui save), and how a test sees a save wait."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from tests.e2e.terminal import eventually
from tests.postgres.server import PostgresServer

#: The Default Organization's oro_config row (organization 1's scope).
DEFAULT_ORGANIZATION_SCOPE = 2
#: A DBA's open transaction holding the Default Organization's scope row.
ROWS_HELD = f"SELECT id FROM oro_config WHERE id = {DEFAULT_ORGANIZATION_SCOPE} FOR UPDATE"
#: A DBA's ``BEGIN; LOCK TABLE ...``: stops every read of the table, not only writes.
TABLE_LOCKED = "LOCK TABLE oro_config_value IN ACCESS EXCLUSIVE MODE"
#: Another outlook-tui save holding the savers' lock.
SAVERS_HELD = "SELECT pg_advisory_lock(hashtext('outlook-tui save'))"


@contextmanager
def holding(uri: str, sql: str, name: str = "dba-console") -> Iterator[psycopg.Connection]:
    """Another session (application_name ``name``) holding a lock until the block ends, then
    rolled back."""
    with psycopg.connect(uri, application_name=name) as holder:
        holder.execute(sql)
        try:
            yield holder
        finally:
            holder.rollback()


def waiters(server: PostgresServer, database: str) -> list[tuple[object, ...]]:
    """The sessions of ``database`` waiting for a lock now: (pid, application_name)."""
    return server.execute(database, """
SELECT a.pid, a.application_name FROM pg_stat_activity a
WHERE a.datname = current_database() AND cardinality(pg_blocking_pids(a.pid)) > 0""")


def outlook_tui_sessions(server: PostgresServer, database: str) -> list[tuple[object, ...]]:
    """outlook-tui's sessions of ``database`` that wait for a lock, hold one, or are inside a
    transaction: none once its save has ended, whatever ended it."""
    return server.execute(database, """
SELECT a.pid, a.state, a.wait_event_type FROM pg_stat_activity a
WHERE a.datname = current_database() AND a.application_name = 'outlook-tui'
  AND (a.state <> 'idle' OR cardinality(pg_blocking_pids(a.pid)) > 0
       OR EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory'))""")


def a_save_is_waiting(server: PostgresServer, database: str) -> list[tuple[object, ...]]:
    """Wait until an outlook-tui session waits for a lock (bounded: fails naming it)."""
    return eventually(lambda: [w for w in waiters(server, database)
                               if w[1] == "outlook-tui"] or None,
                      "an outlook-tui save waiting for a lock")


def waiting_session(server: PostgresServer, database: str, pid: object) -> bool:
    """Session ``pid`` waits for a lock now."""
    return any(w[0] == pid for w in waiters(server, database))
