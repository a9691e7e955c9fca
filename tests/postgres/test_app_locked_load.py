"""The app's first whole read of Oro's PostgreSQL database, and its reads after a change by
others, behind a DBA's ``BEGIN; LOCK TABLE ... IN ACCESS EXCLUSIVE MODE``: the app says once
that the database is locked and by whom, stays usable with the organizations it has, reads
again in the background (each try bounded by the lock timeout) and reads everything once the
lock is gone; quitting meanwhile writes nothing; a real error still opens the recovery
screen."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.confirm import UnsavedChangesModal
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.app.screens.recovery import RecoveryScreen
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.store.ahead import FIRST_ROWS, FirstRows
from outlook_tui.store.postgres import PostgresStore
from tests.app.conftest import override_crm
from tests.conftest import notices, settle, shown_notices
from tests.e2e.terminal import eventually
from tests.postgres.fixtures import SECTION_ROWS, insert_organizations
from tests.postgres.server import PostgresServer
from tests.postgres.waiting import TABLE_LOCKED, holding, waiting_session

#: More organizations than the first screen reads: the rest wait for the whole read.
MANY = [f"Organization {n:02}" for n in range(1, FIRST_ROWS + 21)]
LOCKED, RELEASED = "Database locked", "Database lock released"


@pytest.fixture
def many_uri(pg_server: PostgresServer, oro_db: str, oro_uri: str,
             monkeypatch: pytest.MonkeyPatch) -> str:
    """Oro's database with the Default Organization and MANY; each read waits 0.2 s at most
    for a lock (a bound, not a timing: the stories wait for what the app says)."""
    insert_organizations(pg_server, oro_db, MANY)
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "0.2")
    return oro_uri


@pytest.fixture
def store(many_uri: str) -> Iterator[PostgresStore]:
    store = PostgresStore(many_uri)
    yield store
    store.close()


def told(app: OutlookApp, title: str) -> list[str]:
    return [str(n.message) for n in notices(app) if n.title == title]


def described(app: OutlookApp) -> str | None:
    """The Default Organization's description, as the app has it."""
    organization = app.snapshot.get(1) if app.snapshot is not None else None
    return organization.description if organization is not None else None


def dba_pid(dba: Any) -> int:
    return int(dba.execute("SELECT pg_backend_pid()").fetchone()[0])


@asynccontextmanager
async def first_load_behind_a_dba(uri: str, store: PostgresStore, lock: str = TABLE_LOCKED,
                                  ) -> AsyncIterator[tuple[OutlookApp, Any, Any]]:
    """The app started as ``outlook-tui --store URI`` starts it, its first rows read before
    the DBA locks the table; the whole read behind the lock (released after the block)."""
    first_rows = FirstRows(store)
    assert first_rows.result() is not None  # the first screen is read before the lock
    with holding(uri, lock) as dba:
        app = OutlookApp(store, watch_seconds=0.05, first_rows=first_rows)
        async with app.run_test(size=(80, 24)) as pilot:
            yield app, pilot, dba


def two_tries(server: PostgresServer, database: str) -> Callable[[], bool]:
    """A condition: two reads of outlook-tui (each in a transaction of its own) have waited
    for the lock since, so one of them has ended behind it."""
    seen: set[object] = set()

    def tried() -> bool:
        seen.update(server.execute(database, """
SELECT a.pid, a.xact_start FROM pg_stat_activity a
WHERE a.datname = current_database() AND a.application_name = 'outlook-tui'
  AND cardinality(pg_blocking_pids(a.pid)) > 0"""))
        return len(seen) >= 2

    return tried


async def test_a_locked_first_load_says_who_keeps_the_rows_usable_then_reads_all(
        pg_server: PostgresServer, oro_db: str, many_uri: str, store: PostgresStore) -> None:
    """A DBA locks oro_config_value just after the first screen is read: one notice names
    them, the first organizations stay usable, no recovery screen; the read is tried again
    quietly until the DBA is done, then every organization is there, and the app says so."""
    async with first_load_behind_a_dba(many_uri, store) as (app, pilot, dba):
        await settle(pilot, lambda: told(app, LOCKED), "the app to say the database is locked")
        assert told(app, LOCKED) == [
            "The database is locked: reading the organizations is waiting for a lock on "
            f"oro_config_value, held by postgres (dba-console, pid {dba_pid(dba)}). The "
            "organizations shown can be opened meanwhile; the rest are read as soon as it is "
            "free."]
        screen = app.screen
        assert isinstance(screen, OrganizationsScreen) and not app.validated
        assert app.snapshot is not None and len(app.snapshot) == FIRST_ROWS
        table = screen.query_one(VirtualTable)
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        # tried again, quietly: two more tries started, so one more ended behind the lock
        await settle(pilot, two_tries(pg_server, oro_db), "the read to be tried again")
        assert told(app, LOCKED) == told(app, LOCKED)[:1]
        assert not app.validated and isinstance(app.screen, OrganizationsScreen)
        assert [n.title for n in shown_notices(app)] == [LOCKED]

        dba.rollback()  # the DBA is done
        await settle(pilot, lambda: app.validated, "every organization to be read")
        assert app.snapshot is not None and len(app.snapshot) == len(MANY) + 1
        assert told(app, RELEASED) == [f"All {len(MANY) + 1} organizations read."]
        assert [n.title for n in shown_notices(app)] == [RELEASED]
        assert table.cursor_row == 2
        assert isinstance(app.screen, OrganizationsScreen)


async def test_an_app_started_while_the_table_is_locked_waits_for_every_row(
        pg_server: PostgresServer, oro_db: str, many_uri: str, store: PostgresStore) -> None:
    """The DBA locked the table before outlook-tui started: not even the first screen can be
    read. Still no recovery screen: the app says so, and reads everything once free."""
    with holding(many_uri, TABLE_LOCKED) as dba:
        app = OutlookApp(store, watch_seconds=0.05, first_rows=FirstRows(store))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: told(app, LOCKED), "the app to say it is locked")
            assert told(app, LOCKED) == [
                "The database is locked: reading the organizations is waiting for a lock on "
                f"oro_config_value, held by postgres (dba-console, pid {dba_pid(dba)}). They "
                "are read as soon as it is free."]
            assert isinstance(app.screen, OrganizationsScreen) and app.snapshot is None
            dba.rollback()
            await settle(pilot, lambda: app.validated, "every organization to be read")
            assert app.snapshot is not None and len(app.snapshot) == len(MANY) + 1
            assert told(app, RELEASED) == [f"All {len(MANY) + 1} organizations read."]


async def test_quitting_while_the_first_load_waits_writes_nothing(
        pg_server: PostgresServer, oro_db: str, many_uri: str, store: PostgresStore) -> None:
    """While the whole read waits: the admin opens the first organization's Configuration,
    sets CRM Sync Interval 300 and saves, which reads that organization and is refused
    behind the same lock; ctrl+q, Discard: the app ends, and nothing was ever written."""
    before = pg_server.execute(oro_db, SECTION_ROWS)
    async with first_load_behind_a_dba(many_uri, store) as (app, pilot, _):
        await settle(pilot, lambda: told(app, LOCKED), "the app to say the database is locked")
        await override_crm(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: told(app, "Nothing saved"), "the save to be refused")
        assert "waited 0.2 s for a lock on oro_config_value, held by postgres (dba-console" \
            in told(app, "Nothing saved")[0]
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, UnsavedChangesModal),
                     "the question about the unsaved edits")
        await pilot.press("d")
        await settle(pilot, lambda: not app.is_running, "the app to end")
    assert pg_server.execute(oro_db, SECTION_ROWS) == before
    assert store.history() == []


async def test_quitting_while_the_whole_read_waits_ends_that_read_too(
        pg_server: PostgresServer, oro_db: str, many_uri: str, store: PostgresStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A patient admin's lock timeout (600 s): ctrl+q while the whole read still waits for
    the DBA ends the app and that read with it, so the process does not stay behind,
    waiting for the lock, after its screen is gone."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    first_rows = FirstRows(store)
    assert first_rows.result() is not None
    with holding(many_uri, TABLE_LOCKED):
        app = OutlookApp(store, watch_seconds=0.05, first_rows=first_rows)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: waiting_session(pg_server, oro_db,
                                                        store.loading.backend_id),
                         "the whole read to wait for the DBA")
            await pilot.press("ctrl+q")
            await settle(pilot, lambda: not app.is_running, "the app to end")
        eventually(lambda: not waiting_session(pg_server, oro_db, store.loading.backend_id),
                   "the whole read to have ended")


async def test_a_first_load_that_fails_otherwise_still_opens_the_recovery_screen(
        pg_server: PostgresServer, oro_db: str, many_uri: str, store: PostgresStore) -> None:
    """Not a lock: Oro's settings table is gone (renamed by a DBA) after the first screen
    was read. The whole read fails at once, and the recovery screen says why."""
    first_rows = FirstRows(store)
    assert first_rows.result() is not None
    pg_server.execute(oro_db, "ALTER TABLE oro_config_value RENAME TO oro_config_value_old")
    try:
        app = OutlookApp(store, watch_seconds=0.05, first_rows=first_rows)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: isinstance(app.screen, RecoveryScreen),
                         "the recovery screen")
            assert f"no table oro_config_value in database {oro_db}" in str(app.load_error)
            assert told(app, LOCKED) == []
    finally:
        pg_server.execute(oro_db, "ALTER TABLE oro_config_value_old RENAME TO oro_config_value")


async def test_a_read_after_a_change_by_others_behind_a_lock_is_tried_again_quietly(
        pg_server: PostgresServer, oro_db: str, many_uri: str, store: PostgresStore) -> None:
    """Oro changes an organization while a DBA holds oro_config locked: the change check
    (which does not read oro_config) sees it, the read that follows waits for the lock. One
    notice names the DBA; no recovery screen; once the DBA is done the change shows."""
    app = OutlookApp(store, watch_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated, "the database to load")
        with holding(many_uri, "LOCK TABLE oro_config IN ACCESS EXCLUSIVE MODE") as dba:
            pg_server.execute(oro_db, "UPDATE oro_organization SET description = "
                              "'changed in Oro' WHERE id = 1")
            title = "Not seeing changes by others"
            await settle(pilot, lambda: told(app, title), "the app to say the table is locked")
            assert told(app, title) == [
                f"{store.location}: waited 0.2 s for a lock on oro_config, held by postgres "
                f"(dba-console, pid {dba_pid(dba)}); try again when they are done "
                "(OUTLOOK_TUI_LOCK_TIMEOUT sets the wait). Changes by others show once it "
                "is free."]
            await settle(pilot, two_tries(pg_server, oro_db),
                         "the read to be tried again")
            assert len(told(app, title)) == 1 and not isinstance(app.screen, RecoveryScreen)
            dba.rollback()
            await settle(pilot, lambda: described(app) == "changed in Oro",
                         "the change to show")
        assert told(app, RELEASED) == ["Changes by others show again."]
        assert isinstance(app.screen, OrganizationsScreen)
