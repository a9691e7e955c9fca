"""A full garbage collection never lands between a key and its paint: what is long-lived is
frozen out of its way, and garbage is collected once the user is quiet (app/memory.py)."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
import textual.app

from outlook_tui.app import crash
from outlook_tui.app.app import OutlookApp
from outlook_tui.app.memory import QuietCollector
from outlook_tui.cli import tui
from outlook_tui.cli.main import main
from outlook_tui.store.snapshot import Snapshot
from tests.app.conftest import loaded
from tests.app.screen import screen_text
from tests.conftest import StoreFactory, settle


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Node:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


def frozen(thing: object) -> bool:
    """Tracked by the collector, yet in none of its generations: in the permanent one."""
    return gc.is_tracked(thing) and all(o is not thing for o in gc.get_objects())


def test_what_is_in_place_when_a_snapshot_settles_is_frozen_at_once() -> None:
    collector = QuietCollector(clock=Clock())
    organization = {"id": 1, "overrides": {}}
    assert not frozen(organization)
    collector.settled()
    assert frozen(organization)


def test_garbage_left_behind_is_collected_only_once_the_user_is_quiet() -> None:
    clock = Clock()
    collector = QuietCollector(quiet_seconds=1.0, clock=clock)
    old = Node()
    gone = weakref.ref(old)
    collector.settled()  # the old snapshot is frozen with what the screens held
    del old  # ... then a new one replaces it: its cycle is garbage, frozen

    clock.now += 0.5
    collector.activity()  # a key
    clock.now += 0.9
    assert not collector.tick(), "collected while the user was typing"
    gc.collect()
    assert gone() is not None, "frozen garbage is out of the collector's reach"

    clock.now += 0.2
    assert collector.tick()
    assert gone() is None
    survivor = {"overrides": {}}
    assert not frozen(survivor)
    assert not collector.tick(), "one collection per new snapshot, not one per tick"


async def test_a_loaded_store_is_out_of_the_full_collections_way(
        make_store: StoreFactory) -> None:
    names = [f"Organization {n:04}" for n in range(300)]
    app = OutlookApp(make_store(names), watch_seconds=0)
    app.collector = QuietCollector(quiet_seconds=0.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        assert app.snapshot is not None
        await settle(pilot, lambda: app.collector.collections >= 1, "the quiet collection")
        records = app.snapshot.records
        assert len(records) == 300
        assert all(frozen(record) for record in records[::50])
        await pilot.press("down", "down")
        assert all(frozen(record) for record in records[::50])


def test_while_a_store_is_read_in_the_background_nothing_is_collected() -> None:
    """Reading 100k organizations set off full collections, each walking all read so far,
    while keys waited; and the reading thread kept the interpreter 5 ms at a time."""
    import sys

    from outlook_tui.app.memory import READING_SWITCH_INTERVAL, reading_in_background

    interval = sys.getswitchinterval()
    with reading_in_background():
        with reading_in_background():  # a reload while the first read is still on
            assert not gc.isenabled()
            assert sys.getswitchinterval() == READING_SWITCH_INTERVAL
            organization = {"id": 1, "overrides": {}}
        assert not gc.isenabled()  # the first read goes on
    assert gc.isenabled() and sys.getswitchinterval() == interval
    # What was read is out of the next collection's way.
    assert frozen(organization)


def test_a_read_that_fails_gives_back_the_switch_interval_and_the_collector() -> None:
    import sys

    from outlook_tui.app.memory import reading_in_background

    interval = sys.getswitchinterval()
    try:
        with reading_in_background():
            raise OSError("the database went away")
    except OSError:
        pass
    assert gc.isenabled() and sys.getswitchinterval() == interval


def test_what_the_start_imported_and_built_is_frozen_before_the_app_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, acme: Path) -> None:
    """The start-up's own full collections walked Textual's and the app's objects, in the
    first frames, and delayed the first key pressed once the first rows showed."""
    seen: dict[str, bool] = {}

    def run(app: OutlookApp) -> int:  # instead of running it: what the app starts with
        seen["app"] = frozen(app)
        seen["textual"] = frozen(vars(textual.app))
        return 0

    monkeypatch.setattr(crash, "run", run)
    monkeypatch.setattr(tui, "missing_terminal", lambda: None)
    monkeypatch.setattr(tui, "exit_on_hangup", lambda **given: None)
    try:
        assert main(["--store", str(acme)]) == 0
    finally:
        gc.unfreeze()
    assert seen == {"app": True, "textual": True}


async def test_the_filters_folded_names_are_built_by_the_background_read(
        make_store: StoreFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Casefolding 100k names took ~20 ms on the UI thread when the whole store was shown
    with a filter on (or at the first filter key after it): the read's thread builds them."""
    built_in: list[str] = []
    original = Snapshot.folded_names

    def folded_names(self: Snapshot, pause: Callable[[], None] | None = None) -> list[str]:
        if self._folded is None:
            built_in.append(threading.current_thread().name)
        return original(self, pause)

    monkeypatch.setattr(Snapshot, "folded_names", folded_names)
    app = OutlookApp(make_store([f"Organization {n:04}" for n in range(300)]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"organization 01")
        await settle(pilot)
        assert "filter “organization 01”: 100 shown" in screen_text(app)
    assert built_in and threading.main_thread().name not in built_in
