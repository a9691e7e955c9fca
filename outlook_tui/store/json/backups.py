"""Backups: every save keeps the replaced file as a hard link in ``<store>.backups/`` (the
newest ``backups_kept``), named by its revision and the time it was replaced."""

from __future__ import annotations

import contextlib
import os
import re
import time
from pathlib import Path

from outlook_tui.store.backend import Backup
from outlook_tui.store.json.files import StoreFiles
from outlook_tui.store.json.reading import peek_revision


def keep(files: StoreFiles, target: Path | None) -> Path:
    """Keep the current store file as ``target``, or as the newest backup."""
    if target is None:
        files.backups_path.mkdir(exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"{time.time_ns() % 10**9:09d}"
        revision = peek_revision(files.path)
        target = files.backups_path / f"r{revision:09d}-{stamp}Z.json"
    try:
        os.link(files.path, target)
    except OSError:
        # No hard links here (some network file systems): copy instead.
        target.write_bytes(files.path.read_bytes())
    return target


def rotate(files: StoreFiles) -> None:
    for old in backup_files(files)[files.backups_kept:]:
        with contextlib.suppress(OSError):
            old.unlink()


def backup_files(files: StoreFiles) -> list[Path]:
    try:
        return sorted(files.backups_path.glob("r*.json"), reverse=True)
    except OSError:
        return []


def listed(files: StoreFiles) -> list[Backup]:
    """The backups, newest first (number 1)."""
    result = []
    for number, path in enumerate(backup_files(files), start=1):
        match = re.match(r"r(\d+)-(\d{8}T\d{6})", path.name)
        revision = int(match.group(1)) if match else None
        saved = match.group(2) if match else ""
        if saved:
            saved = (f"{saved[0:4]}-{saved[4:6]}-{saved[6:8]}T{saved[9:11]}:"
                     f"{saved[11:13]}:{saved[13:15]}Z")
        result.append(Backup(number, path, revision, saved, path.stat().st_size))
    return result


def corrupt_name(path: Path) -> Path:
    """Where a restore sets a damaged store aside."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return path.with_name(f"{path.name}.corrupt-{stamp}")
