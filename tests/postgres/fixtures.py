"""A real PostgreSQL server for the database store's tests (see ``server.py``), and the
store contract's factory for the "postgres" backend. Imported by ``tests/conftest.py`` so that
every test folder sees them (the contract suite lives in ``tests/store``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import pytest

from outlook_tui.store.postgres import PostgresStore
from tests.oro_seeds import (
    ACME,
    ACME_SYSTEM,
    OroStoreFactory,
    initialized,
    opened,
    save_settings,
    seeds_of,
)
from tests.oro_seeds import insert_organizations as insert_as_oro
from tests.postgres.server import ORO_DDL, ORO_SEED, PostgresServer, running

#: outlook-tui's settings rows as stored, to compare before and after.
SECTION_ROWS = """SELECT c.entity, c.record_id, v.name, v.text_value, v.type, v.object_value,
  v.array_value FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
WHERE v.section = 'oro_crm_pro_outlook' AND c.entity IN ('app', 'organization')
  AND v.name <> 'layouts' ORDER BY c.entity, c.record_id, v.name"""


def stored_as_oro_would(server: PostgresServer, database: str, config_id: int, name: str,
                        text_value: str, *, when: str = "now()") -> int:
    """A setting's row written straight to oro_config_value, whatever its text, as Oro's page,
    ``oro:config:update`` or a DBA writes it (``when``: its created_at and updated_at, SQL);
    its id."""
    rows = server.execute(database, "INSERT INTO oro_config_value (config_id, name, section, "
                          "text_value, object_value, array_value, type, created_at, updated_at) "
                          "VALUES (%s, %s, 'oro_crm_pro_outlook', %s, 'Tjs=', 'Tjs=', 'scalar', "
                          f"{when}, {when}) RETURNING id", (config_id, name, text_value))
    return int(rows[0][0])  # type: ignore[call-overload]


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
    return initialized(PostgresStore, pg_server.uri(oro_db))


@pytest.fixture
def pg_store(oro_uri: str) -> Iterator[PostgresStore]:
    yield from opened(PostgresStore, oro_uri)


def insert_organizations(server: PostgresServer, database: str,
                         organizations: Sequence[str | Mapping[str, Any]], *,
                         schema: str = "public") -> None:
    """Insert organizations as Oro does (tests/oro_seeds.py), with ids from 2 (after the
    Default Organization), and the id sequence past them."""
    insert_as_oro(server, database, organizations, table=f"{schema}.oro_organization")
    server.execute(database, f"SELECT setval('{schema}.oro_organization_id_seq', "
                   f"(SELECT max(id) FROM {schema}.oro_organization))")


@pytest.fixture
def acme_db(pg_server: PostgresServer, oro_db: str) -> str:
    """Oro's database (its name) holding Acme and Globex (``ACME``), inserted as Oro does; no
    ``db init`` yet and no setting of theirs: what Oro alone has."""
    insert_organizations(pg_server, oro_db, ACME)
    return oro_db


@pytest.fixture
def acme_uri(pg_server: PostgresServer, acme_db: str) -> str:
    """The URI of ``acme_db`` after ``db init``, with the settings of ``ACME`` and
    ``ACME_SYSTEM`` saved by outlook-tui (history revision 1)."""
    store = PostgresStore(pg_server.uri(acme_db))
    try:
        store.init_history()
        save_settings(store, seeds_of(ACME), ACME_SYSTEM)
    finally:
        store.close()
    return pg_server.uri(acme_db)


class PostgresStoreFactory(OroStoreFactory):
    """Each store a schema of its own in the worker's database, reached through the URI's
    search_path: ~30 ms, against ~500 ms for a database."""

    name = "postgres"
    opening = PostgresStore

    def __init__(self, server: PostgresServer, database: str) -> None:
        super().__init__(server)
        self.database = database
        self.schemas: list[str] = []

    def _fresh(self, seeds: Sequence[Mapping[str, Any]]) -> str:
        schema = f"contract_{uuid.uuid4().hex[:10]}"
        self.schemas.append(schema)
        self.server.execute(self.database, f"CREATE SCHEMA {schema}; SET search_path = "
                            f"{schema}; {ORO_DDL} {ORO_SEED}")
        insert_organizations(self.server, self.database, seeds, schema=schema)
        return str(self.server.uri(self.database) + "&options="
                   + quote(f"-csearch_path={schema}", safe=""))

    def _table(self, uri: str, table: str) -> str:
        return f"{uri.rpartition('search_path%3D')[2]}.{table}"

    def _give_back(self) -> None:
        for schema in self.schemas:
            self.server.execute(self.database, f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def postgres_store_factory(pg_server: PostgresServer,
                           _session_db: str) -> Iterator[PostgresStoreFactory]:
    factory = PostgresStoreFactory(pg_server, _session_db)
    yield factory
    factory.close()
