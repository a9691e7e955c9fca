"""Regenerate ``screenshots/*.svg`` from the real app at 80x24 (``make screenshots``).

Each picture is taken on a demo store made here, by driving the app with keys as a user would.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from outlook_tui.app.app import OutlookApp
from outlook_tui.store import JsonStore
from outlook_tui.store.json.document import serialize
from outlook_tui.store.snapshot import sort_key

SIZE = (80, 24)
TIME = "2026-11-20T08:15:00Z"

DEMO = [
    ("Acme Corporation", True, {"contacts_sync_interval_orocrm": 300, "tasks_enabled": False,
                                "contacts_sync_direction": "Both"}),
    ("Globex", True, {"contacts_sync_direction": "OutlookToOroCRM"}),
    ("Initech", False, {}),
    ("Hooli", True, {}),
    ("Umbrella Health", True, {"contacts_sync_interval_outlook": 60,
                               "calendar_events_enabled": False}),
    ("Stark Industries", True, {}),
    ("Wayne Enterprises", True, {"contacts_conflict_resolution": "OutlookAlwaysWins"}),
    ("Default Organization", True, {}),
]


def demo_store(directory: Path) -> JsonStore:
    records = [
        {"id": number, "name": name, "description": "", "enabled": enabled,
         "created_at": TIME, "updated_at": TIME, "overrides": overrides}
        for number, (name, enabled, overrides) in enumerate(DEMO, start=1)
    ]
    records.sort(key=lambda r: sort_key(str(r["name"])))
    path = directory / "store.json"
    path.write_bytes(serialize({
        "schema_version": 1, "store_id": "demo", "revision": 42,
        "system": {"tasks_enabled": False}, "organizations": records,
    }))
    return JsonStore(path)


async def _loaded(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, OutlookApp)
    for _ in range(200):
        if app.validated:
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def shoot(name: str, steps: Callable[[Pilot[None]], Awaitable[None]], out: Path) -> None:
    with tempfile.TemporaryDirectory() as directory:
        app = OutlookApp(demo_store(Path(directory)), watch_seconds=0,
                         location_label="/srv/outlook-tui/store.json")
        async with app.run_test(size=SIZE) as pilot:
            await _loaded(pilot)
            await steps(pilot)
            await pilot.pause(0.3)
            app.save_screenshot(filename=f"{name}.svg", path=str(out))
    print(f"{out / name}.svg")


async def organizations(pilot: Pilot[None]) -> None:
    await pilot.press("down")


async def configuration(pilot: Pilot[None]) -> None:
    await pilot.press("c")  # Acme Corporation: three overrides, one equal to the default


async def validation_error(pilot: Pilot[None]) -> None:
    await pilot.press("down", "c")  # Default Organization
    await pilot.pause()
    await pilot.press("tab", "tab", "space", "tab", "ctrl+u", "9", "0", "0", "0", "0")
    await pilot.pause()
    await pilot.press("ctrl+s")


async def help_screen(pilot: Pilot[None]) -> None:
    await pilot.press("f1")


async def effective_settings(pilot: Pilot[None]) -> None:
    await pilot.press("i")


async def matrix(pilot: Pilot[None]) -> None:
    await pilot.press("m")


async def history(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, OutlookApp)
    from outlook_tui.store import SettingChange

    await app.commit([SettingChange(1, "contacts_sync_interval_orocrm", 300, 600)])
    await app.commit([SettingChange(1, "tasks_enabled", False, None),
                      SettingChange(1, "contacts_sync_direction", "Both", "OroCRMToOutlook")])
    await pilot.press("h")  # Acme Corporation


async def bulk_apply(pilot: Pilot[None]) -> None:
    # Three organizations marked, the filter hiding one of them; CRM Sync Interval chosen.
    await pilot.press("space", "space", "space", "slash", *"x", "enter", "b")
    await pilot.pause()
    await pilot.press("down", "down")


SHOTS: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "organizations": organizations,
    "configuration": configuration,
    "validation-error": validation_error,
    "help": help_screen,
    "effective-settings": effective_settings,
    "matrix": matrix,
    "history": history,
    "bulk-apply": bulk_apply,
}


async def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, steps in SHOTS.items():
        await shoot(name, steps, out)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
