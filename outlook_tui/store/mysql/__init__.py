"""Oro's own database on MySQL or MariaDB (Oro 1.x-4.x ran on both): the shared Oro SQL store
(:mod:`outlook_tui.store.oro`) with MySQL's SQL, PyMySQL and a checksum change token.

PyMySQL is an optional extra (``outlook-tui[mysql]``), imported only when a database is opened.
"""

from outlook_tui.store.mysql.store import MySQLStore

__all__ = ["MySQLStore"]
