"""Hand edits of ``store.json``: the JSON store's changes made outside outlook-tui, found by
comparing the document with what outlook-tui recorded (:mod:`outlook_tui.store.outside`);
nothing is written to find them.

A hand edit leaves no time of its own: the file's modification time is the latest it can have
been made.

- One organization or the system scope: the document is always compared with that scope's
  history (one scope's lines, found by a byte search), so a hand edit followed by other saves
  still shows there.
- The whole store: only when the file changed after the last history line was written (what a
  hand edit since the last save looks like; a copy that did not keep the file's time too), the
  document is compared with what outlook-tui last wrote: the newest backup and the history lines
  since (:mod:`~outlook_tui.store.json.last_written`), which cost the store's size, never the
  history's length. When that cannot be known (no backup, a damaged one, a restore since), one
  note says so instead of a guess: ``outlook-tui history ORG`` still compares.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from outlook_tui.catalog import BY_NAME, same_value
from outlook_tui.store import history as history_file
from outlook_tui.store.beside import open_file
from outlook_tui.store.errors import StoreError
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.json import reading
from outlook_tui.store.json.files import StoreFiles
from outlook_tui.store.json.last_written import compared, organizations_of, settings_of
from outlook_tui.store.outside import (
    OUTSIDE,
    Key,
    Stored,
    newest_recorded,
    outside_changes,
)

#: The history's note in place of the whole store's hand edits, when they cannot be found.
NOT_COMPARED = "not_compared"

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


def hand_edits(files: StoreFiles, organization_id: int | None, system: bool,
               read_so_far: list[HistoryEntry] | None) -> list[HistoryEntry]:
    """Changes the document holds that outlook-tui did not write, for the scopes asked.
    ``read_so_far``: the scope's whole history when the caller has read it already."""
    if organization_id is None and not system:
        return _whole_store(files)
    try:
        document = reading.read(files.path).document
        modified = _stamp(os.stat(files.path).st_mtime)
    except (StoreError, OSError):
        return []  # a store that cannot be read says so where it is loaded
    scope = {"system": document.get("system")} if system else {"organizations": [
        r for r in organizations_of(document) if r["id"] == organization_id]}
    # No creation time: a value no save recorded may predate the history.
    stored = {key: Stored(value, None, modified) for key, value in settings_of(scope)}
    names = {r["id"]: str(r.get("name", "")) for r in organizations_of(scope)}
    entries = read_so_far if read_so_far is not None else history_file.read_newest(
        files.history_path, organization_id=organization_id, system=system)
    recorded = newest_recorded(entries)
    if system:
        recorded = {k: v for k, v in recorded.items() if k[0] is None}
    return outside_changes(stored, recorded, organization_names=names,
                           history_began=_first_time(files.history_path))


def _whole_store(files: StoreFiles) -> list[HistoryEntry]:
    """The whole store: the document against what outlook-tui last wrote
    (:mod:`~outlook_tui.store.json.last_written`), only when the file changed after its last
    save; when that cannot be known, one note saying so (the document is not even read)."""
    if not edited_after_last_save(files.path, files.history_path):
        return []
    try:
        st = os.stat(files.path)
    except OSError:
        return []
    modified = _stamp(st.st_mtime)
    revision = reading.peek_revision(files.path)
    found = compared(files, revision, st.st_size)
    if found is None:
        return []
    if isinstance(found, str):
        return [_not_compared(files, revision, modified, found)]
    stored: dict[Key, Stored] = {}
    recorded: dict[Key, HistoryEntry] = {}
    for key in found.now.keys() | found.before.keys():
        value, before = found.now.get(key), found.before.get(key)
        if same_value(before, value):
            continue
        if key in found.now:
            stored[key] = Stored(value, None, modified)
        organization_id, name = key
        # No time of its own: the change is dated by the file (see outside_changes).
        recorded[key] = HistoryEntry(
            "", "", None, revision, "system" if organization_id is None else "organization",
            organization_id, None if organization_id is None else
            found.names.get(organization_id), BY_NAME[name].key, None, before)
    return outside_changes(stored, recorded, organization_names=found.names,
                           history_began=None)


def _not_compared(files: StoreFiles, revision: int, modified: str,
                  reason: str) -> HistoryEntry:
    """The note shown in place of hand edits that cannot be found for the whole store."""
    return HistoryEntry(
        modified, OUTSIDE, None, revision, None, None, None, None, None, None,
        event=NOT_COMPARED,
        detail=f"{files.path.name} was modified after its last save (revision {revision}), "
               f"but what outlook-tui wrote cannot be known: {reason}; changes made in it "
               "show in each organization's history (outlook-tui history ORG)")
