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
from tests.app.screen import screen_text

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
        # Marked rows, a form (tree, choice lists, a stale warning), the unsaved question,
        # the bulk dialog, Compare, Help, Effective, History, the organization form, the
        # palette: every screen and the widgets Textual draws on them.
        for keys in (["space"], ["up", "enter"], ["tab", "space", "tab", "enter"],
                     ["escape", "escape"], ["d"], ["space", "b"], ["escape", "m"],
                     ["escape", "f1"], ["escape", "i"], ["escape", "h"], ["escape", "n"],
                     ["escape", "ctrl+p"]):
            await pilot.press(*keys)
            await settled(pilot)
            seen.append(screen_text(app))
    print("\n".join(seen))

asyncio.run(main())
"""


#: The script imports tests.app.screen: it runs from the repository's root, wherever pytest does.
ROOT = Path(__file__).resolve().parents[2]


def drawn_with(term: str, store: Path) -> str:
    env = {**os.environ, "TERM": term}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(store)], env=env, cwd=ROOT,
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


@pytest.mark.parametrize("term", ["linux", "vt100"])
def test_no_symbol_the_terminal_cannot_draw(store: Path, term: str) -> None:
    """Not ours (⚠, ▐X▌, ▲, …) nor Textual's (borders ▔▁▕, scrollbars ▃▇, tree guides └─,
    the choice list's ▼, the header's —): a Linux console's fonts differ, ASCII is in all."""
    shown = drawn_with(term, store)
    assert "Acme" in shown and "Sync Direction" in shown and "Create organization" in shown
    assert "Compare" in shown and "Keys of outlook-tui" in shown and "[X] Use System" in shown
    assert sorted({c for c in shown if not c.isascii()}) == [], term


def test_a_modern_terminal_keeps_its_symbols(store: Path) -> None:
    shown = drawn_with("xterm-256color", store)
    assert "⭘" in shown and "⚠" in shown and "▐X▌" in shown and "▼" in shown
