"""Notices read as meant: Textual's own (ctrl+c's hint on how to quit) with their markup
rendered, while every notice quoting data stays plain text."""

from __future__ import annotations

from typing import Any

from textual.content import Content

from outlook_tui.app.app import OutlookApp
from tests.app.conftest import loaded
from tests.conftest import notices, settle


def shown(app: OutlookApp) -> list[str]:
    """Each notice as the person reads it (markup rendered, or shown as typed)."""
    return [(Content.from_markup(n.message) if n.markup else Content(n.message)).plain
            for n in notices(app)]


async def test_ctrl_c_says_how_to_quit_in_words_not_markup(make_store: Any) -> None:
    app = OutlookApp(make_store(["Acme"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        quit_keys = [key for key, active in app.active_bindings.items()
                     if active.binding.action in ("quit", "app.quit")]
        assert shown(app) == [f"Press {quit_keys[0]} to quit the app"]
        assert app.is_running


async def test_a_notice_quoting_data_shows_its_brackets(make_store: Any) -> None:
    app = OutlookApp(make_store(["Acme"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.notify("Saved [b]Acme[/b] [@click=app.quit]x[/]")
        await settle(pilot)
        assert shown(app) == ["Saved [b]Acme[/b] [@click=app.quit]x[/]"]
