"""How the Configuration screen and its dialogs look at 80x24 (SVG snapshots)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.conflict import ConflictModal
from outlook_tui.app.screens.save_waiting import SaveWaitingModal
from outlook_tui.store import JsonStore, SettingChange
from outlook_tui.store.waiting import SaveControl, Waiting
from tests.app.conftest import CRM, open_configuration, type_own_value
from tests.conftest import settle


@pytest.mark.usefixtures("no_cursor_blink")
@pytest.mark.parametrize("state", ["entry", "override", "invalid", "help", "conflict",
                                   "choices", "save waiting"])
def test_configuration_looks_right_at_80x24(snap_compare, make_store, store_path, state,
                                           monkeypatch) -> None:
    store = make_store(
        ["Acme", {"name": "Globex", "overrides": {CRM: 300, "contacts_sync_direction":
                                                  "OutlookToOroCRM"}}],
        {CRM: 300})
    app = OutlookApp(store, watch_seconds=0, location_label="store.json")

    async def run_before(pilot: Pilot[None]) -> None:
        if state in ("override", "choices"):
            await open_configuration(pilot, 2)
        else:
            await open_configuration(pilot, 1)
        if state == "invalid":
            await type_own_value(pilot, CRM, "0")
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
        elif state == "help":
            await pilot.press("f1")
        elif state == "choices":  # the open choice list has a frame: nothing runs into it
            await pilot.press("tab", "enter")
            await settle(pilot, lambda: app.screen.query_one(
                "#value-contacts_sync_direction").has_class("-expanded"), "the choice list")
        elif state == "conflict":
            await type_own_value(pilot, CRM, "600")
            other = JsonStore(store_path)
            # Another admin, named the same on every machine that runs this test.
            monkeypatch.setattr("outlook_tui.store.json.store.current_user", lambda: "bob")
            other.commit(other.load(), [SettingChange(1, CRM, None, 500)])
            await pilot.press("ctrl+s")
            await settle(pilot, lambda: isinstance(app.screen, ConflictModal), "the conflict")
            await settle(pilot, lambda: "bob" in str(
                app.screen.query_one("#conflict-title").render()), "the other admin's name")
        elif state == "save waiting":  # as a save behind Oro's own save shows it
            await type_own_value(pilot, CRM, "600")
            await app.push_screen(SaveWaitingModal(SaveControl(), Waiting(
                "Oro's settings rows (oro_config, oro_config_value)",
                ("oro_web (php-fpm, pid 4242, from 10.0.0.5)",))))
            await settle(pilot, lambda: isinstance(app.screen, SaveWaitingModal), "the dialog")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
