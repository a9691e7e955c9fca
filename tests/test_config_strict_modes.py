"""A config.toml holding after_save_command is used only when nobody but the user running
outlook-tui (or root) can have written it: OpenSSH's StrictModes, with a real throwaway user
(created and removed here) owning the file or a directory on its way."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.users import User, as_user, throwaway_user

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("useradd") is None,
    reason="needs root and useradd to make a throwaway user (the tests run as root in CI)")

COMMAND = '[database]\nafter_save_command = "php bin/console cache:clear"\n'


@pytest.fixture(scope="module")
def stranger() -> Iterator[User]:
    with throwaway_user(f"otui{secrets.token_hex(3)}cfg", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", "--home-dir", "/nonexistent") as user:
        yield user


@pytest.fixture
def top() -> Iterator[Path]:
    """A directory every user can reach (pytest's own temp folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="outlook-tui-config-"))
    try:
        os.chmod(path, 0o755)
        yield path
    finally:
        shutil.rmtree(path)


def config_in(directory: Path, mode: int, owner: User | None = None,
              directory_mode: int = 0o755) -> Path:
    directory.mkdir(exist_ok=True)
    os.chmod(directory, directory_mode)
    path = directory / "config.toml"
    path.write_text(COMMAND)
    os.chmod(path, mode)
    if owner is not None:
        os.chown(path, owner.uid, owner.gid)
    return path


def as_root(config: Path, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "outlook_tui", "--config", str(config),
                           "--store", str(store), "set", "--system", "tasks_enabled", "no"],
                          capture_output=True, text=True, timeout=60, check=False)


def test_another_users_writable_config_in_a_world_writable_directory_is_refused_to_root(
        stranger: User, top: Path) -> None:
    """The case seen: another user's config.toml, mode 666, in a world-writable directory."""
    config = config_in(top / "drop", 0o666, owner=stranger, directory_mode=0o777)
    store = top / "store.json"
    refused = as_root(config, store)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"outlook-tui: {config}: after_save_command is not run: {config} is owned by "
        f"{stranger.name}, not by root; a file someone else can write must not choose what "
        "runs as root\n")
    assert not store.exists()  # nothing else of the command happened either

    os.chown(config, 0, 0)  # root's now, still writable by anyone
    refused = as_root(config, store)
    assert refused.returncode == 2
    assert (f"{config} is writable by others (mode -rw-rw-rw-); fix with: chmod go-w {config}"
            in refused.stderr)

    os.chmod(config, 0o644)  # but anyone may still replace it in its directory
    refused = as_root(config, store)
    assert refused.returncode == 2
    assert (f"the directory {config.parent} is writable by others (mode drwxrwxrwx): anyone "
            f"can replace {config} there; fix with: chmod go-w {config.parent}"
            in refused.stderr)
    assert not store.exists()


def test_a_directory_owned_by_another_user_is_refused(stranger: User, top: Path) -> None:
    config = config_in(top / "theirs", 0o600)
    os.chown(config.parent, stranger.uid, stranger.gid)
    refused = as_root(config, top / "store.json")
    assert refused.returncode == 2
    assert (f"the directory {config.parent} is owned by {stranger.name}, not by root: its "
            f"owner can replace {config}" in refused.stderr)


def test_in_a_sticky_directory_like_tmp_only_whose_file_it_is_matters(
        stranger: User, top: Path) -> None:
    config = config_in(top / "tmp", 0o644, directory_mode=0o1777)
    assert as_root(config, top / "store.json").returncode == 0  # root's own file
    os.chown(config, stranger.uid, stranger.gid)
    refused = as_root(config, top / "store.json")
    assert refused.returncode == 2 and f"is owned by {stranger.name}" in refused.stderr


def test_a_user_runs_the_command_of_their_own_config_but_not_one_their_group_can_write(
        stranger: User, top: Path) -> None:
    config = config_in(top / "home", 0o600, owner=stranger, directory_mode=0o700)
    os.chown(config.parent, stranger.uid, stranger.gid)
    ok = as_user(stranger, "022", "--config", str(config), "schema")
    assert ok.returncode == 0, ok.stderr
    os.chmod(config, 0o620)
    refused = as_user(stranger, "022", "--config", str(config), "schema")
    assert refused.returncode == 2
    assert f"{config} is writable by others (mode -rw--w----)" in refused.stderr
