"""What outlook-tui itself last wrote to the JSON store, for finding hand edits of the whole
store (:mod:`outlook_tui.store.json.hand_edits`) at a cost that follows the store's size, not
the history's length.

A save keeps the file it replaces as a backup named by its revision
(:mod:`~outlook_tui.store.json.backups`), so the document outlook-tui wrote at revision ``D`` is
the newest backup at or before ``D`` (normally ``D - 1``) with the history lines written since
applied to it: those lines are read backwards from the end of the history and the reading stops
at the backup's revision (normally one save's lines).

No reference is given, with the reason in words, when:

- no backup at or before ``D`` can be read (the caller checks it is of the same store): a
  first save not made yet, backups deleted, a store copied without its folder, a backup
  damaged;
- the lines since the backup do not say what was written: a restore, a history gap or an
  unreadable line among them, or more bytes of them than :data:`LINES_PER_STORE_BYTE` times the
  store's size (a backup far older than the store).

Everything read is input: a backup that is damaged, of another store, or much larger than the
store is passed over, never trusted and never a crash. Nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from outlook_tui.catalog import BY_NAME
from outlook_tui.store import history as history_file
from outlook_tui.store.backend import Backup
from outlook_tui.store.beside import open_file
from outlook_tui.store.errors import StoreError
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.json import backups, reading
from outlook_tui.store.json.files import StoreFiles
from outlook_tui.store.outside import Key, key_of

#: The history lines since the backup are read up to this many bytes per byte of the store
#: (and at least :data:`LINES_FLOOR`): one save of every organization writes about one line
#: per organization, which is about the size of its record in the store.
LINES_PER_STORE_BYTE = 4
LINES_FLOOR = 1 << 20
#: A backup larger than this many times the store (plus the floor) is not read.
BACKUP_PER_STORE_BYTE = 4


@dataclass
class Written:
    """The settings as outlook-tui last wrote them: the backup's, then the lines since."""

    revision: int
    store_id: object = None
    #: (organization id, or None for the system scope; setting name) -> value.
    values: dict[Key, Any] = field(default_factory=dict)
    #: Each organization's name in the backup (one a hand edit removed still has a name).
    names: dict[int, str] = field(default_factory=dict)
    #: The backup holds the store's very bytes and no line came since: nothing was edited.
    same_bytes: bool = False


def settings_of(document: dict[str, Any]) -> Iterator[tuple[Key, Any]]:
    """Every setting value a (perhaps hand-edited, perhaps hostile) document holds."""
    system = document.get("system")
    if isinstance(system, dict):
        for name, value in system.items():
            if name in BY_NAME:
                yield (None, name), value
    for record in organizations_of(document):
        overrides = record.get("overrides")
        if isinstance(overrides, dict):
            for name, value in overrides.items():
                if name in BY_NAME:
                    yield (record["id"], name), value


def organizations_of(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    records = document.get("organizations")
    for record in records if isinstance(records, list) else []:
        if isinstance(record, dict) and isinstance(record.get("id"), int) and \
                not isinstance(record["id"], bool):
            yield record


def last_written(files: StoreFiles, revision: int, store_size: int) -> Written | str:
    """What outlook-tui wrote at ``revision``, or why that cannot be known (a sentence).
    ``store_size``: the store file's size in bytes, which bounds what is read."""
    size_limit = BACKUP_PER_STORE_BYTE * store_size + LINES_FLOOR
    reasons: list[str] = []
    for backup in backups.listed(files):
        if backup.revision is None or backup.revision > revision:
            continue  # a backup newer than the store: the store was replaced by an older one
        if backup.size > size_limit:
            reasons.append(f"{backup.path.name} is far larger than the store")
            continue
        written = _from_backup(files, backup, revision, reasons)
        if written is None:
            continue
        if written.same_bytes:
            return written
        why = _apply_lines_since(files, written, revision, store_size)
        return why if why is not None else written
    if reasons:
        return "no backup of it can be used (" + "; ".join(reasons) + ")"
    return f"no backup at or before revision {revision} is kept in {files.backups_path.name}"


def _from_backup(files: StoreFiles, backup: Backup, revision: int,
                 reasons: list[str]) -> Written | None:
    assert backup.revision is not None
    try:
        data, _ = reading.read_bytes(backup.path)
        if backup.revision == revision and data == reading.read_bytes(files.path)[0]:
            return Written(revision, same_bytes=True)
        document = reading.parse(data, backup.path)
    except (StoreError, OSError) as error:
        reasons.append(f"{backup.path.name} cannot be read: {error}")
        return None
    del data
    if document.get("revision") != backup.revision:
        reasons.append(f"{backup.path.name} does not hold revision {backup.revision}")
        return None
    written = Written(backup.revision, document.get("store_id"), dict(settings_of(document)))
    written.names = {r["id"]: str(r.get("name", "")) for r in organizations_of(document)}
    return written


def _apply_lines_since(files: StoreFiles, written: Written, revision: int,
                       store_size: int) -> str | None:
    """Apply the newest line of each setting written after the backup, up to ``revision``;
    or say why the lines do not tell what was written."""
    budget = LINES_PER_STORE_BYTE * store_size + LINES_FLOOR
    since = written.revision
    try:
        fd = open_file(files.history_path, os.O_RDONLY, links_allowed=True)
    except FileNotFoundError:
        return None if since == revision else \
            f"the history holds no lines since revision {since}"
    seen: set[Key] = set()
    try:
        for line in history_file.reverse_lines(fd):
            budget -= len(line.data) + 1
            if budget < 0:
                return (f"the newest backup (revision {since}) is too far behind the store "
                        f"(revision {revision}) to compare with")
            entry = history_file.parse_line(line.data.strip()) if line.data.strip() else None
            if not isinstance(entry, HistoryEntry):
                if entry is None or not line.complete:
                    continue  # a blank line, or an append a crash cut short
                return f"an unreadable history line after revision {since}"
            if entry.revision > revision:
                continue  # the history is ahead of the store: those lines describe no file
            if entry.revision <= since:
                break
            if entry.event is not None:
                return (f"revision {entry.revision} is a {entry.event.replace('_', ' ')}, "
                        "whose lines do not say what was written")
            key = key_of(entry)
            if key is not None and key not in seen:
                seen.add(key)
                written.values[key] = entry.new
                if entry.organization_id is not None and entry.organization_name is not None:
                    written.names.setdefault(entry.organization_id, entry.organization_name)
    finally:
        os.close(fd)
    written.revision = revision
    return None
