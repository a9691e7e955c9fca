"""Keys a person finds, and nothing typed is dropped: digits typed in the bulk dialog's value
list land in the number field; a key that cannot act says why; q leaves from the top screen
(asking first when something is unsaved); j / k move in tables where they do not clash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.bulk import ApplySettingModal
from outlook_tui.app.screens.confirm import ConfirmModal, UnsavedChangesModal
from outlook_tui.app.screens.matrix import MatrixScreen
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.store import JsonStore
from tests.app.conftest import CRM, ORGS, loaded, open_configuration, to_checkbox
from tests.app.screen import screen_text
from tests.conftest import burst, said, settle


def make_app(store: JsonStore) -> OutlookApp:
    return OutlookApp(store, watch_seconds=0, location_label="store.json")


async def test_digits_typed_after_moving_to_the_values_land_in_the_field(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        # Mark Acme and Acme Europe, b, CRM Sync Interval, -> to its values, type 300, Enter.
        await pilot.press("space", "space", "b", "down", "down", "right", *"300")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, ApplySettingModal)
        assert modal.query_one("#number", Input).value == "300"
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.press("y")
        await settle(pilot)
    snapshot = JsonStore(store_path).load()
    for name in ("Acme", "Acme Europe"):
        org = snapshot.by_name(name)
        assert org is not None and org.overrides == {CRM: 300}


async def test_digits_sent_in_one_burst_land_in_the_field_too(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        # As one read over SSH delivers them: the keys still act one after the other.
        await burst(pilot, "space", "space", "b", "down", "down", "right", *"86399")
        modal = app.screen
        assert isinstance(modal, ApplySettingModal)
        assert modal.query_one("#number", Input).value == "86399"


async def test_a_key_that_does_nothing_says_so(make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("z")
        await settle(pilot)
        assert "z does nothing in Organizations. F1 lists the keys that work here." \
            in said(app)
        await pilot.press("space", "b")  # the bulk dialog, on Sync Direction's choices
        await settle(pilot)
        await pilot.press("right", "7")
        await settle(pilot)
        assert "7 does nothing in Apply setting (marked organizations)" in said(app)
        await pilot.press("z")  # pressed again: said once, not stacked
        await settle(pilot)
        assert said(app).count("z does nothing in Organizations") <= 1
    assert store_path.read_bytes() == before


async def test_typing_in_a_field_is_never_reported(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("slash", *"qjkz")  # the filter takes q, j and k as text
        await settle(pilot)
        assert screen.query_one("#filter", Input).value == "qjkz"
        assert app.is_running and "does nothing" not in said(app)


async def test_j_and_k_move_in_tables(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        table = screen.query_one(VirtualTable)
        await pilot.press("j", "j")
        assert table.cursor_row == 2
        await pilot.press("k")
        assert table.cursor_row == 1
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, MatrixScreen), "Compare")
        matrix = app.screen.query_one(VirtualTable)
        await pilot.press("j")
        assert matrix.cursor_row == 1


async def test_q_leaves_from_the_top_screen(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert not app.is_running


async def test_q_asks_first_when_something_is_unsaved(make_store: Any,
                                                      store_path: Path) -> None:
    app = make_app(make_store(ORGS))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await open_configuration(pilot, 1)
        await to_checkbox(pilot, CRM)
        await pilot.press("space")  # an unsaved edit
        # Over the form, ctrl+q (q is only the top screen's) asks Save / Discard / Cancel.
        await pilot.press("ctrl+q")
        await settle(pilot, lambda: isinstance(app.screen, UnsavedChangesModal), "the question")
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running
    assert store_path.read_bytes() == before


async def test_help_opens_on_this_screens_keys_and_typing_filters_it(make_store: Any) -> None:
    from outlook_tui.app.screens.help import HelpScreen
    from outlook_tui.app.widgets.footer import KeysFooter

    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, MatrixScreen), "Compare")
        # Every key of Compare fits its footer at 80 columns (i, Effective, was the one cut).
        keys = app.screen.query_one(KeysFooter).listed_keys()
        shown = {key.description for key in keys if key.display}
        assert {"Back", "Filter", "Overrides", "Stale", "Effective"} <= shown, shown
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen), "Help")

        def groups() -> list[str]:
            return [str(g.render()) for g in app.screen.query(".help-group")]

        assert groups()[0] == "Compare organizations", groups()
        await pilot.press(*"stale")
        await settle(pilot)
        drawn = screen_text(app)
        assert groups() == ["Compare organizations"]
        assert "Stale: Show only" in drawn and "Save Settings" not in drawn
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)


async def test_the_palette_lists_this_apps_commands_first(make_store: Any) -> None:
    from textual.command import CommandList

    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: bool(app.screen.query(CommandList))
                     and app.screen.query_one(CommandList).option_count > 0, "the palette")
        await settle(pilot)
        listed = [str(o.prompt) for o in app.screen.query_one(CommandList).options]
        titles = [t.split("\n")[0] for t in listed]
        first = titles.index("System configuration")
        assert first < titles.index("Clear filter") and first < titles.index(
            "Copy selected text"), titles
        assert titles.index("Filter") < titles.index("Clear filter")

