"""Each screen's styles stay on that screen: a screen looks the same whichever screens were
opened before it (Compare once styled every ``#status`` and ``#detail`` of the app, and the
Create organization dialog's Status choice lost its options after it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.widget import Widget

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.bulk import ApplySettingModal, ResetOverridesModal
from outlook_tui.app.screens.confirm import ConfirmModal, UnsavedChangesModal
from outlook_tui.app.screens.conflict import ConflictModal
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.store import Conflict
from tests.app.conftest import ORGS, loaded
from tests.conftest import settle

#: Every screen and dialog, opened as the app opens it.
OPEN: dict[str, Callable[[OutlookApp], object]] = {
    "help": lambda app: app.open_help(),
    "configuration": lambda app: app.open_configuration(3),
    "system configuration": lambda app: app.open_configuration(None),
    "effective settings": lambda app: app.open_effective(3),
    "history": lambda app: app.open_history(3),
    "compare": lambda app: app.open_matrix(),
    "create organization": lambda app: app.open_organization_form(None, lambda _: None),
    "edit organization": lambda app: app.open_organization_form(
        app.snapshot.get(3) if app.snapshot else None, lambda _: None),
    "confirm": lambda app: app.push_screen(ConfirmModal("Reset the form?", "Nothing is saved.")),
    "unsaved changes": lambda app: app.push_screen(UnsavedChangesModal("One change.")),
    "apply a setting": lambda app: app.push_screen(ApplySettingModal(app.snapshot.records)),
    "reset overrides": lambda app: app.push_screen(ResetOverridesModal(app.snapshot.records)),
    "conflict": lambda app: app.push_screen(ConflictModal([Conflict(
        "Initech", "CRM Sync Interval", "contacts_sync_interval_orocrm", 3, None, 300, 600)])),
}

Layout = list[tuple[str, str, tuple[int, int, int, int]]]


def layout(screen: Screen[Any]) -> Layout:
    """Where each widget of ``screen`` is, by kind and id: what its styles decide."""
    def place(widget: Widget) -> tuple[int, int, int, int]:
        region = widget.region
        return (region.x, region.y, region.width, region.height)

    return [(type(w).__name__, w.id or "", place(w))
            for w in screen.walk_children(Widget, with_self=False) if w.display]


async def opened(pilot: Any, name: str) -> Layout:
    """Open ``name`` over the organizations, take its layout, and go back."""
    app = pilot.app
    OPEN[name](app)
    await settle(pilot, lambda: not isinstance(app.screen, OrganizationsScreen), name)
    await settle(pilot)
    seen = layout(app.screen)
    while len(app.screen_stack) > 1:
        app.pop_screen()
        await settle(pilot)
    return seen


async def layouts(make_store: Any, order: list[str]) -> dict[str, Layout]:
    app = OutlookApp(make_store(ORGS), watch_seconds=0, location_label="store.json")
    found: dict[str, Layout] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        for name in order:
            found[name] = await opened(pilot, name)
    return found


async def test_every_screen_looks_the_same_whichever_screens_came_before(
        make_store: Any) -> None:
    names = list(OPEN)
    after_all = await layouts(make_store, names + names)  # each after every other
    after_all_reversed = await layouts(make_store, names[::-1] + names[::-1])
    for name in names:
        first = (await layouts(make_store, [name]))[name]
        assert after_all[name] == first, f"{name} after the other screens"
        assert after_all_reversed[name] == first, f"{name} after the others, reversed"

