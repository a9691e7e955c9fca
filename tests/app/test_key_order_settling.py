"""Keys that arrive while the last key of a burst is still settling (the end-to-end test over
tmux met it under load): they must take effect, not wait for a key that may never come."""

from __future__ import annotations

from typing import Any

from textual import events

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from tests.app.conftest import loaded
from tests.conftest import settle


def read_from_terminal(app: OutlookApp, *keys: str) -> None:
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]


async def test_keys_read_while_the_last_key_settles_are_not_stranded(make_store: Any) -> None:
    app = OutlookApp(make_store(["Acme", "Globex", "Initech"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        read_from_terminal(app, "slash")
        # The slash has been handed on; its effects are settling and nothing else waits.
        while app.key_order._waiting or not app.key_order.pending:
            await pilot.pause(0)
        read_from_terminal(app, *"glo", "enter", "enter")
        # Stranded keys stay pending for ever: settle gives up and says so.
        await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                     and not app.key_order.pending, "Globex's configuration, no key pending")
        screen = app.screen
        assert isinstance(screen, ConfigurationScreen)
        assert screen.organization_id == 2
