"""Thousands of random keystrokes on a temp store: the app never crashes and whatever it saved
still validates."""

from __future__ import annotations

import random

import pytest
from textual import events

from outlook_tui.app.app import OutlookApp
from outlook_tui.store import JsonStore

NAMED = ["up", "down", "left", "right", "pageup", "pagedown", "home", "end", "tab", "shift+tab",
         "enter", "escape", "backspace", "delete", "f1", "ctrl+s", "ctrl+r", "ctrl+b", "ctrl+u"]
# Not ctrl+p: the palette's own commands quit the app or save screenshots in the working
# directory when a random Enter picks them; that is the user's choice, not a crash.
CHARACTERS = {"slash": "/", "question_mark": "?", "space": " ", "minus": "-",
              **{c: c for c in "ncesimhbxaoydt0123456789"}}
KEYS = NAMED + list(CHARACTERS)
PRESSES = 1000

pytestmark = pytest.mark.slow  # a thousand random keys per seed
SETTLE_EVERY = 8


@pytest.mark.parametrize("seed", [1, 2])
async def test_random_keystrokes_never_crash_the_app_or_damage_the_store(make_store,
                                                                         seed: int) -> None:
    store = make_store([
        "Default Organization",
        {"name": "Acme", "overrides": {"contacts_sync_interval_orocrm": 300}},
        {"name": "Globex", "enabled": False},
    ], system={"tasks_enabled": False})
    rng = random.Random(seed)
    app = OutlookApp(store, watch_seconds=0, location_label="store.json")
    async with app.run_test(size=(80, 24)) as pilot:
        for count in range(1, PRESSES + 1):
            # As the terminal driver does it: key events posted to the app, not one keystroke
            # at a time waiting for the screen to settle (2 x 1000 keys in seconds, not minutes).
            key = rng.choice(KEYS)
            app.post_message(events.Key(key, CHARACTERS.get(key)))
            if count % SETTLE_EVERY == 0:
                await pilot.pause()
        await pilot.pause()
        assert app.is_running
    JsonStore(store.path).load()  # raises if anything written were invalid
