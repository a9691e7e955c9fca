"""Oro's own MySQL (or MariaDB) database as the store: the shared Oro SQL store
(:mod:`outlook_tui.store.oro`) with MySQL's SQL (:mod:`.dialect`), PyMySQL (:mod:`.driver`)
and the checksum change token (:mod:`.token`)."""

from __future__ import annotations

from outlook_tui.store.mysql.dialect import MySQLDialect
from outlook_tui.store.mysql.driver import PyMySQLDriver
from outlook_tui.store.mysql.token import ChecksumToken
from outlook_tui.store.mysql.uri import parse
from outlook_tui.store.oro.connection import FirstLook
from outlook_tui.store.oro.store import OroStore


class MySQLStore(OroStore):
    """:class:`~outlook_tui.store.backend.StoreBackend` on Oro's MySQL database."""

    kind = "Oro database (MySQL)"
    backup_tool = "mysqldump"
    scheme = "mysql"

    def __init__(self, uri: str, *, read_only: bool = False,
                 oro_version: str | None = None, first_look: FirstLook | None = None) -> None:
        dialect = MySQLDialect()
        super().__init__(uri, parse(uri)[0].location, driver=PyMySQLDriver(dialect),
                         dialect=dialect, token=ChecksumToken(dialect), read_only=read_only,
                         oro_version=oro_version, first_look=first_look)
