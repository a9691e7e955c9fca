"""Oro's own PostgreSQL database as the store: the shared Oro SQL store
(:mod:`outlook_tui.store.oro`) with PostgreSQL's SQL (:mod:`.dialect`), psycopg
(:mod:`.driver`) and the xmin change token (:mod:`.token`)."""

from __future__ import annotations

from outlook_tui.store.oro.connection import FirstLook
from outlook_tui.store.oro.store import OroStore
from outlook_tui.store.postgres.dialect import PostgresDialect
from outlook_tui.store.postgres.driver import PsycopgDriver
from outlook_tui.store.postgres.token import XminToken
from outlook_tui.store.uri import redact


class PostgresStore(OroStore):
    """:class:`~outlook_tui.store.backend.StoreBackend` on Oro's PostgreSQL database."""

    kind = "Oro database (PostgreSQL)"
    backup_tool = "pg_dump"
    scheme = "postgresql"

    def __init__(self, uri: str, *, read_only: bool = False,
                 oro_version: str | None = None, first_look: FirstLook | None = None) -> None:
        dialect = PostgresDialect()
        super().__init__(uri, redact(uri), driver=PsycopgDriver(), dialect=dialect,
                         token=XminToken(dialect), read_only=read_only, oro_version=oro_version,
                         first_look=first_look)
