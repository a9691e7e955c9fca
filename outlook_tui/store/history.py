"""The history file beside the store: one JSON line per committed change (JSON Lines).

Oro kept no audit trail of configuration changes for years; this is ours. Each line:
``time`` (UTC), ``user`` (OS account from the uid), ``ssh_client``, ``revision``, ``scope``,
``organization_id``, ``organization_name``, ``key``, ``old``, ``new``. A line with ``"event"`` is
the store's own note (``history_gap``: revisions committed without their history lines, found at
the next lock; ``restore``: a backup restored).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from outlook_tui.store.beside import open_file
from outlook_tui.store.changes import AppliedChange


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    time: str
    user: str
    ssh_client: str | None
    revision: int
    scope: str | None
    organization_id: int | None
    organization_name: str | None
    key: str | None
    old: Any
    new: Any
    event: str | None = None
    detail: str | None = None
    #: The database role that saved (Oro's database store only).
    db_user: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HistoryEntry:
        return cls(
            time=str(data.get("time", "")),
            user=str(data.get("user", "")),
            ssh_client=data.get("ssh_client"),
            revision=int(data.get("revision", 0)),
            scope=data.get("scope"),
            organization_id=data.get("organization_id"),
            organization_name=data.get("organization_name"),
            key=data.get("key"),
            old=data.get("old"),
            new=data.get("new"),
            event=data.get("event"),
            detail=data.get("detail"),
            db_user=data.get("db_user"),
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "time": self.time, "user": self.user, "ssh_client": self.ssh_client,
            "revision": self.revision, "scope": self.scope,
            "organization_id": self.organization_id, "organization_name": self.organization_name,
            "key": self.key, "old": self.old, "new": self.new,
        }
        if self.event is not None:
            data["event"] = self.event
            data["detail"] = self.detail
        if self.db_user is not None:
            data["db_user"] = self.db_user
        return data

    @property
    def who(self) -> str:
        who = f"{self.user}@{self.ssh_client}" if self.ssh_client else self.user
        # On Oro's database the role is part of who saved: admins may share an OS account.
        return f"{who} (db {self.db_user})" if self.db_user else who


def encode(entries: Iterable[HistoryEntry]) -> bytes:
    return b"".join(orjson.dumps(e.to_json()) + b"\n" for e in entries)


def entries_for(
    applied: Iterable[AppliedChange], *, time: str, user: str, ssh_client: str | None,
    revision: int,
) -> list[HistoryEntry]:
    return [
        HistoryEntry(time, user, ssh_client, revision, str(a.scope), a.organization_id,
                     a.organization_name, a.key, a.old, a.new)
        for a in applied
    ]


#: Bytes read per step from the end of the file. A line longer than this is carried over.
BLOCK_SIZE = 64 * 1024


@dataclass(frozen=True, slots=True)
class RawLine:
    """A line of the file (without its newline), and where it starts. ``complete`` is False for
    a last line with no newline: an append a crash cut short, unless it happens to parse."""

    offset: int
    data: bytes
    complete: bool = True


def _runs(fd: int, block_size: int) -> Iterator[tuple[int, bytes, bool]]:
    """The file backwards in runs of whole lines: ``(offset, data, complete)``, last run first.
    ``data`` is whole lines, each with its newline; a line longer than a block is carried over
    until its start is read. The bytes after the file's last newline come first, alone, with
    ``complete`` False (an append a crash cut short)."""
    position = os.fstat(fd).st_size
    carry = b""  # the start of the block after this one: a line that begins in this block
    last = True
    while position > 0:
        start = max(0, position - block_size)
        data = os.pread(fd, position - start, start) + carry
        position = start
        cut = 0
        if start > 0:
            newline = data.find(b"\n")
            if newline < 0:
                carry = data
                continue
            cut = newline + 1
        carry = data[:cut]
        body = data[cut:]
        if last:
            last = False
            end = body.rfind(b"\n") + 1
            if end < len(body):
                yield start + cut + end, body[end:], False
            body = body[:end]
        if body:
            yield start + cut, body, True


def reverse_lines(fd: int, block_size: int = BLOCK_SIZE) -> Iterator[RawLine]:
    """The file's lines, last first: time and memory follow what the caller takes, not the
    file's size."""
    for offset, data, complete in _runs(fd, block_size):
        if not complete:
            yield RawLine(offset, data, complete=False)
            continue
        at = offset + len(data)
        for line in reversed(data.split(b"\n")[:-1]):
            at -= len(line) + 1
            yield RawLine(at, line)


def reverse_lines_with(fd: int, needles: tuple[bytes, ...], block_size: int = BLOCK_SIZE,
                       ) -> Iterator[RawLine]:
    """Only the lines that contain one of ``needles``, last first, found by a byte search over
    each run: one organization's few lines among a million cost a scan, not a million parses."""
    for offset, data, complete in _runs(fd, block_size):
        if not complete:
            if any(needle in data for needle in needles):
                yield RawLine(offset, data, complete=False)
            continue
        starts: set[int] = set()
        for needle in needles:
            end = len(data)
            while (found := data.rfind(needle, 0, end)) >= 0:
                end = data.rfind(b"\n", 0, found) + 1
                starts.add(end)
        for line_start in sorted(starts, reverse=True):
            yield RawLine(offset + line_start, data[line_start:data.find(b"\n", line_start)])


def _line_number(fd: int, offset: int) -> int:
    """The 1-based number of the line starting at ``offset``: counts newlines before it (only
    done for a damaged line, so the cost is paid once, when there is something to report)."""
    count, at = 0, 0
    while at < offset:
        chunk = os.pread(fd, min(1 << 20, offset - at), at)
        if not chunk:
            break
        count += chunk.count(b"\n")
        at += len(chunk)
    return count + 1


def _parse(line: bytes) -> HistoryEntry | str:
    """An entry, or why the line is not one."""
    try:
        parsed = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        return f"invalid JSON ({error.args[0] if error.args else error})"
    if not isinstance(parsed, dict):
        return "not a JSON object"
    if not isinstance(parsed.get("revision"), int) or isinstance(parsed["revision"], bool):
        return "no whole-number revision"
    try:
        return HistoryEntry.from_json(parsed)
    except (TypeError, ValueError) as error:
        return str(error)


parse_line = _parse


def _wanted(entry: HistoryEntry, organization_id: int | None, system: bool) -> bool:
    if organization_id is not None:
        return entry.organization_id == organization_id
    return not system or entry.scope == "system" or entry.event is not None


def read_newest(
    path: Path,
    *,
    limit: int | None = None,
    after_revision: int | None = None,
    organization_id: int | None = None,
    system: bool = False,
    block_size: int = BLOCK_SIZE,
) -> list[HistoryEntry]:
    """Entries newest first, read from the end of the file and stopped as soon as the request
    is met: ``limit`` entries, or the first entry at or before ``after_revision``.

    ``organization_id`` keeps one organization's entries; ``system`` the system level's and the
    store's own notes. Unfiltered, a damaged line is reported in place as an ``unreadable``
    note naming its line number, so that a reader of the history sees that something is there.
    """
    if limit is not None and limit <= 0:
        return []
    try:
        fd = open_file(path, os.O_RDONLY, links_allowed=True)
    except FileNotFoundError:
        return []
    # Cheap byte tests first: on a million lines, most are skipped without parsing them. (The
    # writer is orjson: compact, so an organization's lines hold exactly this.)
    filtered = organization_id is not None or system
    lines = reverse_lines(fd, block_size)
    if organization_id is not None:
        lines = reverse_lines_with(fd, (b'"organization_id":%d,' % organization_id,), block_size)
    elif system:
        lines = reverse_lines_with(fd, (b'"scope":"system"', b'"event":'), block_size)
    entries: list[HistoryEntry] = []
    try:
        for line in lines:
            if not line.data.strip():
                continue
            parsed = _parse(line.data)
            if isinstance(parsed, str):
                if not line.complete or filtered or after_revision is not None:
                    continue
                number = _line_number(fd, line.offset)
                parsed = HistoryEntry(
                    "", "", None, 0, None, None, None, None, None, None, event="unreadable",
                    detail=f"line {number} of {path.name}: {parsed}; left as it is")
            elif after_revision is not None and parsed.revision <= after_revision:
                break
            elif not _wanted(parsed, organization_id, system):
                continue
            entries.append(parsed)
            if limit is not None and len(entries) >= limit:
                break
    finally:
        os.close(fd)
    return entries


def ends_with_newline(path: Path) -> bool:
    """True for a missing or empty file, or one whose last line is complete."""
    try:
        fd = open_file(path, os.O_RDONLY, links_allowed=True)
    except FileNotFoundError:
        return True
    try:
        size = os.fstat(fd).st_size
        return size == 0 or os.pread(fd, 1, size - 1) == b"\n"
    finally:
        os.close(fd)


def last_revision(path: Path) -> int:
    """The revision of the last complete line that has one, read from the end (0 if none)."""
    try:
        fd = open_file(path, os.O_RDONLY, links_allowed=True)
    except FileNotFoundError:
        return 0
    try:
        for line in reverse_lines(fd):
            parsed = _parse(line.data)
            if isinstance(parsed, HistoryEntry):
                return parsed.revision
        return 0
    finally:
        os.close(fd)
