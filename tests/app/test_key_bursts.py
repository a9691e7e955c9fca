"""Keys that arrive together (SSH, paste): every story here is pressed in ONE burst, with no
pause between keys, and must end exactly as it does when typed one key at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.store import JsonStore
from tests.app.conftest import loaded, open_configuration
from tests.conftest import burst

ORGS = ["Acme", "Globex", "Initech"]
CRM = "contacts_sync_interval_orocrm"


def make_app(store: JsonStore) -> OutlookApp:
    return OutlookApp(store, watch_seconds=0, location_label="store.json")


def overrides(store_path: Path, name: str) -> dict[str, Any]:
    org = JsonStore(store_path).load().by_name(name)
    assert org is not None
    return dict(org.overrides)


async def test_clearing_use_system_and_typing_in_one_burst_saves_what_was_typed(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(ORGS, system={CRM: 600}))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_configuration(pilot, 2)
        # Sync Direction's and Conflict Resolution's checkboxes, then CRM Sync Interval's:
        # clear it, Tab into the value (enabled by the space just before), type, save.
        await burst(pilot, "tab", "tab", "space", "tab", "ctrl+u", "3", "0", "0", "ctrl+s")
    assert overrides(store_path, "Globex") == {CRM: 300}


async def test_the_filter_takes_every_letter_of_a_burst(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await burst(pilot, "slash", *"glo", "enter", "enter")
        screen = app.screen
        assert isinstance(screen, ConfigurationScreen)
        assert screen.organization_id == 2


async def test_a_dialog_takes_the_keys_that_follow_the_one_opening_it(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        # Status: the arrow chooses Inactive, as in every other choice.
        await burst(pilot, "n", *"Wayne Enterprises", "tab", "right", "tab",
                    *"Gotham office", "enter")
        assert isinstance(app.screen, OrganizationsScreen)
    created = JsonStore(store_path).load().by_name("Wayne Enterprises")
    assert created is not None
    assert created.enabled is False and created.description == "Gotham office"


@pytest.mark.parametrize("ending", [("escape", "s"), ("ctrl+s", "escape")],
                         ids=["leaving with unsaved edits and answering save",
                              "a save then escape, which leaves without asking"])
async def test_an_edit_saved_and_left_in_one_burst(
        make_store: Any, store_path: Path, ending: tuple[str, str]) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_configuration(pilot, 2)
        await burst(pilot, "tab", "tab", "space", "tab", "ctrl+u", *"45", *ending)
        assert isinstance(app.screen, OrganizationsScreen)
    assert overrides(store_path, "Globex") == {CRM: 45}
