"""A real MariaDB server for the MySQL store's tests (see ``server.py``), and the store
contract's factory for the "mysql" backend. Imported by ``tests/conftest.py`` so that every
test folder sees them (the contract suite lives in ``tests/store``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from outlook_tui.store import StoreBackend
from outlook_tui.store.mysql import MySQLStore
from tests.mysql.server import MariaDBServer, running
from tests.oro_seeds import FIRST_ID, save_settings, seeds_of

ORO_TABLES = ("oro_organization", "oro_config", "oro_config_value", "outlook_tui_history")


@pytest.fixture(scope="session")
def mysql_server() -> Iterator[MariaDBServer]:
    with running() as server:
        yield server


@pytest.fixture(scope="session")
def _mysql_pool(mysql_server: MariaDBServer) -> Iterator[list[str]]:
    """Databases of Oro's tables (utf8) free for the next test, reset when given back: a reset
    takes a third of the time of a new database."""
    free: list[str] = []
    yield free
    for name in free:
        mysql_server.drop(name)


@pytest.fixture
def mysql_db(mysql_server: MariaDBServer, _mysql_pool: list[str]) -> Iterator[str]:
    """A database holding Oro's tables (utf8, as Oro 1.x-3.x made them) and other bundles'
    rows, as the seed has them."""
    name = _mysql_pool.pop() if _mysql_pool else mysql_server.database()
    yield name
    mysql_server.reset(name)
    _mysql_pool.append(name)


@pytest.fixture
def mysql_uri(mysql_server: MariaDBServer, mysql_db: str) -> str:
    """The store URI of a fresh Oro database where ``outlook-tui db init`` has run."""
    uri = mysql_server.uri(mysql_db)
    store = MySQLStore(uri)
    store.init_history()
    store.close()
    return uri


@pytest.fixture
def mysql_store(mysql_uri: str) -> Iterator[MySQLStore]:
    store = MySQLStore(mysql_uri)
    yield store
    store.close()


def insert_organizations(server: MariaDBServer, database: str,
                         seeds: Sequence[Mapping[str, Any]], first_id: int = FIRST_ID) -> None:
    """Organizations as Oro's own screens insert them (the store cannot create them)."""
    for number, seed in enumerate(seeds, start=first_id):
        server.execute(database, "INSERT INTO oro_organization (id, name, description, enabled, "
                       "created_at, updated_at) VALUES (%s, %s, %s, %s, '2026-01-15 09:30:00', "
                       "'2026-01-15 09:30:00')",
                       (number, seed["name"], seed.get("description") or None,
                        bool(seed.get("enabled", True))))


@dataclass
class MySQLStoreFactory:
    """Each store a database of its own from the pool (Oro's tables, the seed rows, ``db init``
    done). Organizations are inserted as Oro would; overrides and system values are saved
    through the store."""

    server: MariaDBServer
    pool: list[str]
    name: str = "mysql"
    databases: list[str] = field(default_factory=list)
    stores: list[StoreBackend] = field(default_factory=list)

    def __call__(self, organizations: Sequence[str | Mapping[str, Any]] = (),
                 system: Mapping[str, Any] | None = None) -> StoreBackend:
        database = self.pool.pop() if self.pool else self.server.database()
        self.databases.append(database)
        seeds = seeds_of(organizations)
        insert_organizations(self.server, database, seeds)
        store = MySQLStore(self.server.uri(database))
        store.init_history()
        self.stores.append(store)
        save_settings(store, seeds, system)
        return store

    def again(self, store: StoreBackend, *, read_only: bool = False) -> StoreBackend:
        assert isinstance(store, MySQLStore)
        other = MySQLStore(store.uri, read_only=read_only)
        self.stores.append(other)
        return other

    def picture(self, store: StoreBackend) -> object:
        """Every row of every table of the store's database."""
        assert isinstance(store, MySQLStore)
        return {table: self.server.execute(store.database, f"SELECT * FROM {table} ORDER BY id")
                for table in ORO_TABLES}

    def close(self) -> None:
        for store in self.stores:
            store.close()
        for database in self.databases:
            self.server.reset(database)
            self.pool.append(database)


@pytest.fixture
def mysql_store_factory(mysql_server: MariaDBServer,
                        _mysql_pool: list[str]) -> Iterator[MySQLStoreFactory]:
    factory = MySQLStoreFactory(mysql_server, _mysql_pool)
    yield factory
    factory.close()
