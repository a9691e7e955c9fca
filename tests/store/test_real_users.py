"""The README's shared store, with real users: throwaway accounts and a group made for the test
(removed at the end, even on failure), each command run as one of them.

A Python under /root is not reachable by other users, so each command runs in a child started
as root that imports everything it will need, then drops to the user (setgroups, setgid,
setuid), sets the user's umask, and only then runs the command line.
"""

from __future__ import annotations

import grp
import os
import secrets
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.users import User, as_user, throwaway_group, throwaway_user

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="needs root and useradd to make throwaway users (the tests run as root in CI)")

@dataclass(frozen=True)
class People:
    group: str
    gid: int
    admins: dict[str, User]  # by umask: "002", "022", "077"
    support: User
    stranger: User


@pytest.fixture(scope="module")
def people() -> Iterator[People]:
    tag = secrets.token_hex(3)
    group = f"otui{tag}adm"
    options = ["--no-create-home", "--shell", "/usr/sbin/nologin", "--home-dir", "/nonexistent"]
    with (throwaway_group(group) as gid,
          throwaway_user(f"otui{tag}a002", *options, "--groups", group) as a002,
          throwaway_user(f"otui{tag}a022", *options, "--groups", group) as a022,
          throwaway_user(f"otui{tag}a077", *options, "--groups", group) as a077,
          throwaway_user(f"otui{tag}sup", *options) as support,
          throwaway_user(f"otui{tag}str", *options) as stranger):
        yield People(group, gid, {"002": a002, "022": a022, "077": a077}, support, stranger)


@pytest.fixture
def shared(people: People) -> Iterator[Path]:
    """The README's set-up: a directory owned by root and the admins' group, mode 2775, in a
    place every user can reach (pytest's own temp folders are private to root)."""
    top = Path(tempfile.mkdtemp(prefix="outlook-tui-users-"))
    try:
        os.chmod(top, 0o755)
        directory = top / "srv"
        directory.mkdir()
        os.chown(directory, 0, people.gid)
        os.chmod(directory, 0o2775)
        yield directory
    finally:
        shutil.rmtree(top)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def shared_bits(path: Path, people: People) -> tuple[str, str]:
    st = os.lstat(path)
    return stat.filemode(st.st_mode), grp.getgrgid(st.st_gid).gr_name


def every_file(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*"))


@pytest.mark.parametrize("first", ["002", "022", "077"])
def test_whoever_saves_first_and_whatever_their_umask_every_admin_can_save(
        first: str, people: People, shared: Path) -> None:
    store = str(shared / "store.json")
    ok(as_user(people.admins[first], first, "--store", store, "orgs", "add", "Acme"))
    for mask, admin in people.admins.items():  # each admin saves in turn, with their umask
        ok(as_user(admin, mask, "--store", store, "set", "Acme", "tasks_enabled",
                   "false" if mask != "022" else "true"))
    ok(as_user(people.admins["077"], "077", "--store", store, "restore", "1"))
    files = every_file(shared)
    names = {p.name for p in files}
    assert {"store.json", "store.json.lock", "store.history.jsonl", "store.json.backups"} <= names
    for path in files:
        mode, group = shared_bits(path, people)
        assert group == people.group, (path, group)
        if path.is_dir():
            assert mode == "drwxrwsr-x", (path, mode)
        else:
            assert mode == "-rw-rw-r--", (path, mode)


def test_support_staff_outside_the_group_read_whoever_saved_last(
        people: People, shared: Path) -> None:
    store = str(shared / "store.json")
    ok(as_user(people.admins["022"], "022", "--store", store, "orgs", "add", "Acme"))
    for mask in ("022", "077", "002"):  # whoever saved last, support still reads
        ok(as_user(people.admins[mask], mask, "--store", store, "set", "Acme",
                   "contacts_sync_interval_orocrm", str(100 + int(mask))))
        assert os.stat(store).st_uid == people.admins[mask].uid
        listing = ok(as_user(people.support, "022", "--store", store, "show", "Acme"))
        assert str(100 + int(mask)) in listing
    before = Path(store).read_bytes()
    refused = as_user(people.support, "022", "--store", store, "set", "Acme", "tasks_enabled",
                      "false")
    assert refused.returncode == 1 and "read-only" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert Path(store).read_bytes() == before


def test_a_strangers_store_is_refused(people: People, shared: Path) -> None:
    """A file put in a directory only its owner keeps, by a user sharing no group with you,
    is not opened (it could say anything)."""
    theirs = shared.parent / "theirs"
    theirs.mkdir()
    os.chown(theirs, people.stranger.uid, people.stranger.gid)
    os.chmod(theirs, 0o755)
    store = str(theirs / "store.json")
    ok(as_user(people.stranger, "022", "--store", store, "orgs", "add", "Evil"))
    before = Path(store).read_bytes()
    for reader in (people.admins["002"], people.support):
        refused = as_user(reader, "022", "--store", store, "orgs", "list")
        assert refused.returncode == 1, refused.stdout
        assert "shares no group with you" in refused.stderr and "Traceback" not in refused.stderr
    assert Path(store).read_bytes() == before
