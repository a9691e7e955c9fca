"""The app as a whole: the command palette, other admins' saves noticed, and a damaged store
that opens the recovery screen instead of a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.pilot import Pilot

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.app.screens.recovery import RecoveryScreen
from outlook_tui.store import JsonStore, SettingChange
from outlook_tui.store.identity import current_user
from tests.app.conftest import recovery_with_backups
from tests.conftest import StoreFactory, notices, settle, write_store


def messages(app: OutlookApp) -> str:
    return "\n".join(f"{n.title}: {n.message}" for n in notices(app))


@pytest.mark.parametrize(("typed", "organization_id"), [("glbx", 2), ("system config", None)],
                         ids=["an organization by a few letters of its name",
                              "the system configuration"])
async def test_palette_opens_a_configuration(make_store: StoreFactory, typed: str,
                                             organization_id: int | None) -> None:
    app = OutlookApp(make_store(["Acme", "Globex", "Initech"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated)
        await pilot.press("ctrl+p", *typed)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen))
        screen = app.screen
        assert isinstance(screen, ConfigurationScreen)
        assert screen.organization_id == organization_id  # 2: Globex


async def test_a_save_by_another_admin_shows_up_with_who_made_it(make_store: StoreFactory) -> None:
    store = make_store(["Acme", "Globex"])
    app = OutlookApp(store, watch_seconds=0.1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated)
        other = JsonStore(store.path)
        base = other.load()
        other.commit(base, [SettingChange(1, "tasks_enabled", None, False)])
        await settle(pilot, lambda: app.snapshot is not None and app.snapshot.revision == 1)
        await settle(pilot, lambda: "Store updated" in messages(app))
        assert f"saved by {current_user()}" in messages(app)
        assert app.snapshot is not None
        assert app.snapshot.get(1).overrides == {"tasks_enabled": False}  # type: ignore[union-attr]


def damage(path: Path) -> bytes:
    text = path.read_text().replace('"tasks_enabled": false', '"tasks_enabled": "maybe"')
    path.write_text(text)
    return path.read_bytes()


async def test_a_damaged_store_opens_the_recovery_screen_naming_the_place(
        make_store: StoreFactory) -> None:
    store = make_store([{"name": "Acme", "overrides": {"tasks_enabled": False}}])
    damaged = damage(store.path)
    app = OutlookApp(store, watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, RecoveryScreen))
        await pilot.pause()
        text = str(app.screen.query_one("#recovery-error").render())
        assert "organizations[0].overrides.tasks_enabled: must be true or false" in text
    assert store.path.read_bytes() == damaged, "nothing was written"


async def test_admin_restores_the_newest_valid_backup_and_the_damaged_file_is_kept(
        store_path: Path) -> None:
    write_store(store_path, ["Acme", "Globex"])
    store = JsonStore(store_path)
    snapshot = store.load()
    snapshot = store.commit(snapshot, [SettingChange(1, "tasks_enabled", None, False)]).snapshot
    store.commit(snapshot, [SettingChange(2, "contacts_enabled", None, False)])
    damaged = damage(store_path)

    app = OutlookApp(JsonStore(store_path), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await recovery_with_backups(pilot, 2)
        await pilot.press("r")               # the newest valid backup is highlighted
        await pilot.pause()
        await pilot.press("enter")           # confirm
        await settle(pilot, lambda: isinstance(app.screen, OrganizationsScreen)
                     and app.validated and app.snapshot is not None
                     and app.snapshot.revision == 3)

    document = json.loads(store_path.read_text())
    assert document["revision"] == 3, "a restore is a new revision"
    acme = next(o for o in document["organizations"] if o["name"] == "Acme")
    assert acme["overrides"] == {"tasks_enabled": False}
    aside = list(store_path.parent.glob("store.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged


async def test_looking_at_a_backup_is_read_only(store_path: Path) -> None:
    write_store(store_path, ["Acme"])
    store = JsonStore(store_path)
    store.commit(store.load(), [SettingChange(1, "tasks_enabled", None, False)])
    damaged = damage(store_path)
    app = OutlookApp(JsonStore(store_path), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await recovery_with_backups(pilot, 1)
        await pilot.press("o")
        await settle(pilot, lambda: isinstance(app.screen, OrganizationsScreen))
        assert app.read_only
        assert "(backup)" in app.sub_title
        await pilot.press("n")               # New organization: refused, read-only
        await pilot.pause()
        assert "View only" in messages(app)
    assert store_path.read_bytes() == damaged


def test_recovery_screen_looks_right_at_80x24(snap_compare, store_path: Path) -> None:  # type: ignore[no-untyped-def]
    write_store(store_path, ["Acme"])
    store = JsonStore(store_path)
    store.commit(store.load(), [SettingChange(1, "tasks_enabled", None, False)])
    damage(store_path)
    backups = sorted(store.backups_path.iterdir())
    for number, backup in enumerate(backups):  # stable names, so the picture is stable
        backup.rename(backup.with_name(f"r{number:09d}-20260115T093000000000000Z.json"))
    app = OutlookApp(JsonStore(store_path), watch_seconds=0, location_label="store.json")

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot, lambda: isinstance(app.screen, RecoveryScreen)
                     and len(app.screen.backups) == 1)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
