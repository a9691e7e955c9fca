"""The bulk dialogs confirm what the store's own plan says (``store.plan``, what ``--dry-run``
prints), not what the app read a while ago: here another admin changed the store behind the
app's back (its watch is off, so its view stays as it was) before the dialog was answered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.confirm import ConfirmModal
from outlook_tui.store import SettingChange, StoreBackend
from outlook_tui.store.json import JsonStore
from tests.app.conftest import CRM, ORGS, loaded
from tests.conftest import settle, showing

TASKS = "tasks_enabled"


@pytest.fixture(params=["json", "postgres"])
def stores(request: pytest.FixtureRequest, make_store: Any,
           store_path: Path) -> tuple[StoreBackend, StoreBackend]:
    """The store the app opens, and another admin's handle on the same store."""
    if request.param == "json":
        return make_store(ORGS), JsonStore(store_path)
    factory = request.getfixturevalue("postgres_store_factory")
    store = factory(ORGS)
    return store, factory.again(store)


def id_of(store: StoreBackend, name: str) -> int:
    organization = store.load().by_name(name)
    assert organization is not None
    return organization.id


@asynccontextmanager
async def marked(store: StoreBackend, name_part: str) -> AsyncIterator[tuple[OutlookApp, Any]]:
    """The app on ``store`` (no disk watch: its view stays as it read it) with the
    organizations whose name holds ``name_part`` marked (/, the text, Enter, a)."""
    app = OutlookApp(store, watch_seconds=0, location_label="store")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *name_part, "enter", "a")
        yield app, pilot


def confirmation(app: OutlookApp) -> str:
    return str(app.screen.query_one(".dialog-message", Static).render())


async def test_apply_confirms_how_many_change_and_how_many_already_have_it_now(
        stores: tuple[StoreBackend, StoreBackend]) -> None:
    """Support marks Acme and Acme Europe to set Tasks = No; meanwhile another admin gave
    Acme Europe that value already. The dialog says, as --dry-run would: 1 changes, 1 already
    has it (the app's own view would say 2 change)."""
    store, other = stores
    europe = id_of(other, "Acme Europe")
    async with marked(store, "acme") as (app, pilot):  # both Acmes marked
        other.commit(other.load(), [SettingChange(europe, TASKS, None, False)])
        await pilot.press("b", "down", "down", "down", "down", "down", "enter")  # Tasks
        await pilot.press("down", "enter")  # No
        await showing(pilot, ConfirmModal)
        message = confirmation(app)
        assert "1 organization change." in message
        assert "1 organization already has it." in message
        await pilot.press("y")
        await settle(pilot)
    snapshot = other.load()
    for name in ("Acme", "Acme Europe"):
        organization = snapshot.by_name(name)
        assert organization is not None and organization.overrides.get(TASKS) is False
    assert [e.organization_name for e in other.history(limit=1)] == ["Acme"]


async def test_reset_confirms_the_overrides_the_store_holds_now(
        stores: tuple[StoreBackend, StoreBackend]) -> None:
    """Support resets Initech's overrides (Tasks and CRM Sync Interval, as the app read
    them); meanwhile another admin put CRM Sync Interval back to Use System. The dialog says
    1 override goes, not 2, and saving removes that one."""
    store, other = stores
    initech = id_of(other, "Initech")
    async with marked(store, "initech") as (app, pilot):
        other.commit(other.load(), [SettingChange(initech, CRM, 300, None)])
        await pilot.press("x", "enter")  # every setting
        await showing(pilot, ConfirmModal)
        message = confirmation(app)
        assert "Remove 1 override of every setting" in message
        assert "from 1 organization: Initech." in message
        await pilot.press("y")
        await settle(pilot)
    organization = other.load().by_name("Initech")
    assert organization is not None and organization.overrides == {}


async def test_nothing_to_apply_when_the_store_has_it_everywhere_already(
        stores: tuple[StoreBackend, StoreBackend]) -> None:
    """Both marked organizations were given the value behind the app's back: the dialog
    stays, saying there is nothing to change, and nothing is saved."""
    store, other = stores
    ids = [id_of(other, "Acme"), id_of(other, "Acme Europe")]
    async with marked(store, "acme") as (app, pilot):
        other.commit(other.load(), [SettingChange(i, TASKS, None, False) for i in ids])
        revision = other.load().revision
        await pilot.press("b", "down", "down", "down", "down", "down", "enter", "down",
                          "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert any(n.title == "Nothing to save" for n in app.notified)
    assert other.load().revision == revision
