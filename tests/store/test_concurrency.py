"""Several admins saving at once on one JSON store, on a contested key, sometimes from stale
snapshots: every revision is one save, and the history file replays to exactly what the store
holds. (Writers that lose nothing, on any backend: test_contract.py.)"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from outlook_tui.catalog import BY_NAME
from outlook_tui.store import ConflictError, JsonStore, NewOrganization, SettingChange
from tests.store.conftest import (
    CRM_INTERVAL,
    OUTLOOK_INTERVAL,
    history_lines,
    writers_at_once,
)

WRITERS = 4


def start_writers(target, store: JsonStore, args_for) -> list[Any]:  # type: ignore[no-untyped-def]
    return writers_at_once(target, [(store.path, *args_for(i)) for i in range(WRITERS)],
                           timeout=120)


def organizations(store: JsonStore) -> list[int]:
    snapshot = store.commit(store.load(), [NewOrganization(f"Org {i}") for i in range(WRITERS)])
    ids = [o.id for o in snapshot.snapshot.organizations() if o.name.startswith("Org ")]
    return ids


def _mixed(path: Path, org_id: int, seed: int, saves: int, start, results) -> None:  # type: ignore[no-untyped-def]
    """Half the saves change the contested system key, half this writer's own organization;
    sometimes on a stale snapshot. Reports (committed, conflicts, unchanged, saves)."""
    rng = random.Random(seed)
    store = JsonStore(path, lock_timeout=60)
    snapshot = store.load()
    committed = conflicts = unchanged = 0
    start.wait()
    for n in range(saves):
        if rng.random() < 0.7:
            snapshot = store.load()
        if rng.random() < 0.5:
            change = SettingChange(None, OUTLOOK_INTERVAL, snapshot.system.get(OUTLOOK_INTERVAL),
                                   rng.randint(1, 86399))
        else:
            change = SettingChange(org_id, CRM_INTERVAL,
                                   snapshot.get(org_id).overrides.get(CRM_INTERVAL), n + 1)
        try:
            result = store.commit(snapshot, [change])
        except ConflictError:
            conflicts += 1
            continue
        committed += len(result.applied)
        unchanged += not result.applied  # someone had already saved that very value
        snapshot = result.snapshot
    results.put((committed, conflicts, unchanged, saves))


def replay(lines: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[int, dict[str, Any]]]:
    system: dict[str, Any] = {}
    overrides: dict[int, dict[str, Any]] = {}
    for line in lines:
        if "event" in line or line["key"] == "organization":
            if line.get("key") == "organization":
                overrides[line["organization_id"]] = {}
            continue
        name = line["key"].split(".", 1)[1]
        assert name in BY_NAME
        target = system if line["scope"] == "system" else overrides[line["organization_id"]]
        assert target.get(name) == line["old"], line  # each line starts where the last ended
        if line["new"] is None:
            target.pop(name, None)
        else:
            target[name] = line["new"]
    return system, overrides


@pytest.mark.slow
def test_four_admins_250_mixed_saves_each_every_commit_is_kept(store: JsonStore) -> None:
    ids = organizations(store)
    initial = store.load().revision
    outcomes = start_writers(_mixed, store, lambda i: (ids[i], 1000 + i, 250))
    # Every save either committed or reported a conflict (or found its value already there).
    assert all(sum(outcome[:3]) == outcome[3] for outcome in outcomes)
    committed = sum(outcome[0] for outcome in outcomes)
    assert sum(outcome[1] for outcome in outcomes) > 0  # the contested key did collide
    lines = history_lines(store)
    final = store.load()
    assert final.revision == initial + committed  # one change per save, one revision each
    changes = [line for line in lines if line["revision"] > initial]
    assert len(changes) == committed
    assert [line["revision"] for line in changes] == list(range(initial + 1, final.revision + 1))
    system, overrides = replay(lines)
    assert system == dict(final.system)
    for org in final.organizations():
        assert overrides.get(org.id, {}) == dict(org.overrides)
