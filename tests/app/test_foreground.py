"""Keys and the admin's own saves go before the whole store read in the background: the read
steps aside (app/foreground.py) from a key until its effect is painted, and for a save until
its outcome is."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from textual.binding import Binding

from outlook_tui.app import app as app_module
from outlook_tui.app.app import OutlookApp
from outlook_tui.app.foreground import PAINT_WAIT, Foreground, imports_step_aside
from outlook_tui.store import Change, CommitResult
from outlook_tui.store.json import JsonStore
from outlook_tui.store.waiting import SaveControl
from tests.app.conftest import CRM, open_configuration, the_saves_one_notice, to_checkbox
from tests.conftest import settle, wait_until, write_store

#: Longer than any test runs: a wait of the read ends by what the test does, never by time.
FOREVER = 3600.0


class Clock:
    """A clock that moves only when the test moves it: no paint awaited expires by itself,
    however slow a busy machine makes the test."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def steady() -> Foreground:
    return Foreground(Clock(), longest_wait=FOREVER)


def test_a_read_waits_while_the_person_waits_and_goes_on_after() -> None:
    foreground = steady()
    foreground.key()
    assert foreground.busy
    reader = threading.Thread(target=foreground.pause)
    reader.start()
    wait_until(foreground.reader_waiting.is_set, "the read stepping aside")
    assert reader.is_alive()
    foreground.painted()  # what the key did is on screen
    reader.join(timeout=60)
    assert not reader.is_alive() and not foreground.busy and foreground.waits == 1


def test_an_operation_keeps_the_read_aside_until_its_outcome_is_shown() -> None:
    foreground = steady()
    painted: list[Callable[[], None]] = []
    with foreground.operation(painted.append):
        assert foreground.busy
    assert foreground.busy, "the outcome is not on screen yet"
    painted.pop()()
    assert not foreground.busy
    with foreground.operation():  # nothing to paint: over as it ends
        pass
    assert not foreground.busy


def test_a_paint_that_never_comes_holds_the_read_back_a_moment_only() -> None:
    clock = Clock()
    foreground = Foreground(clock, longest_wait=FOREVER)
    foreground.key()  # its screen is closed before anything is painted
    with foreground.operation(lambda done: None):  # nor is this one's outcome
        pass
    assert foreground.busy
    clock.now += PAINT_WAIT
    assert not foreground.busy
    foreground.pause()  # goes on at once
    assert foreground.waits == 0


def test_a_driver_imported_by_the_read_waits_module_by_module_for_the_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The read's first connection imports the database's driver (a hundred modules): while
    a key waits to be painted, the import stops before its next module; the app's own
    imports meanwhile go on."""
    for name, body in (("slow_driver", "import slow_driver_part\n"), ("slow_driver_part", ""),
                       ("app_module", "")):
        (tmp_path / f"{name}.py").write_text(body)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("slow_driver", "slow_driver_part", "app_module"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    foreground = steady()
    foreground.key()

    def read() -> None:
        with imports_step_aside(foreground.pause_for_keys):
            __import__("slow_driver")  # as the driver's own import statements import

    reader = threading.Thread(target=read)
    reader.start()
    wait_until(foreground.reader_waiting.is_set, "the import stepping aside")
    assert "slow_driver" not in sys.modules
    __import__("app_module")  # the key's own work: not held back
    foreground.painted()
    reader.join(timeout=60)
    assert not reader.is_alive()
    assert {"slow_driver", "slow_driver_part"} <= set(sys.modules)
    foreground.key()  # the read is over: no longer stepping aside for its imports
    __import__("json.tool")
    assert foreground.waits == 1


def test_a_driver_imported_by_the_read_never_waits_for_a_save(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save (or one organization's read) running while the read imports the driver may be
    importing it too, and waits for the modules the read is in the middle of: the read's
    import goes on, and so the save does."""
    for name, body in (("busy_driver", "import busy_driver_part\n"), ("busy_driver_part", "")):
        (tmp_path / f"{name}.py").write_text(body)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("busy_driver", "busy_driver_part"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    foreground = steady()
    with foreground.operation():
        assert foreground.busy
        with imports_step_aside(foreground.pause_for_keys):
            __import__("busy_driver")
    assert {"busy_driver", "busy_driver_part"} <= set(sys.modules)
    assert foreground.waits == 0


def test_a_failed_operation_lets_the_read_go_on() -> None:
    foreground = steady()
    try:
        with foreground.operation():
            raise OSError("the database went away")
    except OSError:
        pass
    assert not foreground.busy


class NotingApp(OutlookApp):
    """The app, with a key that notes whether a background read would step aside now."""

    BINDINGS = [Binding("f9", "note_busy", "Note")]
    # Its styles where the app's are (a subclass's relative paths start from its own module).
    CSS_PATH = [str(Path(app_module.__file__).parent / path) for path in OutlookApp.CSS_PATH]

    def __init__(self, store: JsonStore) -> None:
        super().__init__(store, watch_seconds=0)
        self.sync.foreground = steady()
        self.busy_seen: list[bool] = []

    def action_note_busy(self) -> None:
        self.busy_seen.append(self.sync.foreground.busy)


class NotingStore(JsonStore):
    """The JSON store, noting whether a background read would step aside while it saves."""

    foreground: Foreground | None = None
    busy_seen: list[bool] = []

    def commit(self, base: object, changes: Sequence[Change],
               control: SaveControl | None = None) -> CommitResult:
        assert self.foreground is not None
        self.busy_seen.append(self.foreground.busy)
        return super().commit(base, changes, control)  # type: ignore[arg-type]


async def test_a_key_goes_before_the_background_read_until_it_is_painted(
        store_path: Path) -> None:
    write_store(store_path, ["Acme"])
    app = NotingApp(JsonStore(store_path, lock_timeout=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated, "the store to load")
        await pilot.press("f9")
        assert app.busy_seen == [True]
        await settle(pilot, lambda: not app.sync.foreground.busy, "the key's effect painted")


async def test_a_save_goes_before_the_background_read_until_its_notice_shows(
        store_path: Path) -> None:
    write_store(store_path, ["Acme"])
    store = NotingStore(store_path, lock_timeout=2)
    store.busy_seen = []
    app = OutlookApp(store, watch_seconds=0)
    store.foreground = app.sync.foreground = steady()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated, "the store to load")
        assert app.snapshot is not None
        await open_configuration(pilot, app.snapshot.find("Acme").id)
        await to_checkbox(pilot, CRM)
        await pilot.press("space")
        assert (await the_saves_one_notice(pilot)).title == "Configuration saved"
        assert store.busy_seen == [True]
        await settle(pilot, lambda: not app.sync.foreground.busy, "the notice painted")
