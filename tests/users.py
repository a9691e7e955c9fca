"""Throwaway OS users, and commands run as one (tests/store/test_real_users.py,
tests/test_config_strict_modes.py, tests/e2e/test_ssh.py).

A user is claimed before it is made (tests/sweep.py), so a run killed while it exists leaves it
to the next run's sweep.

A Python under /root is not reachable by other users, so each command runs in a child started
as root that imports everything it will need, then drops to the user (setgroups, setgid,
setuid), sets the user's umask, and only then runs the command line.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.sweep import change_users, swept_at_end

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import os, sys, pkgutil, importlib
import outlook_tui
for module in pkgutil.walk_packages(outlook_tui.__path__, "outlook_tui."):
    if ".app" not in module.name and not module.name.endswith("__main__"):
        importlib.import_module(module.name)
from outlook_tui import cli
from outlook_tui.store import models
models.check_document({"schema_version": 1, "store_id": "x", "revision": 0, "organizations": [
    {"id": 1, "name": "A", "created_at": "2026-01-01T00:00:00Z",
     "updated_at": "2026-01-01T00:00:00Z", "overrides": {"tasks_enabled": True}}]})
models.check_organization({"id": 1})
import encodings.idna, json, uuid, socket  # anything the command may still reach for
uid, gid, umask = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3], 8)
name = __import__("pwd").getpwuid(uid).pw_name
os.setgroups(os.getgrouplist(name, gid))
os.setgid(gid)
os.setuid(uid)
os.umask(umask)
sys.argv = ["outlook-tui", *sys.argv[4:]]
sys.exit(cli.main())
"""


@dataclass(frozen=True)
class User:
    name: str
    uid: int
    gid: int
    home: Path = Path("/nonexistent")


@contextlib.contextmanager
def throwaway_user(name: str, *useradd_options: str) -> Iterator[User]:
    """``useradd`` a user (with a group of its own) for the duration; removed at the end with
    its processes, or by the next run's sweep if this run is killed."""
    with swept_at_end(user=name):
        change_users("useradd", "--user-group", *useradd_options, name)
        entry = pwd.getpwnam(name)
        yield User(name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))


@contextlib.contextmanager
def throwaway_group(name: str) -> Iterator[int]:
    """``groupadd`` a group for the duration (its gid); removed as :func:`throwaway_user`."""
    with swept_at_end(group=name):
        change_users("groupadd", name)
        yield grp.getgrnam(name).gr_gid


def as_user(user: User, umask: str, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
           "HOME": "/nonexistent", "LANG": "C.UTF-8", "OUTLOOK_TUI_LOCK_TIMEOUT": "10"}
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(user.uid), str(user.gid), umask, *argv],
        capture_output=True, text=True, timeout=120, env=env, cwd="/", check=False)
