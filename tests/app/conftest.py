"""What the app's tests share: getting to a screen the way a person does, then waiting with
:func:`tests.conftest.settle` (the one way app tests wait)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.organizations import OrganizationsScreen
from tests.conftest import settle

CRM = "contacts_sync_interval_orocrm"

#: Five organizations in a mixed state: an inactive one, one with two overrides.
ORGS: list[Any] = [
    "Acme",
    {"name": "Globex", "enabled": False},
    {"name": "Initech", "overrides": {"tasks_enabled": False,
                                      "contacts_sync_interval_orocrm": 300}},
    "Umbrella",
    "Acme Europe",
]


async def loaded(pilot: Pilot[Any]) -> OrganizationsScreen:
    """The organizations screen once the whole store is validated and every worker is done."""
    app = pilot.app
    await settle(pilot, lambda: getattr(app, "validated", False)
                 and isinstance(app.screen, OrganizationsScreen), "the store to load")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, OrganizationsScreen)
    return screen


async def open_configuration(pilot: Pilot[Any], organization_id: int | None
                             ) -> ConfigurationScreen:
    """An organization's (None: the system's) Configuration, its form loaded."""
    app = pilot.app
    assert isinstance(app, OutlookApp)
    await settle(pilot, lambda: app.validated, "the store to load")
    app.open_configuration(organization_id)
    await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                 and bool(app.screen.query("#settings-form")) and app.screen.form.loaded,
                 "the form")
    screen = app.screen
    assert isinstance(screen, ConfigurationScreen)
    return screen


async def to_checkbox(pilot: Pilot[Any], name: str) -> None:
    """Tab from the first field to ``name``'s Use System checkbox (value controls of
    inheriting fields are skipped: they are disabled)."""
    for _ in range(30):
        if pilot.app.focused is not None and pilot.app.focused.id == f"inherit-{name}":
            return
        await pilot.press("tab")
    raise AssertionError(f"could not tab to {name}")


async def type_into(pilot: Pilot[Any], text: str) -> None:
    """Replace the focused input's text, typed key by key."""
    await pilot.press("end", "ctrl+u", *text)


def status_text(screen: OrganizationsScreen) -> str:
    return str(screen.query_one("#status").render())
