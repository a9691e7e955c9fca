"""The app on every file of the damaged-file corpus (``tests/corpus/``): the recovery screen names
the problem, the backups are listed with their state, nothing crashes, no screen is ever given a
record that was not checked, and not one byte changes on disk."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.recovery import RecoveryScreen
from outlook_tui.store import JsonStore, Snapshot, quickcheck
from tests.app.conftest import recovery_with_backups
from tests.conftest import CORPUS, EXPECT, NAMES, every_byte, notices, settle, write_store


def count_disk_polls(app: OutlookApp) -> list[None]:
    """One item per look the disk watch takes (its timer calls ``app.sync.poll``)."""
    polls: list[None] = []
    poll = app.sync.poll

    def counted() -> None:
        polls.append(None)
        poll()

    app.sync.poll = counted  # type: ignore[method-assign]
    return polls


def watch_what_screens_get(app: OutlookApp) -> list[Snapshot]:
    """Every snapshot the app hands its screens, to check each was validated."""
    published: list[Snapshot] = []
    publish = app.sync.publish

    def recording(snapshot: Snapshot, *args: Any, **kwargs: Any) -> None:
        published.append(snapshot)
        publish(snapshot, *args, **kwargs)

    app.sync.publish = recording  # type: ignore[method-assign]
    return published


def checked(snapshot: Snapshot) -> bool:
    """Validated whole, or (a first paint) every record shown passed the quick check."""
    return snapshot.validated or all(quickcheck.organization_ok(r) for r in snapshot.records)


@pytest.mark.parametrize("name", NAMES)
async def test_the_recovery_screen_names_the_problem(name: str, tmp_path: Path) -> None:
    store_path = tmp_path / "store.json"
    good = write_store(tmp_path / "good.json", ["Acme", "Globex"], revision=4)
    backups = tmp_path / "store.json.backups"
    backups.mkdir()
    shutil.copyfile(good, backups / "r000000004-20260115T093000000000000Z.json")
    shutil.copyfile(CORPUS / name, backups / "r000000005-20260115T093100000000000Z.json")
    shutil.copyfile(CORPUS / name, store_path)
    os.unlink(good)
    before = every_byte(tmp_path)

    app = OutlookApp(JsonStore(store_path), watch_seconds=0.1)
    published = watch_what_screens_get(app)
    polls = count_disk_polls(app)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await recovery_with_backups(pilot, 2)
        text = str(screen.query_one("#recovery-error").render())
        assert EXPECT[name] in text
        states = [state for _, _, state in screen.backups]
        assert states[0].startswith("damaged: ") and states[1].startswith("valid, 2 organ")
        # The disk watch looks again and again: it must not stack screens nor write.
        await settle(pilot, lambda: len(polls) >= 3, "the disk watch to look three times")
        assert app.screen is screen
    assert all(checked(s) for s in published)
    assert every_byte(tmp_path) == before


async def test_a_damaged_record_after_the_first_screen_is_never_shown(tmp_path: Path) -> None:
    """The first paint shows the checked head; the damage further down opens the recovery
    screen once the whole file is validated."""
    names = [f"Org {n:03d}" for n in range(200)]
    store_path = write_store(tmp_path / "store.json", names)
    text = store_path.read_text().replace('"name": "Org 150"', '"name": 150')
    store_path.write_text(text)
    before = every_byte(tmp_path)
    app = OutlookApp(JsonStore(store_path), watch_seconds=0)
    published = watch_what_screens_get(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, RecoveryScreen)
                     and app.screen.is_mounted)
        await pilot.pause()
        assert "organizations[150].name: input should be a valid string" in str(
            app.screen.query_one("#recovery-error").render())
    assert published and all(checked(s) for s in published)
    assert all(len(s.records) < 150 for s in published)
    assert every_byte(tmp_path) == before


@pytest.mark.parametrize("kind", ["fifo", "symlink", "hard link"])
async def test_a_save_through_a_planted_lock_file_is_refused_and_says_why(
        kind: str, tmp_path: Path) -> None:
    from outlook_tui.app.screens.configuration import ConfigurationScreen
    from tests.app.conftest import open_configuration
    from tests.conftest import settle as settle_app

    store_path = write_store(tmp_path / "shared" / "store.json", ["Acme"])
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"not yours\n")
    lock = tmp_path / "shared" / "store.json.lock"
    if kind == "fifo":
        os.mkfifo(lock)
    elif kind == "symlink":
        lock.symlink_to(victim)
    else:
        os.link(victim, lock)
    before = every_byte(tmp_path)
    app = OutlookApp(JsonStore(store_path), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await pilot.press("space")  # clear Use System on the first setting: an edit
        await pilot.press("ctrl+s")
        await settle_app(pilot)
        said = "\n".join(f"{n.title}: {n.message}" for n in notices(app))
        assert str(lock) in said and "refusing" in said, said
        assert isinstance(app.screen, ConfigurationScreen) and screen.form.model.dirty
    assert every_byte(tmp_path) == before


async def test_read_ahead_while_the_app_starts_a_damaged_store_opens_recovery(
        tmp_path: Path) -> None:
    """As ``outlook-tui`` starts the app (cli/tui.py): the first rows read in a thread while
    Textual starts. A store that fails there fails as if read at the first paint."""
    from outlook_tui.store.ahead import FirstRows

    store_path = tmp_path / "store.json"
    name = NAMES[0]
    shutil.copyfile(CORPUS / name, store_path)
    before = every_byte(tmp_path)
    store = JsonStore(store_path)
    app = OutlookApp(store, watch_seconds=0, first_rows=FirstRows(store))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, RecoveryScreen)
                     and app.screen.is_mounted)
        assert EXPECT[name] in str(app.screen.query_one("#recovery-error").render())
    assert every_byte(tmp_path) == before
