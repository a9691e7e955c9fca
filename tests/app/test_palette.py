"""Keys a user can find: the palette offers this app's commands and every key of the screen
it is opened on; Textual's commands that make no sense here (or write files) are gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.store import JsonStore
from tests.app.conftest import loaded, open_configuration, status_text
from tests.conftest import settle


def make_app(store: JsonStore) -> OutlookApp:
    return OutlookApp(store, watch_seconds=0, location_label="store.json")


def titles(app: OutlookApp) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_the_palette_offers_every_key_of_the_organizations_screen(make_store: Any) -> None:
    app = make_app(make_store(["Acme", "Globex"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        offered = titles(app)
        for title in ("System", "Compare", "History", "Sort", "Mark all", "Filter", "New",
                      "Configuration", "Effective", "Quit", "Help", "System configuration",
                      "Compare organizations", "History of all changes", "Theme"):
            assert title in offered, title
        for gone in ("Screenshot", "Keys", "Maximize", "Minimize"):
            assert gone not in offered, gone


async def test_a_palette_command_does_what_its_key_does(make_store: Any) -> None:
    app = make_app(make_store(["Acme", "Globex"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        await pilot.press("ctrl+p", *"mark all")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "2 marked" in status_text(screen)


async def test_the_configuration_palette_has_save_reset_and_tree(make_store: Any) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_configuration(pilot, 1)
        assert isinstance(app.screen, ConfigurationScreen)
        offered = titles(app)
        for title in ("Save Settings", "Reset", "Back", "History", "Tree"):
            assert title in offered, title


@pytest.mark.parametrize("how", ["action", "deliver"])
async def test_no_screenshot_file_is_ever_written(make_store: Any, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  how: str) -> None:
    app = make_app(make_store(["Acme"]))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        if how == "action":
            await app.run_action("app.screenshot")
        else:
            app.deliver_screenshot()
        await settle(pilot)
    assert list(work.iterdir()) == []
