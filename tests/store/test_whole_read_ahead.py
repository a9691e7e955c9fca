"""The app's first whole read of Oro's database is made by the process that opened it while
the app started (``store/ahead.py``): the app is handed exactly what it would have read itself,
the reloads after it are as right, and whatever happens to that process, the app reads the
store itself or meets the same error, and no process is left behind.

Each test opens the store as the app does (``FirstRows.opening_aside``), and then forbids this
process's own whole read where the answer must come from the other process: the fork was made
before, so only this process is changed."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from outlook_tui.store import SettingChange, StoreError, TableLockTimeout
from outlook_tui.store import ahead as ahead_module
from outlook_tui.store.ahead import FirstRows
from outlook_tui.store.oro.reading import Reader
from outlook_tui.store.oro.store import OroStore
from outlook_tui.store.snapshot import Snapshot
from tests.store.conftest import DIRECTION, StoreFactory

INTERVAL = "contacts_sync_interval_orocrm"
NAMES = [f"Org {n:02}" for n in range(12)]


@pytest.fixture
def database(store_factory: StoreFactory) -> StoreFactory:
    if store_factory.name == "json":
        pytest.skip("the JSON store is read in the app's own process")
    return store_factory


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three organizations a chunk (made before each fork, so the other process has it too):
    a dozen organizations make several chunks, and a test can act between two."""
    monkeypatch.setattr(ahead_module, "WHOLE_CHUNK", 3)


def children() -> set[int]:
    """This process's child processes now (a reaped one is none)."""
    tasks = Path(f"/proc/{os.getpid()}/task")
    found: set[int] = set()
    for task in tasks.iterdir():
        try:
            with open(task / "children") as listing:
                found.update(int(pid) for pid in listing.read().split())
        except FileNotFoundError:
            continue  # a thread that ended meanwhile (a worker's): it has no children now
    return found


@pytest.fixture
def no_child_left() -> Iterator[None]:
    before = children()
    yield
    assert children() <= before


def opened_as_the_app_does(store: OroStore) -> tuple[OroStore, int]:
    """The store as the app opens it, its first rows read, and the other process's pid."""
    cls = type(store)
    before = children()
    first = FirstRows.opening_aside(lambda look: cls(store.uri, first_look=look))
    (other,) = children() - before
    opened = first.store()
    assert isinstance(opened, OroStore)
    assert first.result() is not None
    return opened, other


def seeded(database: StoreFactory) -> OroStore:
    store = database(NAMES, system={INTERVAL: 900})
    assert isinstance(store, OroStore)
    snapshot = store.load()
    by_name = {r["name"]: r["id"] for r in snapshot.records}
    store.commit(snapshot, [SettingChange(by_name["Org 03"], DIRECTION, None, "OroCRMToOutlook"),
                            SettingChange(by_name["Org 07"], INTERVAL, None, 120)])
    return store


def same(found: Snapshot, expected: Snapshot) -> None:
    assert found.document == expected.document
    assert found.fingerprint == expected.fingerprint
    assert found.id_positions() == expected.id_positions()
    assert found.validated


def no_read_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on this process may not read the whole store itself (the other process,
    forked before, still may): an answer comes from the other."""
    def refused(*args: Any, **kwargs: Any) -> Snapshot:
        raise AssertionError("the whole store was read in the app's own process")

    monkeypatch.setattr(Reader, "load", refused)


def test_the_whole_store_read_by_the_other_process_is_what_a_read_here_gives(
        database: StoreFactory, monkeypatch: pytest.MonkeyPatch,
        no_child_left: None) -> None:
    store = seeded(database)
    expected = store.load()
    opened, _ = opened_as_the_app_does(store)
    with monkeypatch.context() as patched:
        patched.setattr(Reader, "load", lambda *a, **k: pytest.fail("read here"))
        pauses: list[int] = []
        found = opened.load(pause=lambda: pauses.append(1))
    same(found, expected)
    assert len(pauses) >= len(NAMES) // 3  # it stepped aside between the chunks
    opened.close()


def test_after_it_a_change_in_oro_reads_right_from_what_it_handed_over(
        database: StoreFactory, no_child_left: None) -> None:
    """The organizations it sent serve the next reads (as a read's own do): a value taken back
    to Use System meanwhile is gone, a new one is there."""
    store = seeded(database)
    opened, _ = opened_as_the_app_does(store)
    handed = opened.load()
    org3 = next(r["id"] for r in handed.records if r["name"] == "Org 03")
    org5 = next(r["id"] for r in handed.records if r["name"] == "Org 05")
    other = database.again(store)
    other.commit(other.load(), [SettingChange(org3, DIRECTION, "OroCRMToOutlook", None),
                                SettingChange(org5, INTERVAL, None, 60)])
    same(opened.load(), other.load())
    reread = opened.load()
    assert reread.get(org3).overrides == {}
    assert reread.get(org5).overrides == {INTERVAL: 60}
    for s in (opened, other):
        s.close()


@pytest.mark.parametrize("killed", ["before it is asked", "half way"])
def test_when_the_other_process_dies_the_store_is_read_here(
        database: StoreFactory, no_child_left: None, killed: str) -> None:
    store = seeded(database)
    expected = store.load()
    opened, other = opened_as_the_app_does(store)

    def kill() -> None:
        if other in children():
            os.kill(other, signal.SIGKILL)

    if killed == "before it is asked":
        kill()
    same(opened.load(pause=kill), expected)  # half way: after the first chunk
    opened.close()


def test_the_app_ending_during_the_read_ends_the_other_process_and_reads_nothing_here(
        database: StoreFactory, no_child_left: None, monkeypatch: pytest.MonkeyPatch) -> None:
    store = seeded(database)
    opened, _ = opened_as_the_app_does(store)
    no_read_here(monkeypatch)
    with pytest.raises(StoreError, match="reading the store was stopped"):
        opened.load(pause=opened.interrupt)  # the app's end, between two chunks
    opened.close()


def test_a_store_closed_before_its_first_read_ends_the_other_process(
        database: StoreFactory, no_child_left: None) -> None:
    store = seeded(database)
    opened, other = opened_as_the_app_does(store)
    assert other in children()  # it waits to be asked
    opened.close()


def test_an_error_the_other_process_meets_is_the_apps_and_not_waited_for_twice(
        database: StoreFactory, no_child_left: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A DBA's lock on Oro's values after the first rows: the other process waits the lock
    timeout and names the holder; the app meets that error, without waiting once more."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "1")
    store = seeded(database)
    opened, _ = opened_as_the_app_does(store)
    no_read_here(monkeypatch)
    with dba_locks_the_values(database, store) as holder, \
            pytest.raises(TableLockTimeout) as waited:
        opened.load()
    assert waited.value.holders == (holder,)
    opened.close()


@contextmanager
def dba_locks_the_values(database: StoreFactory, store: OroStore) -> Iterator[str]:
    """A DBA's table lock on Oro's values, and how a store names its holder."""
    if database.name == "postgres":
        from tests.postgres.waiting import TABLE_LOCKED, holding

        with holding(store.uri, TABLE_LOCKED) as dba:
            pid = dba.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
            yield f"{dba.info.user} (dba-console, pid {pid})"
        return
    from tests.mysql import waiting

    server = database.server  # type: ignore[attr-defined]
    with waiting.metadata_lock_info(server), \
            waiting.holding(server, store.connection.database, waiting.TABLE_LOCKED) as dba:
        yield f"root (connection {waiting.connection_id(dba)}, from localhost)"
