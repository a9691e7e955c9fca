"""Helpers shared by the store tests: a picture of every file the store owns, and quick ways to
build stores and changes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from outlook_tui.store import JsonStore, NewOrganization, SettingChange, Snapshot
from outlook_tui.store.json.document import serialize

CRM_INTERVAL = "contacts_sync_interval_orocrm"
OUTLOOK_INTERVAL = "contacts_sync_interval_outlook"
DIRECTION = "contacts_sync_direction"


@dataclass(frozen=True)
class Files:
    """Every byte the store owns on disk, to compare before and after."""

    store: bytes | None
    history: bytes | None
    lock_exists: bool
    backups: dict[str, bytes]
    others: frozenset[str]  # every other name in the directory (temp files, corrupt-*)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def files_of(store: JsonStore) -> Files:
    backups = {}
    if store.backups_path.is_dir():
        backups = {p.name: p.read_bytes() for p in store.backups_path.iterdir()}
    known = {store.path.name, store.history_path.name, store.lock_path.name,
             store.backups_path.name}
    others = frozenset(p.name for p in store.path.parent.iterdir() if p.name not in known)
    return Files(_read(store.path), _read(store.history_path), store.lock_path.exists(),
                 backups, others)


def temp_files(store: JsonStore) -> list[str]:
    return sorted(p.name for p in store.path.parent.glob(f".{store.path.name}.tmp-*"))


def history_lines(store: JsonStore) -> list[dict[str, Any]]:
    data = _read(store.history_path) or b""
    return [orjson.loads(line) for line in data.splitlines()]


def set_system(snapshot: Snapshot, name: str, value: Any) -> SettingChange:
    """A change to the system scope, made against what ``snapshot`` shows."""
    return SettingChange(None, name, snapshot.system.get(name), value)


def set_org(snapshot: Snapshot, organization_id: int, name: str, value: Any) -> SettingChange:
    org = snapshot.get(organization_id)
    assert org is not None
    return SettingChange(organization_id, name, org.overrides.get(name), value)


def add_organizations(store: JsonStore, *names: str) -> Snapshot:
    snapshot = store.load()
    return store.commit(snapshot, [NewOrganization(n) for n in names]).snapshot


def write_document(store: JsonStore, document: dict[str, Any]) -> bytes:
    """Write a document as a person would, without the store (no lock, no history)."""
    data = serialize(document)
    store.path.write_bytes(data)
    return data
