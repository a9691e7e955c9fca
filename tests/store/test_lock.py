"""Writers take turns: a second one waits, and past its patience names who holds the lock.
A killed holder leaves no stale lock."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from outlook_tui.store import CommitResult, JsonStore, LockTimeout
from outlook_tui.store.identity import current_user
from outlook_tui.store.lock import locked
from tests.conftest import wait_until
from tests.store.conftest import CRM_INTERVAL, files_of, fork, opened_here, set_system


def _hold_until(lock_path: Path, ready, release) -> None:  # type: ignore[no-untyped-def]
    with locked(lock_path, 5):
        ready.set()
        release.wait(60)


def holder(lock_path: Path, release=None):  # type: ignore[no-untyped-def]
    """Another process holding the lock until it is killed (or ``release`` is set)."""
    ready = fork.Event()
    process = fork.Process(target=_hold_until, args=(lock_path, ready, release or fork.Event()),
                           daemon=True)
    process.start()
    assert ready.wait(60)
    return process


def test_a_second_writer_waits_for_the_first(store: JsonStore) -> None:
    snapshot = store.load()
    release = fork.Event()
    first = holder(store.lock_path, release)
    results: list[CommitResult] = []
    writer = threading.Thread(target=lambda: results.append(
        JsonStore(store.path, lock_timeout=60).commit(
            snapshot, [set_system(snapshot, CRM_INTERVAL, 300)])))
    writer.start()
    try:
        wait_until(lambda: opened_here(store.lock_path) or not writer.is_alive(),
                   "the second writer to reach the lock")
        # Still waiting while the first writer holds the lock, and nothing written.
        assert writer.is_alive() and not results
        assert store.load().revision == 0
    finally:
        release.set()
    writer.join(60)
    assert results and results[0].snapshot.revision == 1
    first.join(60)


def test_past_the_timeout_the_message_names_the_holder(store: JsonStore) -> None:
    snapshot = store.load()
    first = holder(store.lock_path)
    try:
        before = files_of(store)
        with pytest.raises(LockTimeout) as raised:
            JsonStore(store.path, lock_timeout=0.2).commit(
                snapshot, [set_system(snapshot, CRM_INTERVAL, 300)])
        message = str(raised.value)
        assert f"is locked by {current_user()} (pid {first.pid} on " in message
        assert "Nothing was saved" in message
        assert raised.value.holder.startswith(f"{current_user()} (pid {first.pid}")
        assert files_of(store) == before
    finally:
        first.kill()
        first.join(60)


def test_a_killed_holder_leaves_no_stale_lock(store: JsonStore) -> None:
    snapshot = store.load()
    first = holder(store.lock_path)
    os.kill(first.pid, signal.SIGKILL)  # type: ignore[arg-type]
    first.join(60)
    # A stale lock would make this raise LockTimeout: the commit going through is the proof.
    JsonStore(store.path, lock_timeout=1).commit(
        snapshot, [set_system(snapshot, CRM_INTERVAL, 300)])
    assert store.load().system == {CRM_INTERVAL: 300}


def test_a_symlinked_lock_file_is_refused(store: JsonStore, tmp_path: Path) -> None:
    snapshot = store.load()
    store.lock_path.unlink()
    target = tmp_path / "elsewhere"
    store.lock_path.symlink_to(target)
    with pytest.raises(Exception, match="symbolic link"):
        store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, 300)])
    assert not target.exists()
