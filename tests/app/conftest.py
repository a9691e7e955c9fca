"""What the app's tests share: getting to a screen the way a person does, then waiting with
:func:`tests.conftest.settle` (the one way app tests wait)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.notices import NoticeArea
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.app.screens.recovery import RecoveryScreen
from outlook_tui.store import JsonStore
from outlook_tui.store.history import HistoryEntry, encode
from tests.conftest import settle, shown_notices

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


async def recovery_with_backups(pilot: Pilot[Any], count: int) -> RecoveryScreen:
    """The recovery screen a damaged store opens, once it lists its ``count`` backups."""
    app = pilot.app
    await settle(pilot, lambda: isinstance(app.screen, RecoveryScreen), "the recovery screen")
    screen = app.screen
    assert isinstance(screen, RecoveryScreen)
    await settle(pilot, lambda: len(screen.backups) == count, f"{count} backups")
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


async def type_own_value(pilot: Pilot[Any], name: str, text: str) -> None:
    """In the form: Use System cleared beside ``name`` and ``text`` typed as its own value
    (not saved)."""
    await to_checkbox(pilot, name)
    await pilot.press("space", "tab")
    await type_into(pilot, text)


async def override_crm(pilot: Pilot[Any], value: str = "300") -> None:
    """From the organizations grid: the highlighted organization's Configuration (``c``),
    Use System cleared on CRM Sync Interval and ``value`` typed; not saved."""
    app = pilot.app
    await pilot.press("c")
    await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                 and app.screen.form.loaded, "the configuration form")
    await type_own_value(pilot, CRM, value)


def status_text(screen: OrganizationsScreen) -> str:
    return str(screen.query_one("#status").render())


# -- the support staff's case: Effective settings, Compare, History --------------------------

#: "Acme syncs every 5 minutes": its CRM interval is its own 300 while the system says 600; it
#: also stores Tasks = Yes, the default it would inherit anyway (a stale override).
SUPPORT_CASE: list[Any] = [
    {"name": "Acme", "overrides": {"contacts_sync_interval_orocrm": 300,
                                   "tasks_enabled": True}},
    "Globex",
    {"name": "Initech", "overrides": {"contacts_sync_direction": "OroCRMToOutlook"}},
    "Umbrella",
]
SYSTEM = {"contacts_sync_interval_orocrm": 600}
ACME, GLOBEX, INITECH, UMBRELLA = 1, 2, 3, 4


def read_only_app(make_store: Callable[..., JsonStore], **kwargs: Any) -> OutlookApp:
    store = make_store(SUPPORT_CASE, SYSTEM, read_only=True, **kwargs)
    return OutlookApp(store, watch_seconds=0, location_label="store.json")


@asynccontextmanager
async def reading_as_support(make_store: Callable[..., JsonStore], store_path: Path,
                             screen: Screen[Any] | None = None, *,
                             history: list[dict[str, Any]] | None = None,
                             **kwargs: Any) -> AsyncIterator[Pilot[Any]]:
    """Support staff in the read-only ``SUPPORT_CASE`` store at 80x24 (with ``history`` as
    :func:`fixed_history` writes it), the organizations loaded, then on ``screen`` when given.
    Whatever they do, the store's bytes are the same afterwards."""
    app = read_only_app(make_store, **kwargs)
    if history is not None:
        fixed_history(store_path, history)
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        if screen is not None:
            await app.push_screen(screen)
            await pilot.pause()
        yield pilot
    assert store_path.read_bytes() == before


def fixed_history(store_path: Path, entries: list[dict[str, Any]]) -> None:
    """History lines as the store writes them, with fixed times for snapshots."""
    lines = []
    for number, fields in enumerate(entries, start=1):
        base: dict[str, Any] = {
            "time": f"2026-01-15T09:{30 + number:02d}:00Z", "user": "alice",
            "ssh_client": "10.0.0.5", "revision": number, "scope": "organization",
            "organization_id": ACME, "organization_name": "Acme", "key": None, "old": None,
            "new": None}
        base.update(fields)
        lines.append(HistoryEntry(**base))
    store_path.with_name("store.history.jsonl").write_bytes(encode(lines))
    # The store saved with its last line: a file changed later would be a hand edit.
    saved = dt.datetime.strptime(lines[-1].time, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    os.utime(store_path, (saved.timestamp(), saved.timestamp()))


def support_snapshot_app(make_store: Callable[..., JsonStore], store_path: Path) -> OutlookApp:
    app = read_only_app(make_store, revision=3)
    fixed_history(store_path, [
        {"key": "oro_crm_pro_outlook.contacts_sync_interval_orocrm", "old": None, "new": 300},
        {"key": "oro_crm_pro_outlook.tasks_enabled", "old": None, "new": True},
        {"organization_id": INITECH, "organization_name": "Initech",
         "key": "oro_crm_pro_outlook.contacts_sync_direction", "old": "Both",
         "new": "OroCRMToOutlook"},
    ])
    return app


def uncovered(widget: Widget, within: Widget | None = None) -> bool:
    """Every cell of ``widget`` (of the part inside ``within``'s window) shows ``widget`` or
    what it holds: nothing lies over it."""
    screen = widget.screen
    region = widget.region.intersection((within or screen).region)
    assert region.area, f"{widget!r} is not on the screen"
    return all(
        (hit := screen.get_widget_at(x, y)[0]) is widget or widget in hit.ancestors
        for y in range(region.y, region.bottom) for x in range(region.x, region.right))


def notice_on_screen(screen: Any) -> Static:
    """The newest notice as drawn (its cells are its own: it is really on the screen)."""
    area = screen.query_one(NoticeArea)
    assert area.display
    notice = area.query(".notice").first(Static)
    assert uncovered(notice)
    return notice


def form_readable(screen: Any, field_id: str) -> bool:
    """Every label of the form in its window, and the field ``field_id`` (the one in use),
    show with nothing over them."""
    form = screen.query_one("#settings-form")
    labels = [label for label in screen.query(".field-label")
              if label.region.intersection(form.region).area]
    assert len(labels) >= 2
    field = screen.app.focused
    assert field is not None and field.id == field_id
    return all(uncovered(widget, form) for widget in [*labels, field])


async def the_saves_one_notice(pilot: Pilot[Any]) -> Any:
    """Save the form (ctrl+s); the one notice the save left on the screen."""
    await pilot.press("ctrl+s")
    await settle(pilot, lambda: bool(shown_notices(pilot.app)), "the save's notice")
    await settle(pilot)
    [saved] = shown_notices(pilot.app)
    return saved
