"""Oro's own database on MySQL or MariaDB (Oro 1.x-4.x ran on both): the shared Oro SQL store
(:mod:`outlook_tui.store.oro`) with MySQL's SQL, PyMySQL and a checksum change token.

PyMySQL is an optional extra (``outlook-tui[mysql]``), imported only when a database is opened.
"""

from outlook_tui.store.mysql.store import MySQLStore, redact
from outlook_tui.store.mysql.uri import is_mysql_uri

__all__ = ["MySQLStore", "is_mysql_uri", "redact"]
