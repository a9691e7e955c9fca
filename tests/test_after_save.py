"""The command run after a save (outlook_tui/after_save.py), with a real /bin/sh: its
environment holds no secret, it is bounded, a stop ends it and everything it started, and a
flood of output is cut, not kept. The runs against Oro's database are in tests/postgres/."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from outlook_tui.after_save import KEPT_BYTES, AfterSaveRun, command_environment
from tests.e2e.terminal import process_gone

URI = "postgresql://oro_admin:Pa55%25zz word@db.example/oro?sslpassword=key-secret"


def test_the_environment_loses_every_password_and_keeps_what_ssh_and_psql_need() -> None:
    environ = {"PATH": "/usr/bin", "HOME": "/home/admin", "SSH_AUTH_SOCK": "/tmp/agent.1",
               "PGPASSFILE": "/home/admin/.pgpass", "PGPASSWORD": "pg-secret",
               "MYSQL_PWD": "my-secret", "DEPLOY_SECRET": "s", "smtp_password": "p",
               "OUTLOOK_TUI_STORE": URI, "DATABASE_URL": "postgresql://u:Pa55%zz word@db/oro"}
    environment = command_environment(environ, revision=7,
                                      store_location="postgresql://oro_admin@db.example/oro")
    assert environment == {
        "PATH": "/usr/bin", "HOME": "/home/admin", "SSH_AUTH_SOCK": "/tmp/agent.1",
        "PGPASSFILE": "/home/admin/.pgpass", "OUTLOOK_TUI_REVISION": "7",
        "OUTLOOK_TUI_STORE": "postgresql://oro_admin@db.example/oro"}


def test_a_password_given_by_store_is_kept_out_too() -> None:
    environment = command_environment({"LEFTOVER": "key-secret"}, revision=1,
                                      store_location="postgresql://db/oro", store_uri=URI)
    assert "LEFTOVER" not in environment


def run_of(command: str, tmp_path: Path, timeout: float = 60) -> AfterSaveRun:
    return AfterSaveRun(command, revision=3, timeout=timeout,
                        environment={"PATH": os.environ["PATH"], "HERE": str(tmp_path)})


def test_output_and_exit_status_are_reported(tmp_path: Path) -> None:
    done = run_of("echo cleared r$OUTLOOK_TUI_REVISION$HERE; echo oops >&2", tmp_path).run()
    assert done.notices == ["after_save_command ran: echo cleared r$OUTLOOK_TUI_REVISION$HERE; "
                            "echo oops >&2", f"after_save_command: cleared r{tmp_path}",
                            "after_save_command: oops"]
    failed = run_of("echo busy; exit 3", tmp_path).run()
    assert failed.warnings == ["after_save_command failed (exit status 3): echo busy; exit 3; "
                               "the save itself is committed", "after_save_command: busy"]


def test_a_flood_of_output_is_cut_not_kept(tmp_path: Path) -> None:
    done = run_of(f"head -c {KEPT_BYTES * 4} /dev/zero | tr '\\0' x; echo", tmp_path).run()
    assert done.notices[1] == "after_save_command: " + "x" * KEPT_BYTES
    assert done.notices[2] == (f"after_save_command: ... more, {KEPT_BYTES * 3 + 1} bytes not "
                               "kept")


def test_a_timeout_ends_the_command_and_what_it_started(tmp_path: Path) -> None:
    """The command never ends by itself (``cat`` waits on a pipe nobody writes): the timeout is
    its only way out. Its clock starts once the command has said "waiting" and given the pid of
    what it started (read in ``started``), so a slow machine cannot time it out earlier."""
    never_written, pid_of_cat = tmp_path / "never-written", tmp_path / "pid"
    os.mkfifo(never_written)
    os.mkfifo(pid_of_cat)
    command = f"cat {never_written} & echo waiting; echo $! > {pid_of_cat}; wait"
    pids: list[int] = []
    done = run_of(command, tmp_path, timeout=1).run(
        started=lambda: pids.append(int(pid_of_cat.read_text())))  # blocks until written
    assert done.warnings == [
        f"after_save_command did not finish within 1 s and was stopped (after_save_timeout in "
        f"config.toml): {command}; the save itself is committed", "after_save_command: waiting"]
    assert ended_within(pids[0], 60)  # its pipe closes a moment before it is gone


def test_stop_ends_it_at_once_saying_why(tmp_path: Path) -> None:
    started, release = tmp_path / "started", tmp_path / "release"
    os.mkfifo(started)
    os.mkfifo(release)
    run = run_of(f"echo $$ > {started}; cat {release}", tmp_path)
    outcome = []
    waiter = threading.Thread(target=lambda: outcome.append(run.run()))
    waiter.start()
    pid = int(started.read_text())  # blocks until the command has started
    run.stop("stopped with ctrl+g")
    waiter.join(60)
    assert outcome[0].stopped
    assert outcome[0].warnings == [f"after_save_command stopped with ctrl+g: echo $$ > {started}; "
                                   f"cat {release}; the save itself is committed"]
    assert ended_within(pid, 60)


#: The app, reduced to the hang-up and the command. Its main thread waits as the app's event
#: loop does, woken by any signal: Python runs a signal's handler in the main thread only, and
#: the kernel may hand SIGHUP to another thread; a main thread blocked in Event().wait() then
#: never runs it (seen on a loaded machine: the process never ended).
HANGING_UP = r"""
import os, select, signal, sys, threading
from outlook_tui.after_save import AfterSaveRun
from outlook_tui.terminal import exit_on_hangup
started, release = sys.argv[1], sys.argv[2]
run = AfterSaveRun(f"echo $$ > {started}; cat {release}", revision=1,
                   environment={"PATH": "/usr/bin:/bin"})
exit_on_hangup(saving=lambda: False, fds=(),
               before_exit=lambda: run.stop("stopped: the terminal went away"))
threading.Thread(target=run.run, daemon=True).start()
wake_read, wake_write = os.pipe()
os.set_blocking(wake_write, False)
signal.set_wakeup_fd(wake_write)  # written by any thread the signal lands on
while True:
    select.select([wake_read], [], [])
    os.read(wake_read, 512)  # back in Python: the handler runs here
"""


def test_the_command_does_not_outlive_a_terminal_that_went_away(tmp_path: Path) -> None:
    """The app ends at once on a hang-up (os._exit): the command, in a session of its own,
    would run on unbounded, with nobody left to stop it at its timeout."""
    import signal
    import subprocess
    import sys

    from outlook_tui.terminal import HANGUP_STATUS

    started, release = tmp_path / "started", tmp_path / "release"
    os.mkfifo(started)
    os.mkfifo(release)
    app = subprocess.Popen([sys.executable, "-c", HANGING_UP, str(started), str(release)])
    pid = int(started.read_text())  # blocks until the command runs
    app.send_signal(signal.SIGHUP)
    assert app.wait(timeout=60) == HANGUP_STATUS
    # SIGTERM was sent before the process ended: the command's shell ends of it.
    assert ended_within(pid, 60)


def ended_within(pid: int, seconds: float) -> bool:
    """Waits for the process to end (a pidfd is readable once it has), whoever its parent."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], seconds)[0]) or process_gone(pid)
    finally:
        os.close(fd)
