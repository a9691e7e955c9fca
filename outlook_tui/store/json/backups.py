"""Backups: every save keeps the replaced file as a hard link in ``<store>.backups/`` (the
newest ``backups_kept``), named by its revision and the time it was replaced.

The folder is reached through a descriptor opened without following links, and every link,
copy and removal is made relative to it: a folder swapped for a symbolic link is refused, and
nothing is ever created or deleted outside the store's own folder. Backups are ordered by their
revision as a number (``r9`` before ``r10``), then by the time they were replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from pathlib import Path

from outlook_tui.store.backend import Backup
from outlook_tui.store.beside import RefusedFile, Sharing, open_file, real_directory
from outlook_tui.store.json.files import StoreFiles
from outlook_tui.store.json.reading import peek_revision

_NAME = re.compile(r"r(\d{1,19})-(\d{8}T\d{6})(\d*)Z\.json")


def keep(files: StoreFiles, target: Path | None) -> Path:
    """Keep the current store file as ``target`` (a corrupt copy beside the store), or as the
    newest backup. A hard link where the file system has them, else a copy; never through a
    name that already exists."""
    sharing = Sharing.of(files.path.parent)
    if target is None:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"{time.time_ns() % 10**9:09d}"
        target = files.backups_path / f"r{peek_revision(files.path):09d}-{stamp}Z.json"
        folder = real_directory(files.backups_path, create=sharing)
    else:
        folder = real_directory(target.parent)
    try:
        name = target.name
        for attempt in range(1, 100):
            try:
                _link_or_copy(files.path, folder, name, sharing)
                break
            except FileExistsError:  # a second restore within the same second, or a trap
                name = f"{target.name}-{attempt}"
        else:
            raise RefusedFile(errno.EEXIST, f"{target} and its alternatives already exist")
    finally:
        os.close(folder)
    return target.with_name(name)


def _link_or_copy(source: Path, folder: int, name: str, sharing: Sharing) -> None:
    try:
        os.link(source, name, dst_dir_fd=folder, follow_symlinks=False)
        return
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP,
                               errno.EOPNOTSUPP, errno.ENOSYS):
            raise
    # No hard links here (some network file systems): copy, into a name that must be new.
    reader = open_file(source, os.O_RDONLY, links_allowed=True)
    try:
        data = b""
        while chunk := os.read(reader, 1 << 20):
            data += chunk
    finally:
        os.close(reader)
    writer = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600, dir_fd=folder)
    try:
        sharing.apply(writer)
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view):]
        os.fsync(writer)
    finally:
        os.close(writer)


def _entries(files: StoreFiles) -> list[tuple[tuple[int, str], str, int]]:
    """(sort key, name, size) of each regular backup file, newest first."""
    try:
        folder = real_directory(files.backups_path)
    except FileNotFoundError:
        return []
    found = []
    try:
        for entry in os.scandir(folder):
            match = _NAME.fullmatch(entry.name)
            if match is None:
                continue
            st = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode):
                continue  # not ours: never listed, opened nor deleted
            found.append(((int(match.group(1)), match.group(2) + match.group(3)), entry.name,
                          st.st_size))
    finally:
        os.close(folder)
    found.sort(reverse=True)
    return found


def rotate(files: StoreFiles) -> None:
    """Remove all but the newest ``backups_kept``, inside the backups folder only."""
    try:
        folder = real_directory(files.backups_path)
    except OSError:
        return
    try:
        for _, name, _ in _entries(files)[files.backups_kept:]:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=folder)
    finally:
        os.close(folder)


def listed(files: StoreFiles) -> list[Backup]:
    """The backups, newest first (number 1)."""
    result = []
    for number, ((revision, stamp), name, size) in enumerate(_entries(files), start=1):
        saved = (f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:"
                 f"{stamp[11:13]}:{stamp[13:15]}Z")
        result.append(Backup(number, files.backups_path / name, revision, saved, size))
    return result


def corrupt_name(path: Path) -> Path:
    """Where a restore sets a damaged store aside."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return path.with_name(f"{path.name}.corrupt-{stamp}")
