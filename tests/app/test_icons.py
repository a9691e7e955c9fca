"""On a Linux console (TERM=linux) or a vt100 the app draws no symbol the terminal cannot: one
icon table, chosen at start from TERM."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from outlook_tui.app.icons import ASCII, CONSOLE, UNICODE, for_terminal
from tests.conftest import write_store

# Opens the app headless on the store given, visits the screens that draw icons (the header,
# a stale override's warning, the organization form's radio buttons, the palette, sorted and
# marked rows) and prints everything drawn.
SCRIPT = r"""
import asyncio, sys
from outlook_tui.app.app import OutlookApp
from outlook_tui.store import JsonStore

def drawn(app):
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())

async def settled(pilot):
    # Textual's own signals: every worker done, every message handled.
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()

async def main():
    app = OutlookApp(JsonStore(sys.argv[1]), watch_seconds=0)
    seen = []
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.validated:
            await pilot.pause()
        await settled(pilot)
        await pilot.press("space")
        await settled(pilot)
        seen.append(drawn(app))
        await pilot.press("up", "enter")
        await settled(pilot)
        seen.append(drawn(app))
        await pilot.press("escape", "n")
        await settled(pilot)
        seen.append(drawn(app))
        await pilot.press("escape", "ctrl+p")
        await settled(pilot)
        seen.append(drawn(app))
    print("\n".join(seen))

asyncio.run(main())
"""


def drawn_with(term: str, store: Path) -> str:
    env = {**os.environ, "TERM": term}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(store)], env=env,
                            capture_output=True, text=True, timeout=120, check=True)
    return result.stdout


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return write_store(tmp_path / "store.json",
                       [{"name": "Acme", "overrides": {"contacts_sync_direction": "Both"}},
                        "Globex"])


def test_the_table_follows_term() -> None:
    assert for_terminal("linux") is CONSOLE
    assert for_terminal("vt100") is ASCII and for_terminal("vt220") is ASCII
    assert for_terminal("dumb") is ASCII
    assert for_terminal("xterm-256color") is UNICODE and for_terminal(None) is UNICODE
    assert for_terminal("vte-256color") is UNICODE
    for field in ("app", "search", "warning", "chosen"):
        assert getattr(CONSOLE, field).isascii()
    assert all(getattr(ASCII, name).isascii() for name in ASCII.__slots__)


@pytest.mark.parametrize(("term", "absent"), [
    ("linux", "⭘⚠🔎●"),
    ("vt100", "⭘⚠🔎●•▲▶"),
])
def test_no_symbol_the_terminal_cannot_draw(store: Path, term: str, absent: str) -> None:
    shown = drawn_with(term, store)
    assert "Acme" in shown and "Sync Direction" in shown and "Create organization" in shown
    for symbol in absent:
        assert symbol not in shown, (term, symbol)


def test_a_modern_terminal_keeps_its_symbols(store: Path) -> None:
    shown = drawn_with("xterm-256color", store)
    assert "⭘" in shown and "⚠" in shown and "●" in shown
