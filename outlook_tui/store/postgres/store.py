"""Oro's own PostgreSQL database as the store: the shared Oro SQL store
(:mod:`outlook_tui.store.oro`) with PostgreSQL's SQL (:mod:`.dialect`), psycopg
(:mod:`.driver`) and the xmin change token (:mod:`.token`)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from outlook_tui.store.oro.store import OroStore
from outlook_tui.store.postgres.dialect import PostgresDialect
from outlook_tui.store.postgres.driver import PsycopgDriver
from outlook_tui.store.postgres.token import XminToken


def is_database_uri(location: str | None) -> bool:
    return bool(location) and str(location).startswith(("postgresql://", "postgres://"))


def redact(uri: str) -> str:
    """The URI without its password (in the user part or as a ``password=`` parameter)."""
    parts = urlsplit(uri)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hosts = netloc.rpartition("@")
        netloc = userinfo.partition(":")[0] + "@" + hosts
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k != "password"], safe="/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class PostgresStore(OroStore):
    """:class:`~outlook_tui.store.backend.StoreBackend` on Oro's PostgreSQL database."""

    kind = "Oro database (PostgreSQL)"
    backup_tool = "pg_dump"
    scheme = "postgresql"

    def __init__(self, uri: str, *, read_only: bool = False) -> None:
        dialect = PostgresDialect()
        super().__init__(uri, redact(uri), driver=PsycopgDriver(), dialect=dialect,
                         token=XminToken(dialect), read_only=read_only)
