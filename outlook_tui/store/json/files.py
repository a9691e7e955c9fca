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
import stat
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

    def mode(self) -> int:
        """The store file's permission bits, for the files written beside it."""
        try:
            return stat.S_IMODE(os.stat(self.path).st_mode)
        except FileNotFoundError:
            return 0o664 & ~umask()


def describe_kind(mode: int) -> str:
    """What a non-regular file is, in words, for a message."""
    for test, words in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                        (stat.S_ISLNK, "a symbolic link"), (stat.S_ISSOCK, "a socket"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return words
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def fingerprint_of(st: os.stat_result) -> Fingerprint:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
