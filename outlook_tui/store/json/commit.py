"""The atomic write behind every save: temp file in the same directory, fsync, keep the old
version as a backup, ``os.replace``, fsync the directory, read back, append the history. A
failure at any step puts the previous file back and removes the temp file."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from outlook_tui.store import history as history_file
from outlook_tui.store.beside import Sharing, open_file
from outlook_tui.store.changes import AppliedChange
from outlook_tui.store.errors import InputError, StoreWriteError
from outlook_tui.store.fileops import FileOps
from outlook_tui.store.json import backups
from outlook_tui.store.json.files import StoreFiles, fingerprint_of, size
from outlook_tui.store.snapshot import Fingerprint


def write(files: StoreFiles, data: bytes, history: bytes = b"",
          keep_previous_as: Path | None = None,
          still_ours: Callable[[], str | None] | None = None) -> Fingerprint:
    """Replace the store with ``data`` atomically, then append ``history``. On any failure
    the previous file is put back, no temp file stays, and StoreWriteError says why.

    ``still_ours``, called just before the replace, returns why the save must not go on (the
    lock file was deleted or replaced, the store changed behind the lock), or None.

    Every file created takes its mode and group from the store's directory
    (:class:`~outlook_tui.store.beside.Sharing`), not from the umask: in the README's shared
    set-up, an admin whose umask is 022 or 077 must not lock the others out.
    """
    path = files.path
    directory = path.parent
    try:
        previous: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        previous = None
    sharing = Sharing.of(directory)
    tmp = directory / f".{path.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}"
    step = "creating a temporary file"
    kept: Path | None = None
    replaced = False
    history_size: int | None = None
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     0o600)
        try:
            # The replaced file's group is kept where the directory does not impose one.
            sharing.apply(fd, group=previous.st_gid if previous is not None else -1)
            step = "writing"
            files.ops.write(fd, data)
            step = "flushing to disk (fsync)"
            files.ops.fsync(fd)
        finally:
            os.close(fd)
        if previous is not None:
            step = "keeping the previous version as a backup"
            kept = backups.keep(files, keep_previous_as)
        if still_ours is not None:
            step = "checking the lock"
            why = still_ours()
            if why is not None:
                raise OSError(errno.ESTALE, why)
        step = "replacing the store"
        files.ops.replace(tmp, path)
        replaced = True
        step = "flushing the directory (fsync)"
        files.ops.fsync_directory(directory)
        step = "reading the store back"
        fd = open_file(path, os.O_RDONLY, links_allowed=True)
        with os.fdopen(fd, "rb") as file:
            back = file.read()
            written = fingerprint_of(os.fstat(file.fileno()))
        if back != data:
            raise OSError(errno.EIO, "the file read back differs from what was written")
        if history:
            step = "appending to the history"
            history_size = size(files.history_path)
            append_history(files, history)
    except OSError as error:
        _undo(files, tmp, kept, replaced, history_size)
        raise StoreWriteError(
            f"could not save {path}: {error.strerror or error} ({_errno_name(error)}) "
            f"while {step}; nothing was saved: the store is as it was"
        ) from None
    if kept is not None and keep_previous_as is None:
        backups.rotate(files)
    return written


def append_history(files: StoreFiles, data: bytes) -> None:
    """Append whole lines. After a torn last line (a crash mid-append), start on a new
    line: otherwise the first new line would be glued to the fragment and lost with it."""
    if not history_file.ends_with_newline(files.history_path):
        data = b"\n" + data
    files.ops.append(files.history_path, data, Sharing.of(files.path.parent))


def check_touched(document: dict[str, Any], applied: list[AppliedChange],
                  positions: dict[int, int] | None) -> None:
    """Validate what the changes touched (the rest was validated when read)."""
    from outlook_tui.store import models

    problems = models.check_overrides(document.get("system", {}), ("system",))
    touched = {a.organization_id for a in applied if a.organization_id is not None}
    records = document["organizations"]
    if positions is None:  # organizations moved: find them the long way
        positions = {r["id"]: i for i, r in enumerate(records) if r["id"] in touched}
    for organization_id in sorted(touched, key=lambda o: positions.get(o, -1)):
        index = positions[organization_id]
        problems.extend(models.check_organization(records[index], index))
    if problems:
        raise InputError("nothing was saved: " + "; ".join(problems))


def remove_stale_temp_files(path: Path) -> None:
    """Under the lock: delete the temp files of writers killed mid-save (their pid is gone).

    A temp file of a live pid is left alone: it may be a writer that does not see our lock
    (another host on a network file system), and a dead writer's file is harmless anyway.
    """
    prefix = f".{path.name}.tmp-"
    try:
        names = [e.name for e in os.scandir(path.parent) if e.name.startswith(prefix)]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(path.parent / name)


def _undo(files: StoreFiles, tmp: Path, kept: Path | None, replaced: bool,
          history_size: int | None) -> None:
    """Put things back as they were before a failed save (best effort, each step)."""
    with contextlib.suppress(OSError):
        tmp.unlink()
    if history_size is not None:
        with contextlib.suppress(OSError):  # never through a link swapped in meanwhile
            fd = open_file(files.history_path, os.O_WRONLY)
            try:
                os.ftruncate(fd, history_size)
            finally:
                os.close(fd)
    if replaced and kept is not None:
        undo = tmp.with_name(tmp.name + "-undo")
        try:
            os.link(kept, undo)
            os.replace(undo, files.path)
            FileOps().fsync_directory(files.path.parent)
        except OSError:
            # The new revision stays; the next lock finds it has no history lines and
            # records the gap. The backup link is then the only copy of the old one: keep it.
            return
    if kept is not None:
        with contextlib.suppress(OSError):
            kept.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # under the lock, none of our own saves is under way
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process (EPERM): alive
    return True


def _errno_name(error: OSError) -> str:
    return errno.errorcode.get(error.errno or 0, "error")
