"""A writer killed at any moment (SIGKILL: no cleanup runs) leaves a store that loads, equals a
committed revision, and a history that matches it or records the gap."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from outlook_tui.store import JsonStore, SettingChange
from outlook_tui.store.json.document import serialize
from tests.store.conftest import CRM_INTERVAL, OUTLOOK_INTERVAL, fork, history_lines, temp_files


def value_for(revision: int) -> int:
    """What the saving child stores at ``revision``: the parent can tell revisions apart."""
    return revision % 86399 + 1


def _save_forever(path: Path, conn) -> None:  # type: ignore[no-untyped-def]
    store = JsonStore(path, lock_timeout=5)
    snapshot = store.load()
    conn.send(("ready", snapshot.revision))
    while True:
        wanted = value_for(snapshot.revision + 1)
        snapshot = store.commit(snapshot, [
            SettingChange(None, CRM_INTERVAL, snapshot.system.get(CRM_INTERVAL), wanted),
            SettingChange(1, OUTLOOK_INTERVAL, snapshot.get(1).overrides.get(OUTLOOK_INTERVAL),
                          wanted),
        ]).snapshot
        conn.send(("saved", snapshot.revision))


def kill_a_saving_writer(path: Path, delay: float, after_first_save: bool = False) -> int:
    """Start a child saving in a loop, SIGKILL it ``delay`` s after it is ready (or after its
    first save); the last revision it reported as saved."""
    parent, child = fork.Pipe(duplex=False)
    process = fork.Process(target=_save_forever, args=(path, child), daemon=True)
    process.start()
    child.close()
    kind, reported = parent.recv()
    assert kind == "ready"
    if after_first_save:
        kind, reported = parent.recv()
        assert kind == "saved"
    time.sleep(delay)  # fault point: the kill lands at a random moment, not a wait
    os.kill(process.pid, signal.SIGKILL)  # type: ignore[arg-type]
    process.join(60)
    while parent.poll():
        try:
            _, reported = parent.recv()
        except EOFError:
            break
    parent.close()
    return int(reported)


def check_after_crash(store: JsonStore, reported: int) -> int:
    snapshot = JsonStore(store.path).load()
    revision = snapshot.revision
    # The kill may land after the file was replaced and before the child heard of it.
    assert revision in (reported, reported + 1)
    if revision:
        assert snapshot.system == {CRM_INTERVAL: value_for(revision)}
        assert snapshot.get(1).overrides == {OUTLOOK_INTERVAL: value_for(revision)}
    assert serialize(snapshot.document) == store.path.read_bytes()
    saved = [line["revision"] for line in history_lines(store, writers_killed=True)
             if "event" not in line]
    assert saved == sorted(saved) and all(r <= revision for r in saved)
    return revision


def history_accounts_for_every_revision(store: JsonStore, last: int) -> None:
    lines = history_lines(store, writers_killed=True)
    recorded = {line["revision"] for line in lines if "event" not in line}
    gaps = [line for line in lines if line.get("event") == "history_gap"]
    for gap in gaps:
        first, _, end = gap["detail"].removeprefix("revisions ").partition(" to ")
        recorded |= set(range(int(first), int(end.split()[0]) + 1))
    assert recorded >= set(range(1, last + 1))


def crash_many_times(store: JsonStore, times: int, seed: int) -> None:
    rng = random.Random(seed)
    revision = 0
    sure_saves = 0
    for _ in range(times):
        # Half the kills wait for one save first, so the children surely save, however
        # loaded the machine is; the others may land before the first save.
        after_first_save = rng.random() < 0.5
        sure_saves += after_first_save
        reported = kill_a_saving_writer(store.path, rng.uniform(0, 0.03), after_first_save)
        assert reported >= revision
        revision = check_after_crash(store, reported)
    # The next writer cleans up after the dead ones and records any missing history.
    snapshot = store.load()
    store.commit(snapshot, [SettingChange(None, "tasks_enabled", None, False)])
    assert temp_files(store) == []
    history_accounts_for_every_revision(store, revision + 1)
    assert revision >= sure_saves  # the children did get to save


@pytest.mark.slow
def test_writer_killed_50_times(store: JsonStore) -> None:
    crash_many_times(store, 50, seed=3)


@pytest.mark.slow
def test_writer_killed_200_times(store: JsonStore) -> None:
    crash_many_times(store, 200, seed=7)


def test_a_store_saved_without_its_history_is_recorded_as_a_gap(store: JsonStore) -> None:
    snapshot = store.load()
    snapshot = store.commit(snapshot, [SettingChange(None, CRM_INTERVAL, None, 300)]).snapshot
    # A writer replaced the store (revisions 2 and 3) and died before appending the history.
    document = dict(snapshot.document)
    document["revision"] = 3
    document["system"] = {CRM_INTERVAL: 500}
    store.path.write_bytes(serialize(document))
    result = store.commit(store.load(), [SettingChange(None, "tasks_enabled", None, False)])
    assert result.warnings == ["recorded in the history: revisions 2 to 3 were committed "
                               "without their history lines (a writer stopped between saving "
                               "the store and its history)"]
    gap = store.history()[1]
    assert (gap.event, gap.revision) == ("history_gap", 3)
    assert [e.revision for e in store.history() if e.event is None] == [4, 1]
    # Recorded once: the next save finds the history in step again.
    again = store.commit(result.snapshot, [SettingChange(None, "tasks_enabled", False, True)])
    assert again.warnings == []
    assert [e.event for e in store.history()].count("history_gap") == 1


def test_stale_temp_files_of_dead_writers_are_removed_at_the_next_lock(store: JsonStore) -> None:
    snapshot = store.load()
    dead = fork.Process(target=time.sleep, args=(0,))
    dead.start()
    dead.join()
    directory = store.path.parent
    stale = directory / f".store.json.tmp-{dead.pid}-0123abcd"
    stale.write_bytes(b'{"half a store')
    stale_undo = directory / f".store.json.tmp-{dead.pid}-4567ef01-undo"
    stale_undo.write_bytes(b"{}")
    alive = fork.Process(target=time.sleep, args=(30,), daemon=True)
    alive.start()
    try:
        living = directory / f".store.json.tmp-{alive.pid}-89abcdef"
        living.write_bytes(b"{}")  # perhaps a writer on its way (another host's lock?): kept
        unrelated = directory / ".other.json.tmp-1-00000000"
        unrelated.write_bytes(b"{}")
        store.commit(snapshot, [SettingChange(None, CRM_INTERVAL, None, 300)])
        assert not stale.exists() and not stale_undo.exists()
        assert living.exists() and unrelated.exists()
    finally:
        alive.kill()
        alive.join()


def test_a_torn_history_line_does_not_swallow_the_next_one(store: JsonStore) -> None:
    snapshot = store.load()
    snapshot = store.commit(snapshot, [SettingChange(None, CRM_INTERVAL, None, 300)]).snapshot
    with open(store.history_path, "ab") as history:  # a crash mid-append
        history.write(b'{"time":"2026-11-26T07:31:32Z","user":"ro')
    snapshot = store.commit(snapshot, [SettingChange(None, CRM_INTERVAL, 300, 400)]).snapshot
    assert [(e.revision, e.new) for e in store.history() if e.event is None] == [
        (2, 400), (1, 300)]
