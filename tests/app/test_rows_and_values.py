"""Rows and values told apart: Compare never cuts two names so that they look alike; it shows
only stale overrides, or only the marked organizations, side by side; its compact values come
with Oro's words for them."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.matrix import MatrixScreen
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.catalog import BY_NAME
from outlook_tui.compare import Comparison, format_table
from outlook_tui.store import JsonStore
from tests.app.conftest import CRM, loaded
from tests.conftest import settle

#: Support's case: two Atlas Cedar organizations, only one of them with a stale override.
ORGS: list[Any] = [
    {"name": "Atlas Cedar Forest Products", "overrides": {CRM: 120}},  # 120 is the default
    {"name": "Atlas Cedar Forestry Group", "overrides": {CRM: 300}},
    "Globex Corporation",
    "Initech",
]


def make_app(store: JsonStore) -> OutlookApp:
    return OutlookApp(store, watch_seconds=0, location_label="store.json")


async def open_compare(pilot: Any, *keys: str) -> tuple[MatrixScreen, VirtualTable]:
    app = pilot.app
    await loaded(pilot)
    await pilot.press(*keys, "m")
    await settle(pilot, lambda: isinstance(app.screen, MatrixScreen), "Compare")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, MatrixScreen)
    return screen, screen.query_one(VirtualTable)


def name_cells(table: VirtualTable, rows: int) -> list[str]:
    """What the name column shows on each row, as drawn at 80 columns."""
    end = table.render_line(0).text.index("Direction")  # where the name column ends
    return [table.render_line(1 + row).text[:end].strip() for row in range(rows)]


async def test_two_long_names_that_start_alike_read_differently(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        _, table = await open_compare(pilot)
        shown = name_cells(table, 2)
        assert shown[0] != shown[1], shown
        assert shown == ["Atlas Ceda…ducts", "Atlas Ceda…Group"]  # each keeps its end


async def test_stale_only_beside_only_overrides(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen, _ = await open_compare(pilot)
        assert screen.comparison is not None and len(screen.comparison) == 4
        await pilot.press("o")
        assert [r.name for r in screen.comparison] == ["Atlas Cedar Forest Products",
                                                       "Atlas Cedar Forestry Group"]
        await pilot.press("s")
        assert [r.name for r in screen.comparison] == ["Atlas Cedar Forest Products"]
        assert "stale override" in str(screen.query_one("#status", Static).render())
        await pilot.press("o", "s")  # both off again: everyone
        assert len(screen.comparison) == 4


async def test_the_marked_organizations_side_by_side(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        # Mark Atlas Cedar Forest Products and Initech (the first and the last), then m.
        screen, _ = await open_compare(pilot, "space", "down", "down", "space")
        assert screen.comparison is not None
        assert [r.name for r in screen.comparison] == ["Atlas Cedar Forest Products",
                                                       "Initech"]
        assert screen.title == "Compare 2 marked organizations"


async def test_compact_values_come_with_oros_words(make_store: Any) -> None:
    app = make_app(make_store(ORGS))
    async with app.run_test(size=(80, 24)) as pilot:
        screen, _ = await open_compare(pilot)
        await pilot.press("right")  # the Direction column
        legend = str(screen.query_one("#legend", Static).render())
        assert "Direction: Sync Direction" in legend
        assert "Both ways = Bidirectional" in legend
        assert "To OroCRM = Outlook to OroCRM" in legend
        await pilot.press("right")
        legend = str(screen.query_one("#legend", Static).render())
        assert "OroCRM = OroCRM always wins" in legend


def test_the_catalog_is_the_one_source_of_both_words(make_store: Any) -> None:
    direction = BY_NAME["contacts_sync_direction"]
    assert direction.legend() == ("To Outlook = OroCRM to Outlook, To OroCRM = Outlook to "
                                  "OroCRM, Both ways = Bidirectional")
    assert BY_NAME["tasks_enabled"].legend() == ""
    text = format_table(Comparison(make_store(ORGS).load()))  # outlook-tui diff's table
    assert "Direction: Sync Direction (To Outlook = OroCRM to Outlook" in text
