"""Two admins, two running apps, one store: saves of different settings both survive; the same
setting changed by both opens the conflict dialog for the second, and keeping mine wins."""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.conflict import ConflictModal
from outlook_tui.store import JsonStore
from outlook_tui.store.identity import current_user
from tests.app.conftest import CRM, loaded
from tests.conftest import settle, showing, write_store


async def open_acme(pilot: Pilot[None]) -> None:
    await loaded(pilot)
    await pilot.press("c")  # Acme is the first row
    await showing(pilot, ConfigurationScreen)


async def give_interval(pilot: Pilot[None], tabs: int, value: str) -> None:
    """From the first field's Use System: move to an interval's Use System, clear it, type."""
    await pilot.press(*["tab"] * tabs, "space", "tab", "ctrl+u", *value)
    await pilot.pause()


def acme_overrides(path: Path) -> dict[str, object]:
    document = json.loads(path.read_text())
    return next(o for o in document["organizations"] if o["name"] == "Acme")["overrides"]


async def test_two_admins_on_one_store(store_path: Path) -> None:
    write_store(store_path, ["Acme", "Globex"])
    alice = OutlookApp(JsonStore(store_path), watch_seconds=0.1, location_label="store.json")
    bob = OutlookApp(JsonStore(store_path), watch_seconds=0.1, location_label="store.json")
    async with alice.run_test(size=(80, 24)) as a, bob.run_test(size=(80, 24)) as b:
        await open_acme(a)
        await open_acme(b)

        # Different settings of the same organization: both survive, the second merges.
        await give_interval(a, 2, "300")       # CRM Sync Interval
        await give_interval(b, 3, "45")        # Outlook Sync Interval
        await a.press("ctrl+s")
        await settle(a, lambda: acme_overrides(store_path) == {CRM: 300}, "Alice's save")
        await b.press("ctrl+s")
        await settle(a, lambda: len(acme_overrides(store_path)) == 2)
        assert acme_overrides(store_path) == {"contacts_sync_interval_orocrm": 300,
                                              "contacts_sync_interval_outlook": 45}

        # Bob's form took Alice's value into the field he had not touched.
        await settle(a, lambda: bob.snapshot is not None and bob.snapshot.revision == 2)

        # The same setting: Bob edits CRM Sync Interval, Alice saves it first.
        await b.press("shift+tab", "shift+tab", "ctrl+u", *"600")  # to the CRM interval
        await a.press("ctrl+u", *"500", "ctrl+s")
        await settle(a, lambda: acme_overrides(store_path)[CRM] == 500, "Alice's 500")
        await settle(b, lambda: bob.snapshot is not None and bob.snapshot.revision == 3,
                     "Bob's app to notice Alice's save on disk")
        await b.press("ctrl+s")
        await settle(a, lambda: isinstance(bob.screen, ConflictModal))
        assert acme_overrides(store_path)["contacts_sync_interval_orocrm"] == 500
        # The dialog names who saved the other value (both apps run as this OS user here).
        await settle(a, lambda: f"by {current_user()}" in str(
            bob.screen.query_one("#conflict-title").render()))

        await b.press("m")                   # keep mine
        await settle(b, lambda: acme_overrides(store_path)[CRM] == 600, "Bob's 600 kept")
    assert JsonStore(store_path).load().revision == 4
