"""A save waiting for the JSON file's lock is seen and cancellable, like a database's: it names
the lock's holder while it waits, and a cancel ends it with nothing written."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from outlook_tui.store import JsonStore, SettingChange
from outlook_tui.store.lock import locked
from outlook_tui.store.waiting import Cancelled, SaveControl, Waiting


def test_a_save_waiting_for_the_file_lock_names_the_holder_and_a_cancel_ends_it(
        make_store: Any, store_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    make_store(organizations=["Acme"])
    # Patience from the environment: make_store's own 2 s bound would end the wait in a
    # LockTimeout before the cancel on a machine slow to hear the save say it waits.
    store = JsonStore(store_path)
    base = store.load()
    before = store_path.read_bytes()
    heard: list[Waiting | None] = []
    waiting = threading.Event()

    def on_wait(report: Waiting | None) -> None:
        heard.append(report)
        if report is not None:
            waiting.set()

    control = SaveControl(on_wait)
    outcome: list[object] = []

    def save() -> None:
        try:
            outcome.append(store.commit(base, [SettingChange(1, "tasks_enabled", None, False)],
                                        control))
        except Exception as error:
            outcome.append(error)

    with locked(store.lock_path):  # another writer (here: this process, another open file)
        saver = threading.Thread(target=save)
        saver.start()
        assert waiting.wait(60), "the save never said it waits"
        report = next(r for r in heard if r is not None)
        assert report.what == f"the lock file {store.lock_path}"
        assert f"(pid {os.getpid()} on " in report.holders[0]
        assert control.cancel() is True
        saver.join(60)
    assert isinstance(outcome[0], Cancelled)
    assert store_path.read_bytes() == before
    assert store.history() == []
