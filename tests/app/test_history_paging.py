"""The History screen on a long history: the newest page shows first, older pages are read as
the user scrolls towards them, and a save made meanwhile appears on top; the change notice names
who saved before the store is read again."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.history import PAGE, HistoryScreen
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.store import JsonStore, SettingChange
from outlook_tui.store.history import HistoryEntry, encode
from outlook_tui.store.identity import current_user
from tests.conftest import notices, settle

LINES = 2 * PAGE + 234
#: The store as the history below leaves it (anything else is a change made outside it).
ACME_AS_HISTORY_LEAVES_IT = {"name": "Acme", "overrides": {"contacts_sync_interval_orocrm": LINES}}


def long_history(store: JsonStore) -> None:
    """``LINES`` changes of Acme's CRM interval, revision n setting it to n; the store saved
    with the last of them (a file changed later would be a hand edit to look for)."""
    store.history_path.write_bytes(encode(
        HistoryEntry(f"2026-01-15T09:30:{n % 60:02d}Z", "alice", None, n, "organization", 1,
                     "Acme", "oro_crm_pro_outlook.contacts_sync_interval_orocrm", n - 1, n)
        for n in range(1, LINES + 1)))
    saved = dt.datetime(2026, 1, 15, 9, 30, LINES % 60, tzinfo=dt.UTC).timestamp()
    os.utime(store.path, (saved, saved))


@asynccontextmanager
async def long_history_open(make_store: Callable[..., JsonStore],
                            screen: HistoryScreen) -> AsyncIterator[Pilot[Any]]:
    """The app on a store with a long history (:func:`long_history`), ``screen`` open."""
    store = make_store([ACME_AS_HISTORY_LEAVES_IT], revision=LINES)
    long_history(store)
    app = OutlookApp(store, watch_seconds=0, location_label="store.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(screen)
        await settle(pilot)
        yield pilot


def heading(screen: HistoryScreen) -> str:
    return str(screen.query_one("#heading", Static).content)


async def test_the_newest_page_shows_first_and_older_ones_load_as_the_user_scrolls(
        make_store: Callable[..., JsonStore]) -> None:
    screen = HistoryScreen()
    async with long_history_open(make_store, screen) as pilot:
        assert len(screen.entries) == PAGE and not screen.complete
        assert screen.entries[0].revision == LINES
        assert f"{PAGE} changes and older ones, newest first" in heading(screen)
        await pilot.press("end")  # the last row read so far: the next page follows
        await settle(pilot)
        assert len(screen.entries) == 2 * PAGE
        table = screen.query_one(VirtualTable)
        assert table.cursor_row == PAGE - 1, "the cursor stays on the row it went to"
        await pilot.press("end")
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert len(screen.entries) == LINES and screen.complete
        assert f"{LINES:,} changes, newest first" in heading(screen)
        assert [e.revision for e in screen.entries] == list(range(LINES, 0, -1))


async def test_a_save_made_meanwhile_appears_on_top_and_the_cursor_keeps_its_entry(
        make_store: Callable[..., JsonStore]) -> None:
    screen = HistoryScreen(1)
    async with long_history_open(make_store, screen) as pilot:
        await pilot.press("down", "down")
        await settle(pilot)
        on = screen.entries[2]
        await screen.session.commit([SettingChange(1, "contacts_sync_interval_orocrm", LINES, 7)])
        await settle(pilot)
        assert screen.entries[0].revision == LINES + 1 and screen.entries[0].new == 7
        assert screen.entries[screen.query_one(VirtualTable).cursor_row] == on


async def test_the_change_notice_names_who_before_the_store_is_read_again(
        make_store: Callable[..., JsonStore]) -> None:
    """Reading a 100k store again takes seconds; who saved is in the history's last lines, so
    the notice comes first: here the re-read is held until the notice is on screen."""
    store = make_store([ACME_AS_HISTORY_LEAVES_IT], revision=LINES)
    long_history(store)
    app = OutlookApp(store, watch_seconds=0.05, location_label="store.json")
    release = threading.Event()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        load = store.load

        def held_load(*args: Any, **kwargs: Any) -> Any:
            release.wait(30)
            return load(*args, **kwargs)

        store.load = held_load  # type: ignore[method-assign]
        other = JsonStore(store.path)
        other.commit(other.load(), [SettingChange(1, "tasks_enabled", None, False)])
        try:
            await settle(pilot, lambda: any("saved by" in str(n.message)
                                            for n in notices(app)), "the change notice")
            said = [str(n.message) for n in notices(app)]
            assert any(f"1 change saved by {current_user()} (revision {LINES + 1})" in n
                       for n in said), said
            assert app.snapshot is not None and app.snapshot.revision == LINES, \
                "the notice came before the store was read again"
        finally:
            release.set()
        await settle(pilot)
        assert app.snapshot is not None and app.snapshot.revision == LINES + 1
