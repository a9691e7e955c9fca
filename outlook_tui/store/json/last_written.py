"""What outlook-tui itself last wrote to the JSON store, beside what the file holds, for
finding hand edits of the whole store (:mod:`outlook_tui.store.json.hand_edits`) at a cost
that follows the store's size, not the history's length.

A save keeps the file it replaces as a backup named by its revision
(:mod:`~outlook_tui.store.json.backups`), so the document outlook-tui wrote at revision ``D`` is
the newest backup at or before ``D`` (normally ``D - 1``) with the history lines written since
applied to it: those lines are read backwards from the end of the history and the reading stops
at the backup's revision (normally one save's lines). Only the organizations that may differ
are parsed: in the written form each record is delimited, and a record that is the same bytes
in the backup and in the file, and that no line since changed, is the same in both.

No comparison is made, and the reason is given in words, when:

- no backup at or before ``D`` of this store can be read: a first save not made yet, backups
  deleted, a store copied without its folder, a backup damaged or of another store;
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

#: Between two organizations in the written form (two-space indent): a raw newline cannot be
#: inside a JSON string, so in a file outlook-tui wrote this only ever separates records.
SEPARATOR = b"\n    },\n    {\n"
#: Up to this many organizations changed since the backup, their records are found by the
#: start of their text; more, by each record's id line.
WANTED_BY_PREFIX = 64


@dataclass
class Compared:
    """The settings outlook-tui last wrote and the file's, for the organizations that may
    differ: those whose record is not the very same bytes in the backup and the file, and those
    the lines since the backup changed (every other record is the same in both)."""

    revision: int
    #: (organization id, or None for the system scope; setting name) -> value.
    before: dict[Key, Any] = field(default_factory=dict)
    now: dict[Key, Any] = field(default_factory=dict)
    #: Each organization's name (one a hand edit removed keeps the backup's).
    names: dict[int, str] = field(default_factory=dict)


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


def compared(files: StoreFiles, revision: int, store_size: int) -> Compared | str | None:
    """What outlook-tui wrote at ``revision`` beside what the file holds; a sentence when what
    was written cannot be known; None when there is nothing to compare (the file is the backup
    of its own revision, byte for byte, or cannot be read: its loading says why)."""
    size_limit = BACKUP_PER_STORE_BYTE * store_size + LINES_FLOOR
    reasons: list[str] = []
    for backup in backups.listed(files):
        if backup.revision is None or backup.revision > revision:
            continue  # a backup newer than the store: the store was replaced by an older one
        if backup.size > size_limit:
            reasons.append(f"{backup.path.name} is far larger than the store")
            continue
        try:
            written, _ = reading.read_bytes(backup.path)
            stored, _ = reading.read_bytes(files.path)
        except (StoreError, OSError) as error:
            reasons.append(f"{backup.path.name} cannot be read: {error}")
            continue
        if backup.revision == revision and written == stored:
            return None
        lines = _lines_since(files, backup.revision, revision, store_size)
        if isinstance(lines, str):
            return lines
        touched = {key[0] for key in lines if key[0] is not None}
        written, stored = _reduced(written, stored, touched)
        try:
            document = reading.parse(written, backup.path)
        except StoreError as error:
            reasons.append(f"{backup.path.name} cannot be read: {error}")
            continue
        if document.get("revision") != backup.revision:
            reasons.append(f"{backup.path.name} does not hold revision {backup.revision}")
            continue
        try:
            current = reading.parse(stored, files.path)
        except StoreError:
            return None
        if current.get("store_id") != document.get("store_id"):
            return f"its newest backup ({backup.path.name}) is of another store"
        if current.get("revision") != revision:
            return "its revision is not where outlook-tui writes it"
        found = Compared(revision, dict(settings_of(document)), dict(settings_of(current)))
        found.names = {r["id"]: str(r.get("name", "")) for r in organizations_of(document)}
        for key, entry in lines.items():
            found.before[key] = entry.new
            if key[0] is not None and entry.organization_name is not None:
                found.names[key[0]] = entry.organization_name
        found.names.update((r["id"], str(r.get("name", ""))) for r in organizations_of(current))
        return found
    if reasons:
        return "no backup of it can be used (" + "; ".join(reasons) + ")"
    return f"no backup at or before revision {revision} is kept in {files.backups_path.name}"


def _reduced(written: bytes, stored: bytes, touched: set[int]) -> tuple[bytes, bytes]:
    """Both files without the organizations whose records are the same bytes in both and that
    no line since the backup changed: still whole documents, in the written form, of the few
    records that matter. Files not in the written form are kept whole."""
    a, b = written.split(SEPARATOR), stored.split(SEPARATOR)
    if len(a) < 3 or len(b) < 3:
        return written, stored
    same = set(a[1:-1]).intersection(b[1:-1])
    if not same:
        return written, stored
    wanted = tuple(b'      "id": %d,\n' % organization_id for organization_id in touched)
    if len(wanted) > WANTED_BY_PREFIX:  # a save of many: each record's id line, looked up once
        lines = set(wanted)

        def changed(piece: bytes) -> bool:
            return piece[:piece.find(b"\n") + 1] in lines
    else:
        def changed(piece: bytes) -> bool:
            return piece.startswith(wanted)

    def kept(pieces: list[bytes]) -> bytes:
        return SEPARATOR.join([pieces[0], *(
            piece for piece in pieces[1:-1] if piece not in same or changed(piece)),
            pieces[-1]])

    return kept(a), kept(b)


def _lines_since(files: StoreFiles, since: int, revision: int,
                 store_size: int) -> dict[Key, HistoryEntry] | str:
    """The newest line of each setting written after revision ``since``, up to ``revision``
    (read from the end of the history); or why the lines do not tell what was written."""
    budget = LINES_PER_STORE_BYTE * store_size + LINES_FLOOR
    try:
        fd = open_file(files.history_path, os.O_RDONLY, links_allowed=True)
    except FileNotFoundError:
        return {} if since == revision else \
            f"the history holds no lines since revision {since}"
    newest: dict[Key, HistoryEntry] = {}
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
            if key is not None:
                newest.setdefault(key, entry)
    finally:
        os.close(fd)
    return newest
