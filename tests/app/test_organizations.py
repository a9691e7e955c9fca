"""The organizations screen, told as the admin's and support staff's stories."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.organization_form import OrganizationFormModal
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.store import JsonStore
from tests.app.conftest import ORGS, loaded, status_text
from tests.conftest import notices, saved_meanwhile, settle, showing


def make_app(store: JsonStore) -> OutlookApp:
    return OutlookApp(store, watch_seconds=0, location_label="store.json")


def shown_names(screen: OrganizationsScreen) -> list[str]:
    table = screen.query_one(VirtualTable)
    return [str(screen._row(i)[0]) for i in range(table.row_count)]


def highlighted_name(screen: OrganizationsScreen) -> str:
    record = screen.highlighted
    assert record is not None
    return str(record["name"])


async def test_the_grid_lists_organizations_by_name_with_status_and_overrides(
        make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        assert shown_names(screen) == ["Acme", "Acme Europe", "Globex", "Initech", "Umbrella"]
        initech = screen._row(3)
        assert str(initech[1]) == "Active" and str(initech[2]) == "2"
        assert str(screen._row(2)[1]) == "Inactive"
        assert "5 organizations" in status_text(screen)


async def test_admin_creates_an_organization_by_keys(make_store: Any,
                                                     store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OrganizationFormModal)
        await pilot.press(*"  Wayne Enterprises ", "tab", "right", "space", "tab")
        await pilot.press(*"Gotham office", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert highlighted_name(screen) == "Wayne Enterprises"
    stored = JsonStore(store_path).load().by_name("Wayne Enterprises")
    assert stored is not None
    assert stored.enabled is False
    assert stored.description == "Gotham office"


async def test_the_name_is_required_and_unique(make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("n", "enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, OrganizationFormModal)
        assert "Name is required." in str(modal.query_one("#name-error").render())
        await pilot.press(*"acme", "enter")
        await settle(pilot)
        assert app.screen is modal
        assert "already exists" in str(modal.query_one("#name-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrganizationsScreen)
    assert store_path.read_bytes() == before


async def test_admin_renames_the_highlighted_organization(make_store: Any,
                                                          store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("down", "down", "e")  # Globex
        await pilot.pause()
        name = app.screen.query_one("#name", Input)
        name.value = ""
        await pilot.press(*"Globex Corporation", "enter")
        await settle(pilot)
        assert highlighted_name(screen) == "Globex Corporation"
    snapshot = JsonStore(store_path).load()
    assert snapshot.by_name("Globex") is None
    renamed = snapshot.by_name("Globex Corporation")
    assert renamed is not None and renamed.id == 2 and renamed.enabled is False


async def test_filter_narrows_as_you_type_and_enter_goes_to_the_first_match(
        make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"ACME")
        await pilot.pause()
        assert shown_names(screen) == ["Acme", "Acme Europe"]
        assert isinstance(app.focused, Input)
        await pilot.press("backspace", "backspace", "backspace", "backspace", *"o")
        await pilot.pause()
        assert shown_names(screen) == ["Acme Europe", "Globex"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.focused, VirtualTable)
        assert highlighted_name(screen) == "Acme Europe"
        assert "2 shown" in status_text(screen)
        await pilot.press("down", "escape")  # Escape clears, the cursor stays on Globex
        await pilot.pause()
        assert len(shown_names(screen)) == 5
        assert highlighted_name(screen) == "Globex"
        assert screen.query_one("#filter", Input).value == ""


async def test_escape_in_the_filter_clears_it(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        assert shown_names(screen) == []
        await pilot.press("escape")
        await pilot.pause()
        assert len(shown_names(screen)) == 5
        assert isinstance(app.focused, VirtualTable)


async def test_sort_by_the_focused_column_and_reverse(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("right", "right", "o")  # Overrides, fewest first
        await pilot.pause()
        assert shown_names(screen)[-1] == "Initech"
        await pilot.press("o")
        await pilot.pause()
        assert shown_names(screen)[0] == "Initech"
        assert "sorted by Overrides ▼" in status_text(screen)
        await pilot.press("left", "o")  # Status: Active first, ties by name
        await pilot.pause()
        assert shown_names(screen) == ["Acme", "Acme Europe", "Initech", "Umbrella", "Globex"]
        await pilot.press("left", "o", "o")  # Name, descending
        await pilot.pause()
        assert shown_names(screen)[0] == "Umbrella"


@pytest.mark.parametrize("key", ["enter", "c"])
async def test_enter_or_c_opens_the_organizations_configuration(
        make_store: Any, key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(make_store(ORGS))
    opened: list[int | None] = []
    monkeypatch.setattr(app, "open_configuration", opened.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("down", "down", "down", key, "s")
        await pilot.pause()
    assert opened == [3, None]  # Initech, then System configuration


async def test_support_applies_a_setting_to_marked_organizations_in_one_revision(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    commits: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        commit = app.commit

        async def counting(changes: Any) -> Any:
            commits.append(len(changes))
            return await commit(changes)

        app.commit = counting  # type: ignore[method-assign]
        # Space marks and moves down: Acme, Acme Europe, Globex.
        await pilot.press("space", "space", "space")
        assert "3 marked" in status_text(screen)
        await pilot.press("b")
        await pilot.pause()
        # Tasks, then No (Yes is offered first)
        await pilot.press("down", "down", "down", "down", "down", "enter")
        await pilot.press("down", "enter")
        await pilot.pause()
        message = str(app.screen.query_one(".dialog-message").render())
        assert "Tasks = No" in message and "3 organizations" in message
        await pilot.press("y")
        await settle(pilot)
    assert commits == [3]
    snapshot = JsonStore(store_path).load()
    assert snapshot.revision == 1
    for name in ("Acme", "Acme Europe", "Globex"):
        org = snapshot.by_name(name)
        assert org is not None and org.overrides == {"tasks_enabled": False}
    umbrella = snapshot.by_name("Umbrella")
    assert umbrella is not None and umbrella.overrides == {}


async def test_apply_a_typed_interval_to_every_filtered_organization(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"acme", "enter", "a", "b")
        await pilot.pause()
        await pilot.press("down", "down", "enter", "enter")  # CRM Sync Interval: a value
        await pilot.press(*"99999", "enter")
        await pilot.pause()
        assert "must be a whole number from 1 to 86399" in str(
            app.screen.query_one("#value-error").render())
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace",
                          *"600", "enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
    snapshot = JsonStore(store_path).load()
    for name in ("Acme", "Acme Europe"):
        org = snapshot.by_name(name)
        assert org is not None and org.overrides == {"contacts_sync_interval_orocrm": 600}


async def test_support_resets_overrides_of_marked_organizations(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store([*ORGS, {"name": "Hooli", "overrides": {"tasks_enabled": True}}]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("a")  # every organization
        assert "6 marked" in status_text(screen)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # every setting
        await pilot.pause()
        message = str(app.screen.query_one(".dialog-message").render())
        assert "3 overrides" in message and "2 organizations" in message
        await pilot.press("y")
        await settle(pilot)
    snapshot = JsonStore(store_path).load()
    assert snapshot.revision == 1
    assert all(not org.overrides for org in snapshot.organizations())


async def test_marking_all_again_unmarks_and_bulk_keys_hide(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        keys = {b.binding.key for b in screen.active_bindings.values() if b.binding.show}
        assert "b" not in keys and "x" not in keys
        await pilot.press("a")
        keys = {b.binding.key for b in screen.active_bindings.values() if b.binding.show}
        assert {"b", "x"} <= keys
        await pilot.press("a")
        assert "marked" not in status_text(screen)


async def test_read_only_hides_editing_keys_and_writes_nothing(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(ORGS, read_only=True))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        shown = {b.binding.key for b in screen.active_bindings.values() if b.binding.show}
        assert not shown & {"n", "e", "space", "b", "x"}
        assert {"c", "slash"} <= shown
        banner = screen.query_one("#read-only")
        assert banner.display and "View only" in str(banner.render())
        await pilot.press("n", "e", "space", "a", "b", "x")
        await pilot.pause()
        assert app.screen is screen
        assert any("View only" in n.message for n in notices(app))
    assert store_path.read_bytes() == before


async def test_the_cursor_stays_on_its_organization_when_the_store_changes(
        make_store: Any, store_path: Path) -> None:
    from outlook_tui.store import NewOrganization

    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("end")  # Umbrella
        result = saved_meanwhile(store_path, NewOrganization("Aardvark"))
        app.sync.publish(result.snapshot, "external", [])
        await pilot.pause()
        assert highlighted_name(screen) == "Umbrella"
        assert shown_names(screen)[0] == "Aardvark"


@pytest.mark.parametrize("choice", ["mine", "theirs"])
async def test_bulk_apply_meets_a_change_saved_meanwhile(
        make_store: Any, store_path: Path, choice: str) -> None:
    from outlook_tui.app.screens.conflict import ConflictModal
    from outlook_tui.store import SettingChange

    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("space", "space", "b")  # Acme, Acme Europe
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "down", "enter", "down", "enter")
        await pilot.pause()
        # another admin sets Tasks on Acme meanwhile
        saved_meanwhile(store_path, SettingChange(1, "tasks_enabled", None, True))
        await pilot.press("y")
        await showing(pilot, ConflictModal)
        assert app.screen.saves_rest  # type: ignore[attr-defined]
        await pilot.press(choice[0])  # m: keep mine; t: take theirs, and save the rest
        await showing(pilot, OrganizationsScreen)
        await settle(pilot)
    snapshot = JsonStore(store_path).load()
    assert snapshot.revision == 2
    acme, europe = snapshot.by_name("Acme"), snapshot.by_name("Acme Europe")
    assert acme is not None and europe is not None
    assert acme.overrides == {"tasks_enabled": choice == "theirs"}
    assert europe.overrides == {"tasks_enabled": False}


async def test_the_open_form_takes_changes_saved_meanwhile_into_untouched_fields(
        make_store: Any, store_path: Path) -> None:
    from outlook_tui.store import OrganizationChange

    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("e")  # Acme
        await pilot.pause()
        await pilot.press("end", *" Corp")  # the admin edits the name only
        result = saved_meanwhile(store_path,
                                 OrganizationChange(1, "description", "", "Road runners"),
                                 OrganizationChange(1, "name", "Acme", "Acme Inc"))
        app.sync.publish(result.snapshot, "external", [])
        await pilot.pause()
        modal = app.screen
        assert modal.query_one("#description", Input).value == "Road runners"
        assert modal.query_one("#name", Input).value == "Acme Corp"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


@pytest.mark.parametrize("choice", ["mine", "theirs"])
async def test_a_rename_saved_meanwhile_by_another_process_opens_the_conflict_dialog(
        make_store: Any, store_path: Path, choice: str) -> None:
    from outlook_tui.app.screens.conflict import ConflictModal

    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("e")  # Acme
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, OrganizationFormModal)
        await pilot.press("end", *" Corp", "tab", "right", "space")  # and Inactive
        subprocess.run([sys.executable, "-m", "outlook_tui", "--store", str(store_path),
                        "orgs", "rename", "Acme", "Acme Inc"], check=True, capture_output=True)
        await pilot.press("enter")
        await showing(pilot, ConflictModal)
        conflicts = app.screen.conflicts  # type: ignore[attr-defined]
        assert [(c.key, c.mine, c.theirs) for c in conflicts] == [
            ("name", "Acme Corp", "Acme Inc")]
        await pilot.press(choice[0])  # m: keep mine, t: take theirs
        if choice == "mine":
            await showing(pilot, OrganizationsScreen)
            assert highlighted_name(screen) == "Acme Corp"
        else:
            await showing(pilot, OrganizationFormModal)
            assert modal.query_one("#name", Input).value == "Acme Inc"
            assert JsonStore(store_path).load().get(1).enabled  # type: ignore[union-attr]
            await pilot.press("enter")  # the status change is still in the form: save it
            await showing(pilot, OrganizationsScreen)
    org = JsonStore(store_path).load().get(1)
    assert org is not None
    assert org.name == ("Acme Corp" if choice == "mine" else "Acme Inc")
    assert org.enabled is False



@pytest.mark.parametrize(("keys", "enabled"), [(("right",), False), (("down",), False),
                                               (("right", "left"), True),
                                               (("right", "space"), False)])
async def test_status_is_chosen_with_the_arrow_keys(make_store: Any, store_path: Path,
                                                    keys: tuple[str, ...],
                                                    enabled: bool) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("n", *"Hooli", "tab", *keys, "enter")
        await settle(pilot)
    created = JsonStore(store_path).load().by_name("Hooli")
    assert created is not None and created.enabled is enabled


async def test_bulk_apply_ties_the_value_to_its_setting_and_arrows_move_between_them(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("space", "space", "b")
        await settle(pilot)
        modal = app.screen
        assert str(modal.query_one("#values-label").render()) == "Value of Sync Direction"
        await pilot.press("down", "down")  # CRM Sync Interval
        assert "Value of CRM Sync Interval (In Seconds)" in str(
            modal.query_one("#values-label").render())
        await pilot.press("right")
        assert app.focused is not None and app.focused.id == "values"
        await pilot.press("left")
        assert app.focused is not None and app.focused.id == "settings"
        await pilot.press("right", "enter")  # "A value": into the number field
        assert isinstance(app.focused, Input)
        await pilot.press(*"30", "left", "5")  # the field keeps its own arrows: 350
        assert app.focused.value == "350"
        assert not modal.query_one("#hidden-marked").display


async def test_bulk_dialogs_say_how_many_marked_organizations_the_filter_hides(
        make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("a", "slash", *"acme", "enter")
        for key in ("b", "x"):
            await pilot.press(key)
            await settle(pilot)
            hidden = app.screen.query_one("#hidden-marked")
            assert hidden.display
            assert "3 of the 5 are hidden by the filter" in str(hidden.render())
            await pilot.press("escape")
            await settle(pilot)


async def test_a_huge_stored_description_is_shown_cut_and_kept_whole_unless_edited(
        make_store: Any, store_path: Path) -> None:
    """Acme's description came in by an old import: 1.4 million characters. Editing Acme's
    status keeps it whole; replacing it writes what the admin typed."""
    from outlook_tui.store.changes import DESCRIPTION_MAX_LENGTH

    huge = "Road runners. " * 100_000
    app = make_app(make_store([{"name": "Acme", "description": huge}, "Globex"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("e")  # Acme
        modal = await showing(pilot, OrganizationFormModal)
        field = modal.query_one("#description", Input)
        assert field.value == huge[:DESCRIPTION_MAX_LENGTH]
        assert field.max_length == DESCRIPTION_MAX_LENGTH
        note = str(modal.query_one("#description-note").render())
        assert "The stored description has 1,400,000 characters: the first 10,000 are " \
               "shown. It is kept whole unless you edit it." in note
        await pilot.press("tab", "right", "space", "enter")  # Inactive, nothing else
        await showing(pilot, OrganizationsScreen)
        await settle(pilot)
        acme = JsonStore(store_path).load().by_name("Acme")
        assert acme is not None and acme.enabled is False and acme.description == huge

        await pilot.press("e")
        modal = await showing(pilot, OrganizationFormModal)
        await pilot.press("tab", "tab", "home", "ctrl+k", *"Road runners")
        await pilot.press("enter")
        await showing(pilot, OrganizationsScreen)
        await settle(pilot)
    acme = JsonStore(store_path).load().by_name("Acme")
    assert acme is not None and acme.description == "Road runners"


async def test_a_short_description_has_no_note(make_store: Any) -> None:
    app = make_app(make_store([{"name": "Acme", "description": "Road runners"}]))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        modal = await showing(pilot, OrganizationFormModal)
        assert modal.query_one("#description", Input).value == "Road runners"
        assert not modal.query_one("#description-note").display
