"""How the organizations screen, the organization form and a bulk confirmation look at 80x24."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from outlook_tui.app.app import OutlookApp
from tests.app.conftest import ORGS, loaded


@pytest.mark.usefixtures("no_cursor_blink")
@pytest.mark.parametrize("state", ["grid", "filtered", "marked", "read-only", "new", "edit",
                                   "apply", "confirm"])
def test_organizations_look_right_at_80x24(snap_compare: Any, make_store: Any,
                                           state: str) -> None:
    store = make_store(ORGS, {"contacts_sync_direction": "OroCRMToOutlook"},
                       read_only=state == "read-only")
    app = OutlookApp(store, watch_seconds=0, location_label="store.json")

    async def run_before(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        if state == "filtered":
            await pilot.press("slash", *"acme")
        elif state == "marked":
            await pilot.press("space", "down", "space", "right", "right", "o")
        elif state == "new":
            await pilot.press("n", *"Acme", "enter")  # a taken name: the inline error
        elif state == "edit":
            await pilot.press("down", "down", "e")
        elif state in ("apply", "confirm"):
            await pilot.press("space", "space", "b", "down", "down", "down", "down", "down")
            if state == "confirm":
                await pilot.press("enter", "down", "enter")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
