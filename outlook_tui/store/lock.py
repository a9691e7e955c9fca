"""The writers' lock: ``flock`` on a sibling ``<store>.lock`` file.

flock belongs to the open file, so it dies with the process: a writer killed mid-save leaves no
stale lock behind. The holder writes who it is into the file, so that a writer kept waiting can
name them.
"""

from __future__ import annotations

import errno
import fcntl
import json
import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from outlook_tui.store.errors import LockTimeout, StoreWriteError
from outlook_tui.store.identity import current_user

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


@contextmanager
def locked(lock_path: Path, timeout: float | None = None, mode: int = 0o660) -> Iterator[None]:
    """Hold the exclusive lock for the duration of the block."""
    timeout = timeout_from_environment() if timeout is None else timeout
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise StoreWriteError(f"{lock_path} is a symbolic link; refusing to use it") from None
        raise StoreWriteError(
            f"cannot open the lock file {lock_path}: {error.strerror}; nothing was saved"
        ) from None
    try:
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= timeout:
                    raise LockTimeout(lock_path, _holder(fd), waited) from None
                time.sleep(0.02)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        me = json.dumps({"user": current_user(), "pid": os.getpid(),
                         "host": os.uname().nodename, "since": stamp}).encode()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, me, 0)
        except OSError:
            pass  # naming the holder is a courtesy; a full disk must not stop the save here
        yield
    finally:
        os.close(fd)  # releases the flock
