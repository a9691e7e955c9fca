"""Fixtures shared by the whole suite: stores made to order, the app on one, and the one way
app tests wait (:func:`settle`)."""

from __future__ import annotations

import gc
import os
import stat
import subprocess
import sys
import tomllib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest

# The app picks its symbols from TERM once, at import (outlook_tui.app.icons): snapshots are
# of what a modern terminal draws, whatever TERM the test run inherits (CI often has "dumb").
os.environ["TERM"] = "xterm-256color"

from outlook_tui.store import JsonStore
from outlook_tui.store.json.document import serialize
from outlook_tui.store.snapshot import sort_key
from tests.mysql.fixtures import (  # noqa: F401 (fixtures for every folder)
    _mysql_pool,
    mysql_db,
    mysql_server,
    mysql_store,
    mysql_store_factory,
    mysql_uri,
)
from tests.oro_seeds import ACME, ACME_SYSTEM
from tests.postgres.fixtures import (  # noqa: F401 (fixtures for every folder)
    _session_db,
    acme_db,
    acme_uri,
    oro_db,
    oro_uri,
    pg_server,
    pg_store,
    postgres_store_factory,
)

FIXED_TIME = "2026-01-15T09:30:00Z"


def pytest_sessionstart(session: pytest.Session) -> None:
    """A killed run's throwaway users and servers are swept at the next start (tests/sweep.py):
    once, by the controller (not by each xdist worker), before any test makes new ones."""
    if hasattr(session.config, "workerinput"):
        return
    from tests.sweep import sweep

    removed = sweep()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    for what in removed:
        if reporter is not None:
            reporter.write_line(f"swept what a killed test run left: {what}")
StoreFactory = Callable[..., JsonStore]


def write_store(
    path: Path,
    organizations: Iterable[str | Mapping[str, Any]] = ("Default Organization",),
    system: Mapping[str, Any] | None = None,
    revision: int = 0,
) -> Path:
    """Write a valid store file: organizations by name (or as partial records: name, enabled,
    description, overrides), ids in the order given, fixed timestamps."""
    records = []
    for number, org in enumerate(organizations, start=1):
        given = {"name": org} if isinstance(org, str) else dict(org)
        records.append({
            "id": given.get("id", number),
            "name": given["name"],
            "description": given.get("description", ""),
            "enabled": given.get("enabled", True),
            "created_at": given.get("created_at", FIXED_TIME),
            "updated_at": given.get("updated_at", FIXED_TIME),
            "overrides": dict(given.get("overrides", {})),
        })
    records.sort(key=lambda r: sort_key(r["name"]))
    document = {
        "schema_version": 1,
        "store_id": "0123456789abcdef0123456789abcdef",
        "revision": revision,
        "system": dict(system or {}),
        "organizations": records,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(serialize(document))
    return path



def run_cli(store: str | Path, *args: str, ok: bool = True,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m outlook_tui ARGS`` on ``store`` (``$OUTLOOK_TUI_STORE``), as a person runs it;
    with ``ok``, it must succeed."""
    # No config.toml unless a test gives one: tests/conftest.py points XDG_CONFIG_HOME at an
    # empty directory (a named file that is missing is an error).
    environment = {**os.environ, "OUTLOOK_TUI_STORE": str(store), "SSH_CLIENT": "",
                   "SSH_CONNECTION": "", **(env or {})}
    result = subprocess.run([sys.executable, "-m", "outlook_tui", *args], capture_output=True,
                            text=True, env=environment, timeout=60, check=False)
    if ok:
        assert result.returncode == 0, result.stderr
    return result


# -- the damaged-file corpus (tests/corpus/), shared by the CLI's and the app's tests ------------

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = tomllib.loads((CORPUS / "manifest.toml").read_text())["file"]
NAMES = [entry["name"] for entry in MANIFEST]
EXPECT = {entry["name"]: entry["expect"] for entry in MANIFEST}


def every_byte(directory: Path) -> dict[str, bytes | str | None]:
    """The directory tree as it is on disk: each path and its bytes (None for directories; for
    anything else, a link, a FIFO, a device: what it is, without opening it)."""
    found: dict[str, bytes | str | None] = {}
    for root, dirs, files in os.walk(directory):
        for name in dirs:
            found[os.path.relpath(os.path.join(root, name), directory)] = None
        for name in files:
            path = os.path.join(root, name)
            mode = os.lstat(path).st_mode
            target = os.readlink(path) if stat.S_ISLNK(mode) else ""
            found[os.path.relpath(path, directory)] = (
                Path(path).read_bytes() if stat.S_ISREG(mode)
                else f"{stat.filemode(mode)} {target}")
    return found


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    """The app freezes what is long-lived out of the garbage collector's reach (app/memory.py):
    in the test process that would keep every finished test's app. Each test starts and ends
    with nothing frozen."""
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def _own_config_directory(tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the config.toml of whoever runs the suite (nor its keymap or theme)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config-home")))
    monkeypatch.delenv("OUTLOOK_TUI_CONFIG", raising=False)


@pytest.fixture(autouse=True)
def _notices_stay_until_dismissed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A notice leaves the screen when the person dismisses it or leaves its screen, never
    because the clock moved: a story that reads what is shown (``shown_notices``, the screen,
    a snapshot) must not depend on reaching that step within a notice's 4 to 20 seconds,
    which a busy machine can spend between two steps of a story."""
    from textual.notifications import Notification

    monkeypatch.setattr(Notification, "has_expired", property(lambda _notification: False))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store.json"


@pytest.fixture
def acme(store_path: Path) -> Path:
    """A store file holding Acme and Globex (tests/oro_seeds.py: ``ACME``, ``ACME_SYSTEM``),
    at revision 0. On Oro's database: ``acme_db``, ``acme_uri``."""
    return write_store(store_path, ["Default Organization", *ACME], system=ACME_SYSTEM)


@pytest.fixture
def make_store(store_path: Path) -> StoreFactory:
    """``make_store(["Acme", {"name": "Globex", "overrides": {...}}], system={...})``"""

    def make(
        organizations: Iterable[str | Mapping[str, Any]] = ("Default Organization",),
        system: Mapping[str, Any] | None = None,
        *,
        read_only: bool = False,
        revision: int = 0,
    ) -> JsonStore:
        write_store(store_path, organizations, system, revision)
        return JsonStore(store_path, read_only=read_only, lock_timeout=2)

    return make


async def burst(pilot: Any, *keys: str) -> None:
    """Press ``keys`` as one read from the terminal delivers them (SSH, paste): all queued at
    once, no pause between them (``pilot.press`` waits for the app after every key). Returns
    once the app has handled them all."""
    from textual import events
    from textual.keys import key_to_character

    from outlook_tui.app.keymap import key_name

    app = pilot.app
    read = _keys_read(app)
    for key in keys:
        key = key_name(key)
        event = events.Key(key, key_to_character(key))
        event.set_sender(app)
        app._driver.send_message(event)
    await keys_handled(pilot, read + len(keys))
    await settle(pilot)


def _keys_read(app: Any) -> int:
    key_order = getattr(app, "key_order", None)
    return 0 if key_order is None else int(key_order.read)


async def keys_handled(pilot: Any, read: int) -> None:
    """Wait until the app has read ``read`` keys in all and every one has taken effect
    (outlook_tui.app.key_order). Counting matters: a key sent reaches the app's queue, and is
    read from it, a moment later (later still on a loaded machine), and until then nothing in
    the app says a key is coming."""
    app = pilot.app
    key_order = getattr(app, "key_order", None)
    if key_order is None:
        return
    await settle(pilot, lambda: not app.is_running
                 or (key_order.read >= read and not key_order.pending), "every key handled")


@pytest.fixture(autouse=True)
def _presses_wait_for_their_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pilot.press`` returns once the keys it pressed have taken effect, whatever the load.

    Textual's Pilot waits for the screen's queues and for the process to look idle (by the
    clock); the app holds keys back until the previous key's effects have run, so a press can
    return with its keys not even read yet. The press is Textual's; the wait is the app's own."""
    from textual.pilot import Pilot

    press = Pilot.press

    async def press_and_wait(self: Pilot[Any], *keys: str) -> None:
        read = _keys_read(self.app)
        await press(self, *keys)
        await keys_handled(self, read + sum(not key.startswith("wait:") for key in keys))

    monkeypatch.setattr(Pilot, "press", press_and_wait)


# -- waiting in app tests: one way, on Textual's own signals ---------------------------------------

T = TypeVar("T")

#: Only turns a hang into a failure that names what never happened: no test measures time.
HANG_SECONDS = 60.0


async def settle(pilot: Any, until: Callable[[], object] | None = None,
                 what: str = "the app to be idle") -> None:
    """The one way app tests wait. Without ``until``: until the app is idle, every worker
    finished (``Worker.wait``) and every message handled (``pilot.pause``). With it: until
    ``until()`` holds, letting the app work in between (a worker may wait on a dialog, so
    workers are awaited only while the condition does not hold yet).

    Waits on events, not on the clock: a save, a load, a screen pushed, the disk watch."""
    import asyncio
    import time

    from textual.worker import WorkerState

    app = pilot.app
    deadline = time.monotonic() + HANG_SECONDS
    idle = 0
    while True:
        await pilot.pause()
        busy = [w for w in app.workers
                if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        if until is not None and until():
            await pilot.pause()  # let the screen that just appeared finish mounting
            return
        # Idle twice in a row: what a finished worker set off (a dismissed dialog, a new
        # snapshot published) has been handled too.
        keys = getattr(app, "key_order", None)
        idle = idle + 1 if not busy and (keys is None or not keys.pending) else 0
        if until is None and idle >= 2:
            return
        if time.monotonic() > deadline:
            names = ", ".join(w.description or w.name or repr(w) for w in busy) or "none"
            raise AssertionError(f"waited in vain for {what} (workers running: {names}; "
                                 f"screen: {type(app.screen).__name__})")
        if busy:
            # Wake when a worker ends, or soon to look again (timers such as the disk watch).
            waits = [asyncio.ensure_future(_ended(w)) for w in busy]
            await asyncio.wait(waits, timeout=0.02, return_when=asyncio.FIRST_COMPLETED)
            for wait in waits:
                wait.cancel()
        else:
            await pilot.pause(0.01)


@asynccontextmanager
async def loaded_app(store: Any, **options: Any) -> AsyncIterator[tuple[Any, Any]]:
    """(the app, its pilot) on ``store`` at 80x24 (``options``: the app's, no disk watch
    unless given), once the whole store is read."""
    from outlook_tui.app.app import OutlookApp

    app = OutlookApp(store, **{"watch_seconds": 0, **options})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated, "the store to load")
        yield app, pilot


def saved_meanwhile(store_path: Path, *changes: Any) -> Any:
    """Another admin's save of ``changes`` to the JSON store at ``store_path``, from a process
    of their own: its CommitResult."""
    other = JsonStore(store_path)
    return other.commit(other.load(), list(changes))


def notices(app: Any) -> list[Any]:
    """What the app has told the person so far (``title``, ``message``, ``severity``), oldest
    first: the app's own record of its ``notify`` calls, whatever draws them on screen."""
    return list(app.notified)


def said(app: Any) -> str:
    """Every notification's message so far, one a line (for ``"..." in said(app)``)."""
    return "\n".join(str(n.message) for n in notices(app))


def shown_notices(app: Any) -> list[Any]:
    """The notifications on screen now (gone once expired, dismissed, withdrawn or left with
    their screen), oldest first: ``OutlookApp.shown_notices``."""
    return list(app.shown_notices())


def wait_until(condition: Callable[[], object], what: str) -> None:
    """Outside the app (threads, processes): return once ``condition()`` holds. Waits on the
    condition, not on the clock: a hang becomes a failure naming ``what``."""
    import time

    deadline = time.monotonic() + HANG_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited in vain for {what}")
        time.sleep(0.005)


async def showing(pilot: Any, kind: type[T]) -> T:
    """Settle until the app shows a screen of ``kind``; that screen."""
    await settle(pilot, lambda: isinstance(pilot.app.screen, kind), f"a {kind.__name__}")
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


async def _ended(worker: Any) -> None:
    import asyncio
    import contextlib

    from textual.worker import WorkerCancelled, WorkerFailed

    # A failure is the app's to report (OutlookApp.report_worker); the test looks at that.
    # Shielded: Worker.wait awaits the worker's own task, and settle() cancels this wait when
    # it looks again 20 ms later. Unshielded, that cancel reached the worker itself: on a busy
    # machine a save still running after 20 ms was cancelled by the test watching it (the
    # Create organization burst left its dialog open, fields filled, nothing saved).
    with contextlib.suppress(WorkerFailed, WorkerCancelled):
        await asyncio.shield(worker.wait())


@pytest.fixture
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs show a steady cursor, so an SVG snapshot does not depend on when it is taken."""
    from textual.widgets import Input

    original = Input.__init__

    def steady(self: Input, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", steady)
