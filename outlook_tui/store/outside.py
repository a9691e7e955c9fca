"""Changes made outside outlook-tui, found by comparing what is stored with what the history
last recorded (pure: no I/O; every backend feeds it, so a ``--read-only`` session writes
nothing to see them).

Oro's screens, ``oro:config:update`` and a DBA's SQL change ``oro_config_value`` rows without a
line in outlook-tui's history; a hand edit does the same to the JSON store. For each setting of
each scope asked about:

- the newest history entry's new value differs from what is stored now: a change outside
  outlook-tui, from that value to the stored one. When: the row's ``updated_at`` (Oro sets it on
  every write) when later than that entry; a row gone (back to Use System) leaves no time, so
  the time is unknown (``""``); the JSON store gives its file's modification time.
- nothing recorded, but a row created after the history began (its ``created_at``): a change
  outside outlook-tui from Use System. A row older than the history that outlook-tui never
  saved is no change it saw: it is shown as stored, not invented into the history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from outlook_tui.catalog import BY_NAME, same_value
from outlook_tui.store.history import HistoryEntry

#: Who made a change found this way.
OUTSIDE = "outside outlook-tui"

#: (organization id, or None for the system scope; the setting's name)
Key = tuple[int | None, str]


@dataclass(frozen=True, slots=True)
class Stored:
    """One stored value as the backend sees it now."""

    #: The value, or ``{"damaged": text}`` for a row this tool cannot accept.
    value: Any
    #: UTC ``2026-01-15T09:30:00Z``; None when the backend keeps no such time.
    created_at: str | None = None
    updated_at: str | None = None


def newest_recorded(entries: Iterable[HistoryEntry]) -> dict[Key, HistoryEntry]:
    """The newest entry per scope and setting, from entries given newest first."""
    newest: dict[Key, HistoryEntry] = {}
    for entry in entries:
        key = key_of(entry)
        if key is not None and key not in newest:
            newest[key] = entry
    return newest


def key_of(entry: HistoryEntry) -> Key | None:
    """The scope and setting a history entry changed; None for anything else."""
    if entry.event is not None or not entry.key or "." not in entry.key:
        return None
    name = entry.key.partition(".")[2]
    if name not in BY_NAME:
        return None
    return (None if entry.scope == "system" else entry.organization_id, name)


def outside_changes(stored: Mapping[Key, Stored], recorded: Mapping[Key, HistoryEntry], *,
                    organization_names: Mapping[int, str], history_began: str | None,
                    ) -> list[HistoryEntry]:
    """The changes outside outlook-tui, newest first (unknown times first: noticed now).

    ``stored`` and ``recorded`` cover the same scopes (one organization, the system, or all).
    """
    found: list[HistoryEntry] = []
    for key in sorted(set(stored) | set(recorded), key=lambda k: (k[0] or 0, k[1])):
        now = stored.get(key)
        value = None if now is None else now.value
        entry = recorded.get(key)
        if entry is not None:
            if same_value(entry.new, value):
                continue
            old, revision = entry.new, entry.revision
            later = now is not None and now.updated_at is not None and \
                now.updated_at >= entry.time
            time = now.updated_at if later and now is not None else ""
        else:
            if now is None or history_began is None or now.created_at is None \
                    or now.created_at < history_began:
                continue
            old, revision, time = None, 0, now.updated_at or ""
        organization_id, name = key
        found.append(HistoryEntry(
            time=time or "", user=OUTSIDE, ssh_client=None, revision=revision,
            scope="system" if organization_id is None else "organization",
            organization_id=organization_id,
            organization_name=None if organization_id is None else
            organization_names.get(organization_id),
            key=BY_NAME[name].key, old=old, new=value))
    found.sort(key=lambda e: e.time or "\uffff", reverse=True)
    return found


def merged(recorded: list[HistoryEntry], outside: list[HistoryEntry],
           limit: int | None) -> list[HistoryEntry]:
    """Both lists (newest first) as one, newest first, cut to ``limit``. An entry of unknown
    time comes first; an entry with no time of its own (a store's note) keeps its place."""
    if not outside:
        return recorded
    result: list[HistoryEntry] = []
    pending = list(outside)
    for entry in recorded:
        while pending and entry.time and (not pending[0].time or pending[0].time >= entry.time):
            result.append(pending.pop(0))
        result.append(entry)
    result.extend(pending)
    return result if limit is None else result[:limit]


def is_outside(entry: HistoryEntry) -> bool:
    return entry.user == OUTSIDE and entry.event is None
