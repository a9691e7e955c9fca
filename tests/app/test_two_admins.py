"""Two admins, two running apps, one store: saves of different settings both survive; the same
setting changed by both opens the conflict dialog for the second, and keeping mine wins."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from textual.pilot import Pilot

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.conflict import ConflictModal
from outlook_tui.store import JsonStore
from outlook_tui.store.identity import current_user
from tests.conftest import write_store


async def loaded(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, OutlookApp)
    for _ in range(200):
        if app.validated:
            return
        await pilot.pause(0.02)
    raise AssertionError("the store never finished loading")


async def open_acme(pilot: Pilot[None]) -> None:
    await loaded(pilot)
    await pilot.press("c")  # Acme is the first row
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfigurationScreen)


async def give_interval(pilot: Pilot[None], tabs: int, value: str) -> None:
    """From the first field's Use System: move to an interval's Use System, clear it, type."""
    await pilot.press(*["tab"] * tabs, "space", "tab", "ctrl+u", *value)
    await pilot.pause()


async def until(condition, pilots: list[Pilot[None]], seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        for pilot in pilots:
            await pilot.pause(0.025)
    raise AssertionError("timed out")


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
        await until(lambda: acme_overrides(store_path) == {"contacts_sync_interval_orocrm": 300},
                    [a, b])
        await b.press("ctrl+s")
        await until(lambda: len(acme_overrides(store_path)) == 2, [a, b])
        assert acme_overrides(store_path) == {"contacts_sync_interval_orocrm": 300,
                                              "contacts_sync_interval_outlook": 45}

        # Bob's form took Alice's value into the field he had not touched.
        await until(lambda: bob.snapshot is not None and bob.snapshot.revision == 2, [a, b])

        # The same setting: Bob edits CRM Sync Interval, Alice saves it first.
        await b.press("shift+tab", "shift+tab", "ctrl+u", *"600")  # to the CRM interval
        await a.press("ctrl+u", *"500", "ctrl+s")
        await until(lambda: acme_overrides(store_path)["contacts_sync_interval_orocrm"] == 500,
                    [a, b])
        await asyncio.sleep(0.3)  # Bob's app notices the change on disk
        await b.press("ctrl+s")
        await until(lambda: isinstance(bob.screen, ConflictModal), [a, b])
        assert acme_overrides(store_path)["contacts_sync_interval_orocrm"] == 500
        # The dialog names who saved the other value (both apps run as this OS user here).
        await until(lambda: f"by {current_user()}" in str(
            bob.screen.query_one("#conflict-title").render()), [a, b])

        await b.press("m")                   # keep mine
        await until(lambda: acme_overrides(store_path)["contacts_sync_interval_orocrm"] == 600,
                    [a, b])
    assert JsonStore(store_path).load().revision == 4
