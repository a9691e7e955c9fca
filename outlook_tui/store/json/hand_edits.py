"""Hand edits of ``store.json``: the JSON store's changes made outside outlook-tui, found by
comparing the document with its history file (:mod:`outlook_tui.store.outside`); nothing is
written to find them.

A hand edit leaves no time of its own: the file's modification time is the latest it can have
been made. Asked about one organization or the system scope, the document is always compared
with that scope's history. Asked about the whole store, the comparison (a read of every history
line) is made only when the file changed after the last history line was written, which is what
a hand edit since the last save looks like: a hand edit followed by another save still shows in
its organization's history.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from outlook_tui.catalog import BY_NAME
from outlook_tui.store import history as history_file
from outlook_tui.store.beside import open_file
from outlook_tui.store.errors import StoreError
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.json import reading
from outlook_tui.store.outside import Key, Stored, newest_recorded, outside_changes

#: A save writes the file, then its history lines stamped to the second before: a file
#: modified more than this after the last line was changed by something else.
SAVE_SLACK = dt.timedelta(seconds=2)


def _stamp(seconds: float) -> str:
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parsed_time(stamp: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _first_time(path: Path) -> str | None:
    """The time of the history's first line: when outlook-tui began recording."""
    try:
        fd = open_file(path, os.O_RDONLY, links_allowed=True)
    except FileNotFoundError:
        return None
    try:
        with os.fdopen(fd, "rb", closefd=False) as file:
            for line in file:
                entry = history_file.parse_line(line.strip())
                if isinstance(entry, HistoryEntry) and entry.time:
                    return entry.time
        return None
    finally:
        os.close(fd)


def edited_after_last_save(store_path: Path, history_path: Path) -> bool:
    try:
        modified = dt.datetime.fromtimestamp(os.stat(store_path).st_mtime, dt.UTC)
    except FileNotFoundError:
        return False
    last = history_file.read_newest(history_path, limit=1)
    if not last:
        return False  # no history: nothing recorded to differ from
    saved = _parsed_time(last[0].time)
    return saved is not None and modified > saved + SAVE_SLACK


def hand_edits(store_path: Path, history_path: Path, organization_id: int | None,
               system: bool, read_so_far: list[HistoryEntry] | None) -> list[HistoryEntry]:
    """Changes the document holds that its history does not, for the scopes asked.
    ``read_so_far``: the scopes' whole history when the caller has read it already."""
    whole_store = organization_id is None and not system
    if whole_store and not edited_after_last_save(store_path, history_path):
        return []
    try:
        document = reading.read(store_path).document
        modified = _stamp(os.stat(store_path).st_mtime)
    except (StoreError, OSError):
        return []  # a store that cannot be read says so where it is loaded
    stored: dict[Key, Stored] = {}
    names: dict[int, str] = {}

    def keep(scope: int | None, values: Any) -> None:
        if isinstance(values, dict):
            for name, value in values.items():
                if name in BY_NAME:
                    # No creation time: a value no save recorded may predate the history.
                    stored[(scope, name)] = Stored(value, None, modified)

    if organization_id is None:
        keep(None, document.get("system"))
    if not system:
        for record in document.get("organizations") or []:
            if not isinstance(record, dict) or not isinstance(record.get("id"), int):
                continue
            if organization_id is None or record["id"] == organization_id:
                names[record["id"]] = str(record.get("name", ""))
                keep(record["id"], record.get("overrides"))
    entries = read_so_far if read_so_far is not None else history_file.read_newest(
        history_path, organization_id=organization_id, system=system)
    recorded = newest_recorded(entries)
    if system:
        recorded = {k: v for k, v in recorded.items() if k[0] is None}
    return outside_changes(stored, recorded, organization_names=names,
                           history_began=_first_time(history_path))
