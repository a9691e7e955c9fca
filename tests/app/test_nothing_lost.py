"""Nothing edited is thrown away: every way out asks about unsaved edits as Escape does, a
field back at its saved state is not a change, and notices stay where they were given."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.confirm import UnsavedChangesModal
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.store import JsonStore
from tests.app.conftest import open_configuration, to_checkbox, type_own_value
from tests.conftest import burst, settle, showing, shown_notices

CRM = "contacts_sync_interval_orocrm"


def make_app(store: JsonStore) -> OutlookApp:
    # Notices stay until the screen they belong to is left, whatever the clock says
    # (tests/conftest.py: _notices_stay_until_dismissed).
    return OutlookApp(store, watch_seconds=0, location_label="store.json")


def overrides(store_path: Path) -> dict[str, Any]:
    org = JsonStore(store_path).load().get(1)
    assert org is not None
    return dict(org.overrides)


async def edit_crm(pilot: Any, value: str) -> ConfigurationScreen:
    screen = await open_configuration(pilot, 1)
    await type_own_value(pilot, CRM, value)
    return screen


async def palette_quit(pilot: Any) -> None:
    await pilot.press("ctrl+p", *"quit")
    await settle(pilot)
    await pilot.press("enter")


async def sigterm(pilot: Any) -> None:
    os.kill(os.getpid(), signal.SIGTERM)


WAYS_OUT = {"ctrl+q": lambda pilot: pilot.press("ctrl+q"), "palette": palette_quit,
            "sigterm": sigterm}


@pytest.mark.parametrize("way_out", WAYS_OUT)
@pytest.mark.parametrize("answer", ["c", "d", "s"])
async def test_every_way_out_asks_about_unsaved_edits(make_store: Any, store_path: Path,
                                                      way_out: str, answer: str) -> None:
    app = make_app(make_store(["Acme"]))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await edit_crm(pilot, "600")
        await WAYS_OUT[way_out](pilot)
        await showing(pilot, UnsavedChangesModal)
        await pilot.press(answer)
        await settle(pilot)
        if answer == "c":  # Cancel: still in the form, the edit still there
            assert app.is_running and app.screen is screen
            assert screen.query_one(f"#value-{CRM}", Input).value == "600"
        else:
            assert not app.is_running
    if answer == "s":
        assert overrides(store_path) == {CRM: 600}
    else:
        assert store_path.read_bytes() == before


async def test_quitting_without_edits_does_not_ask(make_store: Any) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_configuration(pilot, 1)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert not app.is_running


async def test_ticking_use_system_and_clearing_it_again_brings_the_override_back(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store([{"name": "Acme", "overrides": {CRM: 300}}], {CRM: 600}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await to_checkbox(pilot, CRM)
        value = screen.query_one(f"#value-{CRM}", Input)
        await pilot.press("space")  # ticked: shows System's 600
        assert value.value == "600" and screen.form.model.dirty
        await pilot.press("space")  # cleared again: the stored 300, not System's 600
        assert value.value == "300"
        assert not screen.form.model.dirty  # back at its saved state: nothing to ask
        assert "not saved" not in str(screen.query_one(f"#source-{CRM}").render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrganizationsScreen)
    assert overrides(store_path) == {CRM: 300}


async def test_a_typed_value_survives_ticking_and_clearing_use_system(make_store: Any) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await edit_crm(pilot, "450")
        await pilot.press("shift+tab", "space", "space")
        assert screen.query_one(f"#value-{CRM}", Input).value == "450"


async def test_the_saved_notice_does_not_follow_to_the_next_screen(make_store: Any) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await edit_crm(pilot, "300")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(n.title == "Configuration saved" for n in shown_notices(app))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrganizationsScreen)
        assert not any(n.title == "Configuration saved" for n in shown_notices(app))


async def test_a_dialogs_notice_stays_on_the_screen_beneath(make_store: Any) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "n", *"Initech", "enter")
        assert isinstance(app.screen, OrganizationsScreen)
        assert any("Initech" in n.message for n in shown_notices(app))
