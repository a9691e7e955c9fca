"""What a killed test run leaves behind is swept at the next start (README, "Development").

The tests make throwaway things outside pytest's own temp dirs: PostgreSQL and MariaDB servers
with their data dirs, OS users with an sshd of their own, tmux servers. Each is written down as a
*claim* before (or right when) it is made, naming the process that made it: its pid and start
time, so a pid the kernel reuses is not taken for the same process. A normal end releases the
claim. When a run is killed (SIGKILL, a lost terminal, a CI timeout) its claims stay; the next
test session sweeps those whose owner process is gone: it ends the processes that use them, then
removes the users and directories. A claim whose owner is alive is never touched, so parallel
runs on one machine (each engineer's own) are safe.
"""

from __future__ import annotations

import contextlib
import grp
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Where claims are written down, one JSON file each.
REGISTRY_NAME = "outlook-tui-test-claims"
#: How long swept processes get to end after SIGKILL before the sweep says so and goes on.
WAIT_SECONDS = 30.0


def registry() -> Path:
    path = Path(tempfile.gettempdir()) / REGISTRY_NAME
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def identity(pid: int) -> str | None:
    """``PID:START`` (start in clock ticks since boot), or None when no such process lives."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return None
    return f"{pid}:{fields[19]}"  # field 22 of stat: starttime


@dataclass(frozen=True)
class Claim:
    path: Path
    owner: str
    directory: str | None = None
    user: str | None = None
    group: str | None = None
    #: A unique word found in the command line of every process that belongs to the thing
    #: (a data dir's path, a tmux socket's name): those are ended when it is swept.
    marker: str | None = None

    def owner_alive(self) -> bool:
        pid = int(self.owner.partition(":")[0])
        return identity(pid) == self.owner


def claim(*, directory: Path | str | None = None, user: str | None = None,
          group: str | None = None, marker: str | None = None) -> Path:
    """Write down a throwaway thing this process makes; :func:`release` it when removed."""
    owner = identity(os.getpid())
    assert owner is not None
    path = registry() / f"{owner.replace(':', '-')}-{uuid.uuid4().hex[:8]}.json"
    record = {"owner": owner, "directory": None if directory is None else str(directory),
              "user": user, "group": group, "marker": marker if marker is not None else
              (None if directory is None else str(directory))}
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record))
    temporary.rename(path)
    return path


def release(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def claims() -> list[Claim]:
    found = []
    for path in sorted(registry().glob("*.json")):
        try:
            record = json.loads(path.read_text())
            found.append(Claim(path, str(record["owner"]), record.get("directory"),
                               record.get("user"), record.get("group"),
                               record.get("marker")))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # being written, or not ours to judge
    return found


def _processes(marker: str | None, uid: int | None) -> list[int]:
    """Live processes whose command line holds ``marker`` or whose real user is ``uid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if identity(int(entry.name)) is None:
                continue
            if marker is not None:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                if marker.encode() in command:
                    found.append(int(entry.name))
                    continue
            if uid is not None and entry.stat().st_uid == uid:
                status = (entry / "status").read_text()
                real = next(line for line in status.splitlines() if line.startswith("Uid:"))
                if int(real.split()[1]) == uid:
                    found.append(int(entry.name))
    return found


def processes_of(uid: int) -> list[int]:
    """Live processes whose real user is ``uid``."""
    return _processes(None, uid)


def change_users(*command: str) -> subprocess.CompletedProcess[str]:
    """useradd, userdel, groupadd, groupdel: retried while another process (a parallel test)
    holds the password files' lock, for up to WAIT_SECONDS; any other failure is an error."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        done = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                              check=False, timeout=WAIT_SECONDS)
        if done.returncode == 0:
            return done
        if "lock" not in done.stderr or time.monotonic() > deadline:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()}")
        time.sleep(0.1)  # polling the password files' lock, bounded by the deadline


def _remove(kind: str, name: str) -> None:
    """userdel/groupdel ``name``; gone already is fine (a user's own group goes with it)."""
    with contextlib.suppress(KeyError):
        (pwd.getpwnam if kind == "user" else grp.getgrnam)(name)
        change_users(f"{kind}del", name)


def sweep_one(found: Claim) -> str:
    """End what belongs to a dead run's claim, remove it, and say what was removed."""
    uid = None
    if found.user is not None:
        with contextlib.suppress(KeyError):
            uid = pwd.getpwnam(found.user).pw_uid
    deadline = time.monotonic() + WAIT_SECONDS
    while pids := _processes(found.marker, uid):
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if time.monotonic() > deadline:
            what = found.marker or found.user
            raise RuntimeError(f"processes {pids} of a killed test run's {what} did not end "
                               f"within {WAIT_SECONDS:.0f} s")
        time.sleep(0.05)  # polling processes ending after SIGKILL, bounded by the deadline
    if found.user is not None:
        _remove("user", found.user)
    if found.group is not None:
        _remove("group", found.group)
    if found.directory is not None:
        shutil.rmtree(found.directory, ignore_errors=True)
    release(found.path)
    return ", ".join(f"{what} {value}" for what, value in (
        ("user", found.user), ("group", found.group), ("directory", found.directory),
        ("processes of", found.marker if found.directory is None else None)) if value)


def sweep() -> list[str]:
    """Sweep every claim whose owner process is gone; what was removed, in words."""
    return [sweep_one(found) for found in claims() if not found.owner_alive()]


@contextlib.contextmanager
def swept_at_end(*, user: str | None = None, group: str | None = None) -> Iterator[None]:
    """Claim a throwaway thing before it is made, and at the end remove it as a sweep would
    (the user's processes ended, the user or group removed, the claim released): one way to
    clean up, whether the run ends normally or is killed and swept at the next start."""
    path = claim(user=user, group=group)
    try:
        yield
    finally:
        sweep_one(Claim(path, "", user=user, group=group))
