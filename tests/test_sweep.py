"""A test run killed midway leaves its throwaway servers and users behind; the next test session
sweeps them at its start, and never touches what a live run (another engineer's, in parallel)
is using."""

from __future__ import annotations

import grp
import os
import pwd
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.terminal import eventually, process_gone
from tests.sweep import claim, claims, processes_of, release, sweep, sweep_one
from tests.users import throwaway_group, throwaway_user

ROOT = Path(__file__).resolve().parent.parent


class Run:
    """A test run of its own (a child Python process) that makes throwaway things and says
    what, line by line, then waits to be killed."""

    def __init__(self, script: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(script) + "\nprint('ready', flush=True)\n"
             "import signal\nsignal.pause()\n"],
            cwd=ROOT, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        self.said: list[str] = []
        for line in self.process.stdout:
            if line.strip() == "ready":
                break
            self.said.append(line.strip())
        assert self.said, "the run said nothing before being ready"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def end(self) -> None:
        if self.process.poll() is None:
            self.kill()


@pytest.fixture
def runs() -> Iterator[list[Run]]:
    started: list[Run] = []
    yield started
    for run in started:
        run.end()
    sweep()


def processes_naming(word: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and not process_gone(int(entry.name)):
            try:
                if word.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


#: A directory with a process in it (its command line names the directory), as a server is.
BUSY_DIRECTORY = """
import subprocess, sys, tempfile
from tests.sweep import claim
directory = tempfile.mkdtemp(prefix="outlook-tui-sweep-test-")
claim(directory=directory)
server = subprocess.Popen([sys.executable, "-c", "import signal; signal.pause()", directory],
                          start_new_session=True)
print(directory, flush=True)
"""


def test_a_killed_runs_directory_and_its_processes_are_swept_a_live_runs_kept(
        runs: list[Run]) -> None:
    killed, live = Run(BUSY_DIRECTORY), Run(BUSY_DIRECTORY)
    runs += [killed, live]
    killed_directory, live_directory = killed.said[0], live.said[0]
    # Its server runs in a session of its own: the run's death does not end it. Looked at
    # before the kill: from the kill on, any sweep may end it (another test's here, in the
    # other xdist worker, or another run's start on the machine).
    assert processes_naming(killed_directory), "the run's server is not running"
    [killed_claim] = [c for c in claims() if c.directory == killed_directory]
    killed.kill()

    sweep()

    assert not Path(killed_directory).exists()
    eventually(lambda: not processes_naming(killed_directory), "the left server ended")
    assert not [c for c in claims() if c.directory == killed_directory]
    # What a sweep says it removed (the session's "swept what a killed test run left"),
    # asked of the claim itself: the sweep that removed it may have been another one that
    # ran meanwhile, which is the sweep working too.
    assert sweep_one(killed_claim) == f"directory {killed_directory}"
    # The parallel run's things are untouched while it lives.
    assert Path(live_directory).is_dir()
    assert processes_naming(live_directory)
    assert [c for c in claims() if c.directory == live_directory]


def test_a_claim_released_at_a_normal_end_is_not_swept(tmp_path: Path) -> None:
    claimed = claim(directory=tmp_path)
    assert claimed in [c.path for c in claims()]
    release(claimed)
    sweep()
    assert tmp_path.is_dir()


@pytest.mark.parametrize("server", ["tests.mysql.server:MariaDBServer",
                                    "tests.postgres.server:PostgresServer"])
def test_a_killed_runs_database_server_is_stopped_and_removed(runs: list[Run],
                                                               server: str) -> None:
    module, name = server.split(":")
    run = Run(f"""
        from {module} import {name}
        server = {name}()
        server.start()
        print(server.directory, flush=True)
    """)
    runs.append(run)
    directory = run.said[-1]
    # Looked at while the run lives: once it is killed, any sweep may end its server.
    assert processes_naming(directory), f"{name} is not running"
    run.kill()

    sweep()

    eventually(lambda: not processes_naming(directory), f"the left {name} ended")
    assert not Path(directory).exists()


ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0,
                               reason="creating an OS user needs root (as in CI)")


@ROOT_ONLY
def test_a_killed_runs_throwaway_user_group_and_processes_are_swept(runs: list[Run]) -> None:
    """Made the way every test makes them (tests/users.py), then the run is killed."""
    run = Run("""
        import contextlib, subprocess, uuid
        from tests.users import throwaway_group, throwaway_user
        tag = uuid.uuid4().hex[:8]
        stack = contextlib.ExitStack()  # never closed: the run is killed first
        stack.enter_context(throwaway_group(f"otui{tag}grp"))
        user = stack.enter_context(throwaway_user(f"otui{tag}usr", "--no-create-home",
                                                  "--shell", "/bin/sh", "--groups",
                                                  f"otui{tag}grp"))
        started = subprocess.Popen(["runuser", "-u", user.name, "--", "sh", "-c",
                                    "echo up; exec sleep 600"], start_new_session=True,
                                   stdout=subprocess.PIPE)
        started.stdout.readline()  # the user's process runs
        print(tag, flush=True)
    """)
    runs.append(run)
    tag = run.said[-1]
    uid = pwd.getpwnam(f"otui{tag}usr").pw_uid
    run.kill()

    sweep()

    with pytest.raises(KeyError):
        pwd.getpwnam(f"otui{tag}usr")
    with pytest.raises(KeyError):
        grp.getgrnam(f"otui{tag}grp")
    eventually(lambda: not processes_of(uid), f"otui{tag}usr's processes ended")


@ROOT_ONLY
def test_a_throwaway_user_and_group_go_at_a_normal_end_with_their_claims() -> None:
    tag = uuid.uuid4().hex[:8]

    def ours() -> list[tuple[str | None, str | None]]:
        # Only this test's: another test run on the machine claims and releases its own
        # meanwhile (two fresh clones tested side by side did).
        return [(c.user, c.group) for c in claims() if tag in f"{c.user} {c.group}"]

    with (throwaway_group(f"otui{tag}grp"),
          throwaway_user(f"otui{tag}usr", "--no-create-home", "--groups", f"otui{tag}grp")):
        assert sorted(ours(), key=str) == sorted(
            [(None, f"otui{tag}grp"), (f"otui{tag}usr", None)], key=str)
    with pytest.raises(KeyError):
        pwd.getpwnam(f"otui{tag}usr")
    with pytest.raises(KeyError):
        grp.getgrnam(f"otui{tag}grp")
    assert ours() == []


def test_the_session_start_sweeps(runs: list[Run]) -> None:
    """``pytest`` itself sweeps at its start: a directory left by a killed run is gone after a
    session that ran no test of it."""
    killed = Run(BUSY_DIRECTORY)
    runs.append(killed)
    killed.kill()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider",
         "tests/test_sweep.py::test_a_claim_released_at_a_normal_end_is_not_swept"],
        cwd=ROOT, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    # Gone: swept by that session's start. Its "swept what a killed test run left" line is not
    # asserted: another test run on the machine starting meanwhile may have swept it first
    # (two fresh clones tested side by side did), which is the sweep working too.
    assert not Path(killed.said[0]).exists()
