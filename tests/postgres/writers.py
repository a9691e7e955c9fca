"""Writer processes for the concurrency tests, started together by
``tests.store.conftest.writers_at_once``: each puts its outcome in ``results``."""

from __future__ import annotations

from typing import Any

from outlook_tui.store import ConflictError, SettingChange
from outlook_tui.store.postgres import PostgresStore


def save_once(uri: str, name: str, value: Any, start: Any, results: Any) -> None:
    """Load, wait for the others to have loaded too, then save one setting of organization 1:
    ``saved``, or the conflict with what another wrote."""
    store = PostgresStore(uri)
    base = store.load()
    start.wait()
    try:
        store.commit(base, [SettingChange(1, name, base.get(1).overrides.get(name), value)])
        results.put("saved")
    except ConflictError as error:
        results.put(f"conflict: {error.conflicts[0].theirs!r}")
    finally:
        store.close()


def increment(uri: str, rounds: int, step: int, start: Any, results: Any) -> None:
    """``rounds`` times: read CRM Sync Interval, save it plus ``step``; retry on a conflict.

    Each writer's step is a different power of ten (and rounds < 10), so no writer's new value
    can equal what the others made meanwhile (that would be "already done", not a conflict)."""
    store = PostgresStore(uri)
    name = "contacts_sync_interval_orocrm"
    start.wait()
    conflicts = 0
    for _ in range(rounds):
        while True:
            base = store.load()
            now = base.get(1).overrides[name]  # type: ignore[union-attr]
            try:
                store.commit(base, [SettingChange(1, name, now, now + step)])
                break
            except ConflictError:
                conflicts += 1
    store.close()
    results.put(conflicts)
