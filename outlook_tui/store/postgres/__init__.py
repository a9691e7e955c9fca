"""Oro's own database on PostgreSQL: the shared Oro SQL store (:mod:`outlook_tui.store.oro`)
with PostgreSQL's SQL, psycopg and the xmin change token.

psycopg is an optional extra (``outlook-tui[postgres]``), imported only when a database is opened.
"""

from outlook_tui.store.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
