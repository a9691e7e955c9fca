"""The app's first whole read of Oro's MySQL database behind a DBA's ``LOCK TABLES ...
WRITE``, on the real MariaDB: said once (naming the DBA's connection when MariaDB's
metadata_lock_info plugin is installed, else saying the database does not say who), the
first organizations usable, everything read once the DBA unlocks; quitting meanwhile writes
nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.store.ahead import FIRST_ROWS, FirstRows
from outlook_tui.store.mysql import MySQLStore
from tests.conftest import notices, settle, shown_notices
from tests.e2e.terminal import eventually
from tests.mysql.fixtures import insert_organizations
from tests.mysql.server import MariaDBServer
from tests.mysql.waiting import ROWS, TABLE_LOCKED, connection_id, holding, metadata_lock_info
from tests.oro_seeds import seeds_of

MANY = [f"Organization {n:02}" for n in range(1, FIRST_ROWS + 21)]
LOCKED, RELEASED = "Database locked", "Database lock released"


@pytest.fixture
def store(mysql_server: MariaDBServer, mysql_db: str, mysql_uri: str,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[MySQLStore]:
    """Oro's database with the Default Organization and MANY; each read waits 1 s at most for
    a table's lock (MySQL counts whole seconds; a bound, not a timing)."""
    insert_organizations(mysql_server, mysql_db, seeds_of(MANY))
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "1")
    store = MySQLStore(mysql_uri)
    yield store
    store.close()


def told(app: OutlookApp, title: str) -> list[str]:
    return [str(n.message) for n in notices(app) if n.title == title]


@asynccontextmanager
async def first_load_behind_a_dba(server: MariaDBServer, database: str, store: MySQLStore,
                                  ) -> AsyncIterator[tuple[OutlookApp, Any, Any]]:
    """The app started as the command line starts it, its first rows read before the DBA's
    ``LOCK TABLES``; the whole read behind it until the block ends."""
    first_rows = FirstRows(store)
    assert first_rows.result() is not None
    with holding(server, database, TABLE_LOCKED) as dba:
        app = OutlookApp(store, watch_seconds=0.05, first_rows=first_rows)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: told(app, LOCKED),
                         "the app to say the database is locked")
            yield app, pilot, dba


async def test_a_first_load_behind_lock_tables_waits_then_reads_every_organization(
        mysql_server: MariaDBServer, mysql_db: str, store: MySQLStore) -> None:
    async with first_load_behind_a_dba(mysql_server, mysql_db, store) as (app, pilot, dba):
        assert told(app, LOCKED) == [
            "The database is locked: reading the organizations is waiting for a lock on "
            "Oro's tables (oro_organization, oro_config, oro_config_value, "
            "outlook_tui_history); the database does not say who holds it. The organizations "
            "shown can be opened meanwhile; the rest are read as soon as it is free."]
        screen = app.screen
        assert isinstance(screen, OrganizationsScreen) and not app.validated
        await pilot.press("down")
        assert screen.query_one(VirtualTable).cursor_row == 1
        with dba.cursor() as cursor:
            cursor.execute("UNLOCK TABLES")  # the DBA is done
        await settle(pilot, lambda: app.validated, "every organization to be read")
        assert app.snapshot is not None and len(app.snapshot) == len(MANY) + 1
        assert told(app, RELEASED) == [f"All {len(MANY) + 1} organizations read."]
        assert told(app, LOCKED) == told(app, LOCKED)[:1]
        assert [n.title for n in shown_notices(app)] == [RELEASED]


async def test_with_metadata_lock_info_the_dba_is_named_and_quitting_writes_nothing(
        mysql_server: MariaDBServer, mysql_db: str, store: MySQLStore) -> None:
    before = mysql_server.execute(mysql_db, ROWS)
    with metadata_lock_info(mysql_server):
        async with first_load_behind_a_dba(mysql_server, mysql_db, store) as (app, pilot, dba):
            connection = connection_id(dba)
            assert told(app, LOCKED) == [
                "The database is locked: reading the organizations is waiting for a lock on "
                f"oro_config_value, held by root (connection {connection}, from localhost). "
                "The organizations shown can be opened meanwhile; the rest are read as soon "
                "as it is free."]
            await pilot.press("ctrl+q")
            await settle(pilot, lambda: not app.is_running, "the app to end")
    assert mysql_server.execute(mysql_db, ROWS) == before
    assert store.history() == []


async def test_quitting_while_the_whole_read_waits_ends_that_read_too(
        mysql_server: MariaDBServer, mysql_db: str, store: MySQLStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With a patient lock timeout (600 s), ctrl+q while the whole read waits behind LOCK
    TABLES ends that read too (KILL QUERY on its own connection): nothing stays waiting."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    first_rows = FirstRows(store)
    assert first_rows.result() is not None

    def read_waits() -> bool:
        return bool(mysql_server.execute(
            None, "SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = %s AND STATE = "
            "'Waiting for table metadata lock'", (store.loading.backend_id,)))

    with holding(mysql_server, mysql_db, TABLE_LOCKED):
        app = OutlookApp(store, watch_seconds=0.05, first_rows=first_rows)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, read_waits, "the whole read to wait for the DBA")
            await pilot.press("ctrl+q")
            await settle(pilot, lambda: not app.is_running, "the app to end")
        eventually(lambda: not read_waits(), "the whole read to have ended")
