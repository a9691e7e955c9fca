"""Every screen is still usable at 60x20 (SVG snapshots): labels wrap at word boundaries, the
footer keeps f1 and ^q, the configuration form takes the whole width (the tree waits behind
ctrl+b)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.effective import EffectiveSettingsScreen
from outlook_tui.app.screens.history import HistoryScreen
from outlook_tui.app.screens.matrix import MatrixScreen
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.store import JsonStore
from tests.app.conftest import ACME, loaded, support_snapshot_app
from tests.conftest import settle


@pytest.mark.parametrize("screen", ["organizations", "configuration", "effective", "matrix",
                                    "history"])
def test_every_screen_is_usable_at_60x20(snap_compare: Any,
                                         make_store: Callable[..., JsonStore],
                                         store_path: Path, screen: str) -> None:
    app = support_snapshot_app(make_store, store_path)

    async def run_before(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        if screen == "configuration":
            await app.push_screen(ConfigurationScreen(ACME))
        elif screen == "effective":
            await app.push_screen(EffectiveSettingsScreen(ACME))
        elif screen == "matrix":
            await app.push_screen(MatrixScreen())
        elif screen == "history":
            await app.push_screen(HistoryScreen())
            await settle(pilot, lambda: app.screen.query_one(VirtualTable).row_count > 0,
                         "the history's rows")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(60, 20), run_before=run_before)


@pytest.mark.parametrize("width", [60, 80, 100])
async def test_the_footer_shows_whole_keys_help_and_quit_first(make_store: Any,
                                                               width: int) -> None:
    from outlook_tui.app.app import OutlookApp

    app = OutlookApp(make_store(["Acme"]), watch_seconds=0, location_label="store.json")
    async with app.run_test(size=(120, 24)) as pilot:
        await loaded(pilot)
        await app.push_screen(ConfigurationScreen(ACME))
        await settle(pilot)
        await pilot.resize_terminal(width, 24)
        await settle(pilot)
        every_key = app.screen.query_one(KeysFooter).listed_keys()
        keys = [k for k in every_key if not k.has_class("-command-palette")]
        shown = [k for k in keys if k.display]
        assert [k.key_display for k in shown[:2]] == ["f1", "^q"]
        palette = next((k for k in every_key
                        if k.has_class("-command-palette")), None)
        # Below 80 columns the palette's key (ctrl+p still works) leaves its room to the
        # form's: esc Back and h History stay in view at 60.
        assert (palette is None) == (width < 80)
        right = palette.region.x if palette is not None else width
        for key in shown:  # whole, and clear of the palette's key on the right
            assert key.region.right <= right, key.description
        assert {"Back", "History"} <= {k.description for k in shown}
        assert len(shown) == len(keys) or width < 100
