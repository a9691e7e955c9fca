"""An organization's Configuration > MS Outlook Settings, told as the admin's stories: driven by
keys at 80x24, checked by what the store holds afterwards."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, Static

from outlook_tui.app.app import OutlookApp, keyed_classes
from outlook_tui.app.screens.configuration import ConfigurationScreen, breadcrumb
from outlook_tui.app.screens.confirm import ConfirmModal, UnsavedChangesModal
from outlook_tui.app.screens.conflict import ConflictModal, conflict_table
from outlook_tui.app.screens.help import HelpScreen, key_groups
from outlook_tui.catalog import CATALOG, PAGE_PATH
from outlook_tui.store import JsonStore, SettingChange
from tests.app.conftest import CRM, open_configuration, to_checkbox, type_into, type_own_value
from tests.conftest import notices, saved_meanwhile, settle

DIRECTION = "contacts_sync_direction"
CONFLICTS = "contacts_conflict_resolution"
OUTLOOK = "contacts_sync_interval_outlook"
ORDER = [s.name for s in CATALOG]  # tab stops of the Use System checkboxes, in form order


def make_app(store: JsonStore) -> OutlookApp:
    return OutlookApp(store, watch_seconds=0, location_label="store.json")


def text_of(screen: ConfigurationScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def overrides(store_path: Path, organization_id: int = 1) -> dict[str, Any]:
    org = JsonStore(store_path).load().get(organization_id)
    assert org is not None
    return dict(org.overrides)


# -- the stories ---------------------------------------------------------------------------------


async def test_admin_overrides_the_four_integration_settings(make_store, store_path) -> None:
    app = make_app(make_store(["Acme", "Globex"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        assert app.focused is not None and app.focused.id == f"inherit-{DIRECTION}"
        assert screen.title == "Acme"
        # Sync Direction: clear Use System, open the choice, pick OroCRM to Outlook.
        await pilot.press("space", "tab", "enter", "up", "up", "enter")
        # Conflict Resolution: Outlook always wins.
        await pilot.press("tab", "space", "tab", "enter", "down", "enter")
        # Both intervals typed.
        await pilot.press("tab", "space", "tab")
        await type_into(pilot, "300")
        await pilot.press("tab", "space", "tab")
        await type_into(pilot, "45")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert overrides(store_path) == {
            DIRECTION: "OroCRMToOutlook", CONFLICTS: "OutlookAlwaysWins", CRM: 300, OUTLOOK: 45}
        assert overrides(store_path, 2) == {}  # Globex still inherits everything
        assert any("Configuration saved" in (n.title + n.message) for n in notices(app))
        # The form was re-read from the store: nothing left to save.
        assert not screen.form.model.dirty
        assert "from organization" in text_of(screen, f"#source-{CRM}")


async def test_tasks_are_two_steps_and_the_others_inherit(make_store, store_path) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await to_checkbox(pilot, "tasks_enabled")
        tasks = screen.query_one("#value-tasks_enabled", Checkbox)
        assert tasks.disabled and tasks.value is True  # inherited, shown, not editable
        await pilot.press("space")  # 1: clear Use System
        assert not tasks.disabled
        await pilot.press("tab", "space")  # 2: clear Tasks itself
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert overrides(store_path) == {"tasks_enabled": False}


async def test_ticking_use_system_again_removes_the_override(make_store, store_path) -> None:
    app = make_app(make_store([{"name": "Acme", "overrides": {CRM: 300, "tasks_enabled": False}}]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        assert screen.query_one(f"#value-{CRM}", Input).value == "300"
        await to_checkbox(pilot, CRM)
        await pilot.press("space")
        # Ticked: disabled, and it shows the inherited value (the default, 120).
        assert screen.query_one(f"#value-{CRM}", Input).value == "120"
        assert "from default" in text_of(screen, f"#source-{CRM}")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert overrides(store_path) == {"tasks_enabled": False}


async def test_invalid_interval_blocks_the_save(make_store, store_path) -> None:
    app = make_app(make_store(["Acme"]))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await type_own_value(pilot, OUTLOOK, "86400")
        assert "must be a whole number from 1 to 86399" in text_of(screen, f"#error-{OUTLOOK}")
        await to_checkbox(pilot, DIRECTION)  # move away; the save must bring us back
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused is screen.query_one(f"#value-{OUTLOOK}", Input)
        assert store_path.read_bytes() == before
        # Fixed, it saves.
        await type_into(pilot, "86399")
        assert not screen.query_one(f"#error-{OUTLOOK}", Static).display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert overrides(store_path) == {OUTLOOK: 86399}


async def test_conflict_note_follows_the_unsaved_direction(make_store) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        assert not screen.query_one(f"#notes-{CONFLICTS}", Static).display
        await pilot.press("space", "tab", "enter", "up", "enter")  # Outlook to OroCRM
        assert screen.query_one(f"#value-{DIRECTION}", Select).value == "OutlookToOroCRM"
        note = text_of(screen, f"#notes-{CONFLICTS}")
        assert "no effect unless Sync Direction is Bidirectional" in note


async def test_stale_override_is_flagged(make_store) -> None:
    app = make_app(make_store([{"name": "Acme", "overrides": {CRM: 300}}], {CRM: 300}))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        notes = text_of(screen, f"#notes-{CRM}")
        assert "Same as System (300)" in notes and "no longer follows" in notes


@pytest.mark.parametrize("answer", ["c", "escape", "d", "s"])
async def test_leaving_with_unsaved_changes_asks(make_store, store_path, answer) -> None:
    app = make_app(make_store(["Acme"]))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await type_own_value(pilot, CRM, "600")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesModal)
        await pilot.press(answer)
        await settle(pilot)
        if answer in ("c", "escape"):
            assert app.screen is screen
            assert screen.query_one(f"#value-{CRM}", Input).value == "600"
            assert store_path.read_bytes() == before
        elif answer == "d":
            assert screen not in app.screen_stack
            assert store_path.read_bytes() == before
        else:
            assert screen not in app.screen_stack
            assert overrides(store_path) == {CRM: 600}


async def test_leaving_without_changes_does_not_ask(make_store) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await pilot.press("escape")
        await pilot.pause()
        assert screen not in app.screen_stack


@pytest.mark.parametrize("confirm", [True, False])
async def test_reset_asks_then_shows_the_saved_values(make_store, store_path, confirm) -> None:
    app = make_app(make_store([{"name": "Acme", "overrides": {CRM: 300}}]))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await to_checkbox(pilot, CRM)
        await pilot.press("tab")
        await type_into(pilot, "999")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y" if confirm else "escape")
        await pilot.pause()
        assert app.screen is screen
        shown = screen.query_one(f"#value-{CRM}", Input).value
        assert shown == ("300" if confirm else "999")
        assert store_path.read_bytes() == before


async def test_read_only_store_cannot_be_changed(make_store, store_path) -> None:
    app = make_app(make_store(["Acme"], read_only=True))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        assert all(box.disabled for box in screen.query(Checkbox))
        assert screen.query_one("#save-settings").disabled
        banner = screen.query_one("#configuration-banner", Static)
        assert banner.display and "View only" in str(banner.render())
        footer_keys = {k for k, b in screen.active_bindings.items()
                       if b.binding.show and b.enabled}
        assert "ctrl+s" not in footer_keys and "ctrl+r" not in footer_keys
        await pilot.press("space", "ctrl+s", "ctrl+r")
        await settle(pilot)
        assert any("View only" in n.message for n in notices(app))
        assert store_path.read_bytes() == before


async def test_system_level_uses_default_and_saves_in_system(make_store, store_path) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, None)
        assert screen.title == "System"
        labels = {str(box.label) for box in screen.query(".inherit").results(Checkbox)}
        assert labels == {"Use default"}
        await type_own_value(pilot, CRM, "900")
        await pilot.press("ctrl+s")
        await settle(pilot)
        snapshot = JsonStore(store_path).load()
        assert dict(snapshot.system) == {CRM: 900}
        assert overrides(store_path) == {}


# -- someone else saved meanwhile ---------------------------------------------------------------


@asynccontextmanager
async def conflicting_edit(make_store: Any, store_path: Path
                           ) -> AsyncIterator[tuple[Pilot[Any], ConfigurationScreen]]:
    """The admin sets CRM to 300 and clears Use System on Tasks; meanwhile Bob saves CRM 500;
    then the admin saves and the conflict dialog opens."""
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await type_own_value(pilot, CRM, "300")
        await to_checkbox(pilot, "tasks_enabled")
        await pilot.press("space", "tab", "space")
        saved_meanwhile(store_path, SettingChange(1, CRM, None, 500))
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, ConflictModal), "the conflict")
        yield pilot, screen


async def test_conflict_keep_mine(make_store, store_path) -> None:
    async with conflicting_edit(make_store, store_path) as (pilot, _):
        app = pilot.app
        modal = app.screen
        assert isinstance(modal, ConflictModal)
        console = Console(width=70, record=True, file=io.StringIO())
        console.print(conflict_table(modal.conflicts))
        table = console.export_text()
        assert "300" in table and "500" in table and "Use System" in table
        await pilot.press("m")
        await settle(pilot)
        assert overrides(store_path) == {CRM: 300, "tasks_enabled": False}


async def test_conflict_take_theirs_keeps_my_other_edits(make_store, store_path) -> None:
    async with conflicting_edit(make_store, store_path) as (pilot, screen):
        await pilot.press("t")
        await settle(pilot)
        assert overrides(store_path) == {CRM: 500}
        assert screen.query_one(f"#value-{CRM}", Input).value == "500"
        assert screen.form.model.fields["tasks_enabled"].dirty  # still in the form
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert overrides(store_path) == {CRM: 500, "tasks_enabled": False}


async def test_conflict_escape_saves_nothing_and_keeps_every_edit(make_store, store_path) -> None:
    async with conflicting_edit(make_store, store_path) as (pilot, screen):
        app = pilot.app
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert overrides(store_path) == {CRM: 500}
        assert screen.query_one(f"#value-{CRM}", Input).value == "300"
        assert screen.form.model.fields["tasks_enabled"].dirty


async def test_changes_by_others_show_up_without_losing_edits(make_store, store_path) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await type_own_value(pilot, CRM, "300")
        saved_meanwhile(store_path, SettingChange(1, CRM, None, 500),
                        SettingChange(1, "tasks_enabled", None, False))
        app.sync.reload()
        await settle(pilot, lambda: app.snapshot is not None and app.snapshot.revision == 1,
                    "the reload")
        await pilot.pause()
        assert screen.query_one(f"#value-{CRM}", Input).value == "300"
        assert "Saved meanwhile" in text_of(screen, f"#notes-{CRM}")
        assert "500" in text_of(screen, f"#notes-{CRM}")
        tasks = screen.query_one("#value-tasks_enabled", Checkbox)
        assert tasks.value is False and not tasks.disabled  # untouched: follows the store


# -- help and small pieces -----------------------------------------------------------------------


async def test_help_lists_the_configuration_keys(make_store) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_configuration(pilot, 1)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfigurationScreen)
    groups = dict(key_groups(keyed_classes(), {}))
    config = dict((what, keys) for keys, what in groups["Configuration (MS Outlook Settings)"])
    assert "ctrl+s" in [k for w, k in config.items() if w.startswith("Save Settings")]
    assert "ctrl+r" in [k for w, k in config.items() if w.startswith("Reset")]
    assert "In forms and lists" in groups


def test_breadcrumb_fits_80_columns() -> None:
    parts = ["Organizations", "Acme", "Configuration", *PAGE_PATH]
    assert breadcrumb(parts, 200) == " › ".join(parts)
    short = breadcrumb(parts, 78)
    assert len(short) <= 78 and short.startswith("Organizations › Acme") and short.endswith(
        "MS Outlook Settings")
    assert len(breadcrumb(["Organizations", "N" * 120, "Configuration", *PAGE_PATH], 78)) <= 78
