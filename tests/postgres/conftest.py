"""A real PostgreSQL server for the database store's tests (see ``server.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from outlook_tui.store.postgres import PostgresStore
from tests.postgres.server import PostgresServer, running


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    with running() as server:
        yield server


@pytest.fixture(scope="session")
def _session_db(pg_server: PostgresServer) -> Iterator[str]:
    name = pg_server.database()
    yield name
    pg_server.drop(name)


@pytest.fixture
def oro_db(pg_server: PostgresServer, _session_db: str) -> str:
    """The name of a database holding Oro's tables and other bundles' rows, as the template
    has them (reset for each test)."""
    pg_server.reset(_session_db)
    return _session_db


@pytest.fixture
def oro_uri(pg_server: PostgresServer, oro_db: str) -> str:
    """A libpq URI of a fresh Oro database where ``outlook-tui db init`` has run."""
    from outlook_tui.store.postgres import PostgresStore

    uri = pg_server.uri(oro_db)
    store = PostgresStore(uri)
    store.init_history()
    store.close()
    return uri


@pytest.fixture
def pg_store(oro_uri: str) -> Iterator[PostgresStore]:
    from outlook_tui.store.postgres import PostgresStore

    store = PostgresStore(oro_uri)
    yield store
    store.close()
