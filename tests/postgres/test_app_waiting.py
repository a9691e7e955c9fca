"""The app's save waits on Oro's database (a DBA's open transaction holds the organization's
rows): the screen says so and names them, Escape cancels with the edits kept, and quitting
with Discard writes nothing, even once the DBA's transaction ends."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from outlook_tui.app import key_order
from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.confirm import UnsavedChangesModal
from outlook_tui.app.screens.save_waiting import SaveWaitingModal
from outlook_tui.store.postgres import PostgresStore
from tests.app.conftest import CRM, override_crm
from tests.conftest import settle
from tests.e2e.terminal import EXECUTABLE, Tmux, eventually
from tests.postgres.fixtures import SECTION_ROWS
from tests.postgres.server import PostgresServer
from tests.postgres.waiting import (
    ROWS_HELD,
    TABLE_LOCKED,
    holding,
    outlook_tui_sessions,
    waiting_session,
)


@pytest.fixture(autouse=True)
def patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saves wait as long as the story needs (the bound itself is tested in test_waiting), and
    no key is let go by the key order's own clock: the dialog's keys act because the waiting
    save lets them go, not because a held key was given up on."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    monkeypatch.setattr(key_order, "MAX_HOLD_SECONDS", 3600.0, raising=False)


async def edit(pilot: Any, app: OutlookApp) -> None:
    """Default Organization's Configuration: CRM Sync Interval 300, not saved yet."""
    await settle(pilot, lambda: app.validated, "the database to load")
    await override_crm(pilot)


async def edit_and_save(pilot: Any, app: OutlookApp) -> None:
    """Default Organization's Configuration: CRM Sync Interval 300, ctrl+s."""
    await edit(pilot, app)
    await pilot.press("ctrl+s")


def waiting_for_the_dba(app: OutlookApp) -> bool:
    screen = app.screen
    return isinstance(screen, SaveWaitingModal) and "(dba-console, pid " in str(screen.waiting)


@asynccontextmanager
async def a_save_waiting_for_the_dba(
        oro_uri: str, store: PostgresStore) -> AsyncIterator[tuple[OutlookApp, Any, Any]]:
    """The app, its save waiting behind a DBA's open transaction (ended after the block)."""
    app = OutlookApp(store, watch_seconds=0)
    with holding(oro_uri, ROWS_HELD) as dba:
        async with app.run_test(size=(80, 24)) as pilot:
            await edit_and_save(pilot, app)
            await settle(pilot, lambda: waiting_for_the_dba(app), "the save to say it waits")
            yield app, pilot, dba


async def test_a_waiting_save_names_the_holder_and_escape_cancels_it_keeping_the_edits(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, pg_store: PostgresStore) -> None:
    before = pg_server.execute(oro_db, SECTION_ROWS)
    async with a_save_waiting_for_the_dba(oro_uri, pg_store) as (app, pilot, _):
        assert "Waiting for Oro's settings rows (oro_config, oro_config_value), held by " \
            "postgres (dba-console, pid " in str(app.screen.query_one("#save-waiting")
                                                .render())
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                     and not app.saving, "the save to end")
        # the DBA still holds the rows: the save was rolled back, not left waiting
        assert outlook_tui_sessions(pg_server, oro_db) == []
        screen = app.screen
        assert isinstance(screen, ConfigurationScreen)
        assert screen.form.model.dirty and screen.form.model.fields[CRM].value == "300"
        assert any("nothing was saved" in notice.message for notice in app.notified)
    # the DBA's transaction has ended: the cancelled save never shows up
    assert pg_server.execute(oro_db, SECTION_ROWS) == before
    assert pg_store.history() == []


async def test_quitting_while_a_save_waits_and_discarding_writes_nothing_ever(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, pg_store: PostgresStore) -> None:
    before = pg_server.execute(oro_db, SECTION_ROWS)
    async with a_save_waiting_for_the_dba(oro_uri, pg_store) as (app, pilot, dba):
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, UnsavedChangesModal),
                     "the question about the unsaved edits")
        assert not app.saving
        await pilot.press("d")
        await settle(pilot, lambda: not app.is_running, "the app to end")
        # nothing of the save waits or holds a lock while the DBA still holds the rows
        assert outlook_tui_sessions(pg_server, oro_db) == []
        dba.rollback()  # the DBA's transaction ends: nothing is left to commit the change
        assert pg_server.execute(oro_db, SECTION_ROWS) == before
    assert pg_server.execute(oro_db, SECTION_ROWS) == before
    assert pg_store.history() == []


async def test_an_app_that_ends_while_its_save_waits_saves_nothing(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, pg_store: PostgresStore) -> None:
    """The app ends otherwise than by ctrl+q (a second SIGTERM, a crash): its save is
    cancelled, and the process does not linger holding a transaction."""
    before = pg_server.execute(oro_db, SECTION_ROWS)
    async with a_save_waiting_for_the_dba(oro_uri, pg_store) as (app, pilot, dba):
        app.exit()
        await settle(pilot, lambda: not app.is_running, "the app to end")
        # the save ends by itself while the DBA still holds the rows: nothing left to commit
        eventually(lambda: outlook_tui_sessions(pg_server, oro_db) == [],
                   "outlook-tui's save to have ended")
        dba.rollback()
    assert pg_server.execute(oro_db, SECTION_ROWS) == before
    assert pg_store.history() == []


def test_a_terminal_that_goes_away_while_a_save_waits_leaves_nothing_to_commit(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, pg_store: PostgresStore) -> None:
    """The installed app in a real terminal (tmux); its save waits behind the DBA, and the
    terminal closes (an SSH connection dropped): the save is cancelled, not left waiting to
    commit once the DBA is done."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (make test installs it with apt-get)")
    before = pg_server.execute(oro_db, SECTION_ROWS)
    with holding(oro_uri, ROWS_HELD) as dba:
        terminal = Tmux([str(EXECUTABLE), "--store", oro_uri])
        try:
            terminal.wait_for("Default Organization")
            # Configuration of the first organization; CRM Sync Interval 300; save
            terminal.send("c")
            terminal.wait_for("Use System")
            terminal.send("Tab", "Tab", "Space", "Tab", "C-u", "300", "C-s")
            terminal.wait_for("Saving: waiting")
        finally:
            terminal.close()
        eventually(lambda: outlook_tui_sessions(pg_server, oro_db) == [],
                   "outlook-tui's save to have ended",
                   describe=lambda: repr(outlook_tui_sessions(pg_server, oro_db)))
        dba.rollback()
    assert pg_server.execute(oro_db, SECTION_ROWS) == before
    assert pg_store.history() == []


async def test_a_save_while_a_dba_locks_the_table_and_the_watch_waits_shows_its_wait(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, pg_store: PostgresStore) -> None:
    """The lead's story: one edit on the Configuration; a DBA runs ``BEGIN; LOCK TABLE
    oro_config_value IN ACCESS EXCLUSIVE MODE``, which the app's once-a-second change check
    waits for; ctrl+s: the save does not queue unseen behind the check, its dialog names the
    DBA, Escape cancels it, and nothing is written."""
    before = pg_server.execute(oro_db, SECTION_ROWS)
    app = OutlookApp(pg_store, watch_seconds=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await edit(pilot, app)
        with holding(oro_uri, TABLE_LOCKED):
            await settle(pilot, lambda: pg_store.watching.backend_id is not None and
                         waiting_session(pg_server, oro_db, pg_store.watching.backend_id),
                         "the watch's change check to wait for the locked table")
            await pilot.press("ctrl+s")
            await settle(pilot, lambda: waiting_for_the_dba(app), "the save to say it waits")
            await pilot.press("escape")
            await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                         and not app.saving, "the save to end")
            # only the watch's check still waits; the save's session holds nothing
            assert [pid for pid, _, _ in outlook_tui_sessions(pg_server, oro_db)] == [
                pg_store.watching.backend_id]
            screen = app.screen
            assert isinstance(screen, ConfigurationScreen)
            assert screen.form.model.dirty and screen.form.model.fields[CRM].value == "300"
    assert pg_server.execute(oro_db, SECTION_ROWS) == before
    assert pg_store.history() == []


async def test_the_watch_says_once_that_a_locked_table_hides_changes_by_others(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, pg_store: PostgresStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """While a DBA holds the table past the lock timeout, the watch's checks keep ending in a
    timeout: one notice names the DBA, not one a second; a check that gets through again
    ends the episode."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "0.2")  # the watch's connection opens later
    title = "Not seeing changes by others"
    app = OutlookApp(pg_store, watch_seconds=0.05)

    def told() -> list[str]:
        return [str(n.message) for n in app.notified if n.title == title]

    def checks_started() -> object:
        rows = pg_server.execute(oro_db, "SELECT query_start FROM pg_stat_activity "
                                 "WHERE pid = %s", (pg_store.watching.backend_id,))
        return rows[0][0] if rows else None

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated, "the database to load")
        with holding(oro_uri, TABLE_LOCKED) as dba:
            dba_pid = dba.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
            await settle(pilot, told, "the watch to say the table is locked")
            # two more checks start, so at least one more has ended in the same timeout
            for _ in range(2):
                started = checks_started()
                await settle(pilot, lambda s=started: checks_started() != s, "another check")
            assert told() == [
                f"{pg_store.location}: waited 0.2 s for a lock on oro_config_value, held by "
                f"postgres (dba-console, pid {dba_pid}); try again when they are done "
                "(OUTLOOK_TUI_LOCK_TIMEOUT sets the wait). Changes by others show once it "
                "is free."]
