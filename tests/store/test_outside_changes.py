"""A hand edit of store.json is a change made outside outlook-tui: the history shows it for
what it is (the last recorded value, the new one, when the file says, "outside outlook-tui"),
and a --read-only session shows it too, writing nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from outlook_tui.history_text import describe
from outlook_tui.store import JsonStore, SettingChange
from outlook_tui.store.outside import OUTSIDE
from tests.conftest import every_byte, write_store

INTERVAL = "contacts_sync_interval_orocrm"
KEY = "oro_crm_pro_outlook." + INTERVAL


def _saved_600(store_path: Path) -> JsonStore:
    write_store(store_path, ["Default Organization", "Acme"])
    store = JsonStore(store_path)
    store.commit(store.load(), [SettingChange(2, INTERVAL, None, 600)])
    return store


def _hand_edit(store_path: Path, edit: object) -> float:
    """Edit the document as an admin with an editor would; the file's time is a minute on."""
    document = json.loads(store_path.read_text())
    acme = next(o for o in document["organizations"] if o["name"] == "Acme")
    edit(acme)  # type: ignore[operator]
    store_path.write_text(json.dumps(document))
    later = time.time() + 60
    os.utime(store_path, (later, later))
    return later


def test_a_value_edited_by_hand_shows_as_changed_outside_outlook_tui(store_path: Path) -> None:
    store = _saved_600(store_path)
    later = _hand_edit(store_path, lambda acme: acme["overrides"].update({INTERVAL: 900}))
    newest, recorded = store.history(2)[:2]
    assert (newest.user, newest.key, newest.old, newest.new) == (OUTSIDE, KEY, 600, 900)
    assert newest.time == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(later)))
    assert (recorded.old, recorded.new) == (None, 600)  # outlook-tui's own save, below it
    line = describe(newest)
    assert (line.who, line.what, line.change) == (OUTSIDE, "CRM Sync Interval (In Seconds)",
                                                  "600 -> 900")
    # The whole store's history shows it too, and so does the system scope's not.
    assert store.history()[0] == newest
    assert all(e.user != OUTSIDE for e in store.history(system=True))


def test_a_value_removed_by_hand_is_back_to_use_system_at_an_unknown_time(
        store_path: Path) -> None:
    store = _saved_600(store_path)
    _hand_edit(store_path, lambda acme: acme["overrides"].clear())
    newest = store.history(2)[0]
    assert (newest.user, newest.old, newest.new) == (OUTSIDE, 600, None)
    line = describe(newest)
    assert line.change == "600 -> (Use System)"


def test_nothing_is_outside_when_the_history_tells_the_whole_story(store_path: Path) -> None:
    store = _saved_600(store_path)
    store.commit(store.load(), [SettingChange(2, INTERVAL, 600, 700)])
    assert [e.user for e in store.history(2)] == [store.history(2)[0].user] * 2
    assert all(e.user != OUTSIDE for e in store.history())


def test_a_read_only_command_line_shows_the_hand_edit_and_writes_nothing(
        store_path: Path) -> None:
    _saved_600(store_path)
    _hand_edit(store_path, lambda acme: acme["overrides"].update({INTERVAL: 900}))
    before = every_byte(store_path.parent)
    env = {**os.environ, "OUTLOOK_TUI_STORE": str(store_path)}
    shown = subprocess.run([sys.executable, "-m", "outlook_tui", "--read-only", "history",
                            "Acme"], capture_output=True, text=True, env=env, timeout=60,
                           check=True).stdout
    first = shown.splitlines()[2]
    assert OUTSIDE in first and "600 -> 900" in first
    listed = json.loads(subprocess.run(
        [sys.executable, "-m", "outlook_tui", "--read-only", "history", "--json"],
        capture_output=True, text=True, env=env, timeout=60, check=True).stdout)
    assert (listed[0]["user"], listed[0]["old"], listed[0]["new"]) == (OUTSIDE, 600, 900)
    assert every_byte(store_path.parent) == before


async def test_effective_settings_say_a_value_was_changed_outside_outlook_tui(
        store_path: Path) -> None:
    """Support opens Acme's Effective settings in a read-only session: 900 is shown, and a
    note says it was changed outside outlook-tui from 600, and when."""
    from textual.widgets import Static

    from outlook_tui.app.app import OutlookApp
    from outlook_tui.app.screens.effective import EffectiveSettingsScreen
    from tests.app.conftest import loaded
    from tests.conftest import settle

    _saved_600(store_path)
    later = _hand_edit(store_path, lambda acme: acme["overrides"].update({INTERVAL: 900}))
    before = every_byte(store_path.parent)
    app = OutlookApp(JsonStore(store_path, read_only=True), watch_seconds=0,
                     location_label="store.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        screen = EffectiveSettingsScreen(2)
        await app.push_screen(screen)
        await settle(pilot, lambda: bool(screen.outside), "the changes made outside")
        assert str(screen.query_one(f"#value-{INTERVAL}", Static).content) == "900"
        notes = str(screen.query_one("#notes", Static).content)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(later)))
        assert "Changed outside outlook-tui: CRM Sync Interval (In Seconds): 600 -> 900 " \
            f"({stamp})" in " ".join(notes.split())
    assert every_byte(store_path.parent) == before


def test_the_notice_of_changes_by_others_says_outside_changes_were_made_not_saved() -> None:
    from outlook_tui.history_text import changes_by
    from outlook_tui.store.history import HistoryEntry

    def entry(user: str) -> HistoryEntry:
        return HistoryEntry("2030-01-01T10:00:00Z", user, None, 3, "organization", 2, "Acme",
                            KEY, 600, 900)

    assert changes_by([entry(OUTSIDE)]) == "1 change made outside outlook-tui"
    assert changes_by([entry("bob"), entry("alice")]) == "2 changes saved by alice, bob"
    assert changes_by([entry(OUTSIDE), entry("bob")]) == (
        "2 changes saved by bob and made outside outlook-tui")
