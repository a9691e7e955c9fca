"""A real MariaDB server for the MySQL store's tests (see ``server.py``), and the store
contract's factory for the "mysql" backend. Imported by ``tests/conftest.py`` so that every
test folder sees them (the contract suite lives in ``tests/store``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest

from outlook_tui.store.mysql import MySQLStore
from tests.mysql.server import MariaDBServer, running
from tests.oro_seeds import OroStoreFactory, initialized, insert_organizations, opened


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
    return initialized(MySQLStore, mysql_server.uri(mysql_db))


@pytest.fixture
def mysql_store(mysql_uri: str) -> Iterator[MySQLStore]:
    yield from opened(MySQLStore, mysql_uri)


class MySQLStoreFactory(OroStoreFactory):
    """Each store a database of its own from the pool."""

    name = "mysql"
    opening = MySQLStore

    def __init__(self, server: MariaDBServer, pool: list[str]) -> None:
        super().__init__(server)
        self.pool = pool
        self.databases: list[str] = []

    def _fresh(self, seeds: Sequence[Mapping[str, Any]]) -> str:
        database = self.pool.pop() if self.pool else self.server.database()
        self.databases.append(database)
        insert_organizations(self.server, database, seeds)
        return str(self.server.uri(database))

    def _give_back(self) -> None:
        for database in self.databases:
            self.server.reset(database)
            self.pool.append(database)


@pytest.fixture
def mysql_store_factory(mysql_server: MariaDBServer,
                        _mysql_pool: list[str]) -> Iterator[MySQLStoreFactory]:
    factory = MySQLStoreFactory(mysql_server, _mysql_pool)
    yield factory
    factory.close()
