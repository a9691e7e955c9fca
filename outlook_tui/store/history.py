"""The history file beside the store: one JSON line per committed change (JSON Lines).

Oro kept no audit trail of configuration changes for years; this is ours. Each line:
``time`` (UTC), ``user`` (OS account from the uid), ``ssh_client``, ``revision``, ``scope``,
``organization_id``, ``organization_name``, ``key``, ``old``, ``new``. A line with ``"event"`` is
the store's own note (``history_gap``: revisions committed without their history lines, found at
the next lock; ``restore``: a backup restored).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

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


def read(path: Path) -> list[HistoryEntry]:
    """Every entry, oldest first. A torn last line (a crash mid-append) is skipped."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    entries = []
    for line in data.splitlines():
        try:
            parsed = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(parsed, dict):
            entries.append(HistoryEntry.from_json(parsed))
    return entries


def ends_with_newline(path: Path) -> bool:
    """True for a missing or empty file, or one whose last line is complete."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return True
    try:
        size = os.fstat(fd).st_size
        return size == 0 or os.pread(fd, 1, size - 1) == b"\n"
    finally:
        os.close(fd)


def last_revision(path: Path) -> int:
    """The revision of the last complete line, read from the end of the file (0 if none)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return 0
    try:
        size = os.fstat(fd).st_size
        block = 4096
        while True:
            start = max(0, size - block)
            chunk = os.pread(fd, size - start, start)
            for line in reversed(chunk.splitlines()):
                try:
                    parsed = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                if isinstance(parsed, dict) and isinstance(parsed.get("revision"), int):
                    return int(parsed["revision"])
            if start == 0:
                return 0
            block *= 4
    finally:
        os.close(fd)
