"""Support staff answer "why does this customer sync every 5 minutes?" without editing anything:
Effective settings, Compare organizations (the matrix) and History, all in read-only mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.effective import EffectiveSettingsScreen
from outlook_tui.app.screens.history import HistoryScreen
from outlook_tui.app.screens.matrix import MatrixScreen
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.store import JsonStore, OrganizationChange, SettingChange
from outlook_tui.store.identity import current_user
from tests.app.conftest import (
    ACME,
    GLOBEX,
    INITECH,
    SUPPORT_CASE,
    SYSTEM,
    loaded,
    reading_as_support,
    support_snapshot_app,
)
from tests.conftest import settle


def text(widget: Static) -> str:
    return str(widget.content)


def table_text(table: VirtualTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


# -- Effective settings ----------------------------------------------------------------------


async def test_support_presses_i_on_an_organization_and_sees_value_source_and_system_value(
    make_store: Callable[..., JsonStore], store_path: Path
) -> None:
    async with reading_as_support(make_store, store_path) as pilot:
        app = pilot.app
        await pilot.press("i")  # Acme is the first row in name order
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EffectiveSettingsScreen)
        assert screen.organization_id == ACME
        interval = "contacts_sync_interval_orocrm"
        assert text(screen.query_one(f"#value-{interval}", Static)) == "300"
        assert text(screen.query_one(f"#source-{interval}", Static)) == "Organization"
        assert text(screen.query_one(f"#system-{interval}", Static)) == "600"
        # Outlook interval follows the default: no system value beside it.
        assert text(screen.query_one("#source-contacts_sync_interval_outlook", Static)) \
            == "Default"
        assert text(screen.query_one("#system-contacts_sync_interval_outlook", Static)) == ""
        # Tasks = Yes equals the default it would inherit: flagged, and explained.
        assert text(screen.query_one("#source-tasks_enabled", Static)) == "Organization !"
        notes = text(screen.query_one("#notes", Static))
        assert "Tasks" in notes and "no longer follows system changes" in notes
        assert "CRM Sync Interval" not in notes  # 300 differs from 600: a real override
        assert "2 of 7 settings overridden" in text(screen.query_one("#organization", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, EffectiveSettingsScreen)


async def test_effective_settings_show_system_values_as_system_and_the_conflict_note(
    make_store: Callable[..., JsonStore], store_path: Path
) -> None:
    async with reading_as_support(make_store, store_path,
                                  EffectiveSettingsScreen(INITECH)) as pilot:
        screen = pilot.app.screen
        interval = "contacts_sync_interval_orocrm"
        assert text(screen.query_one(f"#value-{interval}", Static)) == "600"
        assert text(screen.query_one(f"#source-{interval}", Static)) == "System"
        assert text(screen.query_one("#value-contacts_sync_direction", Static)) \
            == "OroCRM to Outlook"
        assert text(screen.query_one("#system-contacts_sync_direction", Static)) \
            == "Bidirectional"
        notes = text(screen.query_one("#notes", Static))
        assert "Conflict Resolution has no effect unless Sync Direction is Bidirectional" \
            in notes


async def test_effective_settings_follow_a_save_made_elsewhere(
    make_store: Callable[..., JsonStore], store_path: Path
) -> None:
    store = make_store(SUPPORT_CASE, SYSTEM)
    app = OutlookApp(store, watch_seconds=0.05, location_label="store.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await app.push_screen(EffectiveSettingsScreen(GLOBEX))
        await pilot.pause()
        other = JsonStore(store_path)
        other.commit(other.load(), [SettingChange(GLOBEX, "contacts_sync_interval_orocrm",
                                                  None, 900)])
        await settle(pilot, lambda: text(app.screen.query_one(
            "#value-contacts_sync_interval_orocrm", Static)) == "900", "the other admin's 900")
        assert text(app.screen.query_one("#source-contacts_sync_interval_orocrm", Static)) \
            == "Organization"


# -- Compare organizations -------------------------------------------------------------------


async def test_support_opens_the_matrix_with_m_and_sees_overridden_cells_marked(
    make_store: Callable[..., JsonStore], store_path: Path
) -> None:
    async with reading_as_support(make_store, store_path) as pilot:
        app = pilot.app
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one(VirtualTable)
        lines = table_text(table)
        assert lines[0].split()[:3] == ["Organization", "Direction", "Conflicts"]
        acme = next(line for line in lines if line.startswith("Acme"))
        assert "300*" in acme and "Yes!" in acme
        globex = next(line for line in lines if line.startswith("Globex"))
        assert "600 " in globex and "*" not in globex
        initech = next(line for line in lines if line.startswith("Initech"))
        assert "To Outlook*" in initech
        assert table.row_count == 4
        detail = text(app.screen.query_one("#detail", Static))
        assert "CRM Sync Interval (In Seconds) 300 (inherits 600)" in detail


async def test_matrix_filter_by_name_and_only_overrides_narrow_the_rows(
    make_store: Callable[..., JsonStore], store_path: Path
) -> None:
    async with reading_as_support(make_store, store_path, MatrixScreen()) as pilot:
        app = pilot.app
        table = app.screen.query_one(VirtualTable)
        await pilot.press("o")
        await pilot.pause()
        assert table.row_count == 2  # Acme and Initech store values of their own
        assert "only those with overrides" in text(app.screen.query_one("#status", Static))
        await pilot.press("o")
        await pilot.pause()
        assert table.row_count == 4
        await pilot.press("slash", "b", "r", "e")  # only Umbrella has "bre" in its name
        await settle(pilot, lambda: table.row_count == 1, "the filter")
        await pilot.press("enter")
        await pilot.pause()
        assert table.row_count == 1
        assert table_text(table)[1].startswith("Umbrella")
        assert table.has_focus
        await pilot.press("o")  # Umbrella overrides nothing
        await pilot.pause()
        assert table.row_count == 0
        assert "No organization matches." in table_text(table)[1]


async def test_escape_in_the_matrix_filter_clears_it_and_enter_opens_effective_settings(
    make_store: Callable[..., JsonStore], store_path: Path
) -> None:
    async with reading_as_support(make_store, store_path, MatrixScreen()) as pilot:
        app = pilot.app
        table = app.screen.query_one(VirtualTable)
        await pilot.press("slash", "i", "n", "i")
        await settle(pilot, lambda: table.row_count == 1, "the filter")
        assert table.row_count == 1
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 4 and table.has_focus
        assert table.cursor_row == 2  # still on Initech, now among all four
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EffectiveSettingsScreen)
        assert app.screen.organization_id == INITECH
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)


@pytest.mark.slow
async def test_matrix_stays_quick_with_a_big_store(
    make_store: Callable[..., JsonStore]
) -> None:
    organizations = [{"name": f"Org {n:05d}", "overrides": {"tasks_enabled": False}}
                     if n % 100 == 0 else f"Org {n:05d}" for n in range(20_000)]
    store = make_store(organizations, read_only=True)
    app = OutlookApp(store, watch_seconds=0, location_label="store.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        asked: list[int] = []
        screen = MatrixScreen()
        await app.push_screen(screen)
        await pilot.pause()
        original = screen._row
        screen.query_one(VirtualTable).set_rows(
            20_000, lambda i: asked.append(i) or original(i))
        await pilot.press("end")
        await pilot.pause()
        assert len(set(asked)) < 100  # only rows on screen were resolved
        await pilot.press("o")
        await pilot.pause()
        assert screen.query_one(VirtualTable).row_count == 200


# -- History ---------------------------------------------------------------------------------


async def test_history_of_an_organization_is_newest_first_and_names_who_saved(
    make_store: Callable[..., JsonStore], store_path: Path
) -> None:
    writable = make_store(SUPPORT_CASE, SYSTEM)
    base = writable.load()
    base = writable.commit(base, [SettingChange(ACME, "contacts_sync_direction", None,
                                                "OutlookToOroCRM")]).snapshot
    writable.commit(base, [SettingChange(ACME, "contacts_sync_interval_orocrm", 300, None),
                           OrganizationChange(GLOBEX, "enabled", True, False)])
    before = store_path.read_bytes()
    app = OutlookApp(JsonStore(store_path, read_only=True), watch_seconds=0,
                     location_label="store.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("h")  # on Acme, the first row
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen)
                     and bool(app.screen.entries), "the history")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        lines = table_text(screen.query_one(VirtualTable))
        assert "Organization" not in lines[0]  # one organization: no column for it
        assert "CRM Sync Interval" in lines[1] and "300 -> (Use System)" in lines[1]
        assert "Sync Direction" in lines[2] and "(Use System) -> Outlook to OroCRM" in lines[2]
        assert current_user()[:7] in lines[1]
        assert len(screen.entries) == 2  # Globex's change is not Acme's
        assert "2 changes, newest first" in text(screen.query_one("#heading", Static))
        assert current_user() in text(screen.query_one("#detail", Static))
        await pilot.press("down")  # the detail line shows what the column cuts short
        await pilot.pause()
        assert "Sync Direction: (Use System) -> Outlook to OroCRM" in text(
            screen.query_one("#detail", Static))
    assert store_path.read_bytes() == before


async def test_history_of_all_changes_has_an_organization_column_and_store_events(
    make_store: Callable[..., JsonStore], store_path: Path
) -> None:
    history = [
        {"key": "oro_crm_pro_outlook.contacts_sync_interval_orocrm", "old": None, "new": 300},
        {"scope": "system", "organization_id": None, "organization_name": None,
         "key": "oro_crm_pro_outlook.contacts_sync_interval_orocrm", "old": 900, "new": 600},
        {"scope": None, "organization_id": None, "organization_name": None,
         "event": "history_gap", "detail": "revisions 2 to 3 were committed without history"},
    ]
    async with reading_as_support(make_store, store_path, HistoryScreen(), history=history,
                                  revision=3) as pilot:
        app = pilot.app
        await settle(pilot, lambda: app.screen.query_one(VirtualTable).row_count > 0,
                     "the history's rows")
        lines = table_text(app.screen.query_one(VirtualTable))
        assert "Organization" in lines[0]
        assert "History gap" in lines[1]
        assert "System" in lines[2] and "900 -> 600" in lines[2]
        assert "Acme" in lines[3] and "(Use System) -> 300" in lines[3]
        assert "alice@10.0.0.5" in text(app.screen.query_one("#detail", Static))
        await pilot.press("down", "down", "e")
        await pilot.pause()
        assert isinstance(app.screen, EffectiveSettingsScreen)
        assert app.screen.organization_id == ACME


async def test_history_with_no_file_says_nothing_was_recorded(
    make_store: Callable[..., JsonStore], store_path: Path
) -> None:
    async with reading_as_support(make_store, store_path, HistoryScreen(system=True)) as pilot:
        app = pilot.app
        await settle(pilot)
        lines = table_text(app.screen.query_one(VirtualTable))
        assert "No changes recorded yet." in lines[1]
        assert "History of System configuration" in text(
            app.screen.query_one("#heading", Static))


# -- Looks at 80x24 --------------------------------------------------------------------------


@pytest.mark.parametrize("screen", ["effective", "matrix", "history"])
def test_support_screens_look_right_at_80x24(
    snap_compare: Any, make_store: Callable[..., JsonStore], store_path: Path, screen: str
) -> None:
    app = support_snapshot_app(make_store, store_path)

    async def run_before(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        if screen == "effective":
            await app.push_screen(EffectiveSettingsScreen(ACME))
        elif screen == "matrix":
            await app.push_screen(MatrixScreen())
            await pilot.press("right", "right", "right")
        else:
            await app.push_screen(HistoryScreen())
            await settle(pilot, lambda: app.screen.query_one(VirtualTable).row_count > 0,
                         "the history's rows")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
