"""Keys that arrive while the last key of a burst is still settling (the end-to-end test over
tmux met it under load): they must take effect, not wait for a key that may never come."""

from __future__ import annotations

from typing import Any

import pytest
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


async def test_keys_read_while_the_last_key_settles_are_not_stranded(
        make_store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    app = OutlookApp(make_store(["Acme", "Globex", "Initech"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        key_order = app.key_order
        settled, sent = key_order._settled, []

        async def keys_arrive_meanwhile() -> None:
            # The slash has been handed on; its effects are settling and nothing else waits:
            # the next keys arrive now, at this very step, however fast or slow the machine.
            if not sent:
                sent.append(True)
                read_from_terminal(app, *"glo", "enter", "enter")
            await settled()

        monkeypatch.setattr(key_order, "_settled", keys_arrive_meanwhile)
        read_from_terminal(app, "slash")
        # Stranded keys stay pending for ever: settle gives up and says so.
        await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                     and not app.key_order.pending, "Globex's configuration, no key pending")
        screen = app.screen
        assert isinstance(screen, ConfigurationScreen)
        assert screen.organization_id == 2


async def test_keys_held_for_a_save_act_as_soon_as_its_hold_is_released(
        make_store: Any) -> None:
    """A save holds keys while it runs; one that waits for a lock lets them go (its dialog's
    Escape cancels it) while the save itself still runs."""
    app = OutlookApp(make_store(["Acme", "Globex"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        with app.key_order.hold() as held:
            read = app.key_order.read
            read_from_terminal(app, "c")
            await settle(pilot, lambda: app.key_order.read > read, "the key to be read")
            assert app.key_order.pending and not isinstance(app.screen, ConfigurationScreen)
            held.release()
            await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                         and not app.key_order.pending, "the configuration, no key pending")
            held.release()  # again, as the end of the block does: nothing more is let go
        assert app.key_order.pending is False
