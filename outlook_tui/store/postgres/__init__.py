"""Oro's own database as the store (PostgreSQL; the SQL sits behind :mod:`.dialect`).

psycopg is an optional extra (``outlook-tui[postgres]``), imported only when a database is opened.
"""

from outlook_tui.store.postgres.store import CACHE_NOTICE, PostgresStore, is_database_uri, redact

__all__ = ["CACHE_NOTICE", "PostgresStore", "is_database_uri", "redact"]
