"""The writers' lock: ``flock`` on a sibling ``<store>.lock`` file.

flock belongs to the open file, so it dies with the process: a writer killed mid-save leaves no
stale lock behind. The holder writes who it is into the file, so that a writer kept waiting can
name them.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from outlook_tui.store.beside import RefusedFile, Sharing, open_file
from outlook_tui.store.errors import LockTimeout, StoreWriteError
from outlook_tui.store.identity import current_user
from outlook_tui.store.waiting import SaveControl, Waiting

DEFAULT_TIMEOUT = 5.0
TIMEOUT_VARIABLE = "OUTLOOK_TUI_LOCK_TIMEOUT"


def timeout_from_environment() -> float:
    """Seconds a writer waits for the lock: ``$OUTLOOK_TUI_LOCK_TIMEOUT``, else 5.

    Read at each save, not at import, so that a bad value is reported (ValueError naming the
    variable) where the command line can turn it into a usage error, never a traceback.
    """
    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ValueError(f"{TIMEOUT_VARIABLE} must be a number of seconds (0 or more), "
                         f"got {text!r}")
    return seconds


def _holder(fd: int) -> str:
    try:
        data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return (
            f"{data.get('user', '?')} (pid {data.get('pid', '?')} on {data.get('host', '?')}, "
            f"since {data.get('since', '?')})"
        )
    except (OSError, ValueError):
        return "another process"


class Lock:
    """The held lock: the open lock file, and a way to ask whether it is still the one at the
    lock path (someone may delete or replace the file while we hold it; a writer opening the
    path then would lock another file and get in beside us)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.fd = fd

    def still_held(self) -> bool:
        return _same_file(self.fd, self.path)


def _same_file(fd: int, path: Path) -> bool:
    try:
        at_path = os.lstat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (mine.st_dev, mine.st_ino) == (at_path.st_dev, at_path.st_ino)


@contextmanager
def locked(lock_path: Path, timeout: float | None = None,
           control: SaveControl | None = None) -> Iterator[Lock]:
    """Hold the exclusive lock for the duration of the block.

    While it waits, ``control`` hears who holds the lock, and a cancel ends the wait
    (:class:`~outlook_tui.store.waiting.Cancelled`).

    After ``flock`` succeeds, the locked file must still be the one at the lock path: a writer
    that waited on a file since deleted or replaced would otherwise share the lock with the one
    that locked the new file. Then it opens the path again and waits anew.
    """
    timeout = timeout_from_environment() if timeout is None else timeout
    sharing = Sharing.of(lock_path.parent)
    start = time.monotonic()
    while True:
        try:
            fd = open_file(lock_path, os.O_RDWR | os.O_CREAT, sharing=sharing)
        except OSError as error:
            raise StoreWriteError(
                f"cannot use the lock file: {error}; nothing was saved" if isinstance(
                    error, RefusedFile) else
                f"cannot open the lock file {lock_path}: {error.strerror}; nothing was saved"
            ) from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    waited = time.monotonic() - start
                    if waited >= timeout:
                        raise LockTimeout(lock_path, _holder(fd), waited) from None
                    if control is not None:
                        control.check()
                        control.report(Waiting(f"the lock file {lock_path}", (_holder(fd),)))
                    time.sleep(0.02)
        except BaseException:
            os.close(fd)
            raise
        if _same_file(fd, lock_path):
            if control is not None:
                control.report(None)
            break
        os.close(fd)  # a lock on a file no longer at the path locks nothing: start again
    try:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        me = json.dumps({"user": current_user(), "pid": os.getpid(),
                         "host": os.uname().nodename, "since": stamp}).encode()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, me, 0)
        except OSError:
            pass  # naming the holder is a courtesy; a full disk must not stop the save here
        yield Lock(lock_path, fd)
    finally:
        os.close(fd)  # releases the flock
