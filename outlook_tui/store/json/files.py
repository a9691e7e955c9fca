"""The files that make up one JSON store, named from the store's path.

For a store at ``store.json``:

- ``store.json``: the document (``schema_version``, ``store_id``, ``revision``, ``system``,
  ``organizations``), indented, stable key order, organizations in name order;
- ``store.json.lock``: the writers' ``flock`` (see :mod:`outlook_tui.store.lock`);
- ``store.history.jsonl``: one line per committed change (see :mod:`outlook_tui.store.history`);
- ``store.json.backups/``: the last five replaced versions, as hard links (free to keep);
- ``store.json.corrupt-<UTC time>``: a damaged file set aside by a restore.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from outlook_tui.store.fileops import FileOps
from outlook_tui.store.snapshot import Fingerprint

BACKUPS_KEPT = 5


@dataclass(frozen=True)
class StoreFiles:
    path: Path
    lock_timeout: float | None = None
    ops: FileOps = field(default_factory=FileOps)
    backups_kept: int = BACKUPS_KEPT

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    @property
    def history_path(self) -> Path:
        return self.path.with_name(self.path.name.removesuffix(".json") + ".history.jsonl")

    @property
    def backups_path(self) -> Path:
        return self.path.with_name(self.path.name + ".backups")


def fingerprint_of(st: os.stat_result) -> Fingerprint:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0
