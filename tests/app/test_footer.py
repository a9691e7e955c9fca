"""The footer is built once a screen has started, and built again only when the keys it shows
change: a refresh of the screen's bindings that changes nothing (a focus, the screen stack)
leaves its keys as they are."""

from __future__ import annotations

from typing import Any

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.widgets.footer import KeysFooter
from tests.app.conftest import ORGS, loaded
from tests.conftest import settle


async def test_the_footer_is_built_again_only_when_its_keys_change(make_store: Any) -> None:
    app = OutlookApp(make_store(ORGS), watch_seconds=0, location_label="store.json")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        footer = screen.query_one(KeysFooter)
        built = footer.listed_keys()
        assert "Mark" in {key.description for key in built}
        screen.refresh_bindings()  # as a focus or the screen stack does: the same keys
        await settle(pilot)
        assert footer.listed_keys() == built, "the same keys, not built again"
        await pilot.press("space")  # a mark: Apply and Reset come into the footer
        await settle(pilot)
        now = footer.listed_keys()
        assert now != built
        assert {"Apply", "Reset"} <= {key.description for key in now}
