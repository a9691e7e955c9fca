"""Real terminals for the end-to-end tests: a tmux server of our own at 80x24, and one wait.

Every wait polls until what the user would see is there, with a generous timeout: nothing in
these tests depends on how fast the machine is. Keys are sent as one ``send-keys`` command, which
tmux writes to the terminal at once: the app receives a story the way SSH and paste deliver it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from tests.sweep import claim, release

#: The installed command, as an admin runs it (beside the test run's Python).
EXECUTABLE = Path(sys.executable).with_name("outlook-tui")
#: Long enough for a loaded CI machine; a passing run never waits for it.
WAIT_SECONDS = 60.0

T = TypeVar("T")


def eventually(probe: Callable[[], T | None], what: str,
               timeout: float = WAIT_SECONDS, describe: Callable[[], str] = str) -> T:
    """Poll ``probe`` until it returns something other than None/False; fail naming ``what``
    (and ``describe()``, e.g. the screen) when it never does."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result is not None and result is not False:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not so after {timeout:.0f} s\n{describe()}")
        time.sleep(0.05)


def process_gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for its parent has ended too)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def zombie_exit_status(pid: int) -> int | None:
    """The exit status of a process that has ended but was not reaped yet, else None."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] != "Z":
        return None
    code = int(fields[-1])  # field 52: the status word waitpid would give
    return os.waitstatus_to_exitcode(code) if code & 0x7F == 0 else 128 + (code & 0x7F)


def lines_left(screen: str, *besides: str) -> list[str]:
    """What an ended command left on the screen: its lines but blank ones, tmux's own word on
    the ended command and those starting with one of ``besides``."""
    return [line for line in screen.splitlines()
            if line.strip() and not line.startswith(("Pane is dead", *besides))]


class Tmux:
    """A tmux server on a socket of its own with one ``width``x``height`` window running
    ``command``; the window stays after the command ends, to read how it ended."""

    def __init__(self, command: Sequence[str], *, width: int = 80, height: int = 24) -> None:
        self.socket = f"outlook-e2e-{uuid.uuid4().hex[:12]}"
        self._claim = claim(marker=self.socket)  # the server's command line names its socket
        # CI runs with no terminal and no TERM; tmux itself needs neither with -d. exec: the
        # window's process is the command itself, not a shell waiting for it.
        env = {**os.environ, "TERM": "xterm-256color"}
        env.pop("TMUX", None)
        self._env = env
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", str(width),
                   "-y", str(height), "exec " + shlex.join(command))
        self._tmux("set-option", "-t", "t", "remain-on-exit", "on")

    def _tmux(self, *args: str, check: bool = True) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], check=check,
                              capture_output=True, text=True, env=self._env,
                              stdin=subprocess.DEVNULL).stdout

    def send(self, *keys: str) -> None:
        """tmux key names ("Enter", "Tab", "C-s") and text, all in one write."""
        self._tmux("send-keys", "-t", "t", *keys)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t", check=False)

    def wait_for(self, *texts: str, timeout: float = WAIT_SECONDS) -> str:
        """The screen once it shows every one of ``texts`` in one capture: parts of a screen
        are drawn one after another (the status line before the footer), so a capture taken
        when one text appears may not hold the others yet."""
        def shown() -> str | None:
            screen = self.screen()
            return screen if all(text in screen for text in texts) else None

        what = " and ".join(repr(text) for text in texts)
        return eventually(shown, f"{what} on the screen", timeout, describe=self.screen)

    def pane_pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", "t", "#{pane_pid}"))

    def exit_status(self) -> int | None:
        """The command's exit status once it has ended, else None.

        tmux 3.3 can mark a pane dead when its terminal closes and then never reap the process
        (no status, a zombie under the tmux server): the status is then read from the zombie's
        ``/proc/PID/stat`` (``exit_code``, as waitpid reports it)."""
        fields = self._tmux("display-message", "-p", "-t", "t",
                            "#{pane_dead} #{pane_dead_status} #{pane_pid}").split()
        if fields[:1] != ["1"]:
            return None
        if len(fields) == 3:
            return int(fields[1])
        return zombie_exit_status(int(fields[-1])) if len(fields) == 2 else None

    def wait_for_exit(self, timeout: float = WAIT_SECONDS) -> int:
        status: int = eventually(self.exit_status, "the command in the terminal ended", timeout,
                                 describe=self.screen)
        return status

    def ended(self) -> tuple[int, str]:
        """Wait for the command to end and close the terminal: its exit status and the
        screen it left."""
        try:
            return self.wait_for_exit(), self.screen()
        finally:
            self.close()

    def close(self) -> None:
        """Closing the terminal: the command's terminal hangs up."""
        self._tmux("kill-server", check=False)
        release(self._claim)


#: From the organizations table: filter to Globex, open its Configuration, clear Use System on
#: CRM Sync Interval (focus starts on Sync Direction's; Tab passes the two choices' checkboxes),
#: type 300 over the inherited value.
EDIT_GLOBEX_CRM_SYNC_INTERVAL = ("/", "glob", "Enter", "Enter", "Tab", "Tab", "Space", "Tab",
                                 "C-u", "300")
