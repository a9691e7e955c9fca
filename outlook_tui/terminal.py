"""The terminal the app runs in: refuse to start without one, and leave when it goes away.

Without a terminal (``ssh host outlook-tui`` with no ``-t``, cron, a pipe) Textual reads an
endless end of file and spins; when an SSH connection drops, the terminal hangs up. Either way an
SSH user's session must never leave an outlook-tui behind. Textual-free: the command line checks
for a terminal before the app is imported.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from types import FrameType

#: Exit status after a hang-up: what a shell reports for a process ended by SIGHUP.
HANGUP_STATUS = 128 + signal.SIGHUP
#: How long a save already under way may take to finish after a hang-up (a save takes ~0.1 s;
#: the process still ends within a second, and the store survives being cut at any point).
SAVE_GRACE_SECONDS = 0.8


def missing_terminal() -> str | None:
    """The standard stream that is not a terminal ("standard input"...), or None."""
    for name, stream in (("standard input", sys.stdin), ("standard output", sys.stdout)):
        try:
            is_terminal = stream is not None and stream.isatty()
        except (ValueError, OSError):  # closed or detached
            is_terminal = False
        if not is_terminal:
            return name
    return None


def no_terminal_message(stream: str, commands: Iterable[str],
                        environ: Mapping[str, str] | None = None) -> str:
    """What to do instead, for where the person is. sshd sets SSH_ORIGINAL_COMMAND only when
    a ForceCommand replaced the command the client asked for: then no command of outlook-tui's
    is reachable over that login, and none is recommended."""
    environ = os.environ if environ is None else environ
    needs = f"outlook-tui: the terminal app needs a terminal, and {stream} is not one"
    if "SSH_ORIGINAL_COMMAND" in environ:
        return (f"{needs}.\nThis login opens outlook-tui and nothing else: connect with a "
                "terminal, ssh -t HOST, with no command after HOST (a command given there is "
                "not run).")
    listed = f"{', '.join(commands)} (outlook-tui COMMAND --help)"
    if "SSH_CONNECTION" in environ:
        return (f"{needs}.\nConnect with a terminal: ssh -t HOST (add outlook-tui unless "
                "your login opens it by itself).\n"
                f"From a shell on this host, these commands work without a terminal: {listed}.")
    return (f"{needs} (over SSH: ssh -t HOST outlook-tui).\n"
            f"Without a terminal, use a command: {listed}.")


def exit_on_hangup(saving: Callable[[], bool], fds: Iterable[int] = (0, 1),
                   before_exit: Callable[[], object] = lambda: None,
                   hung_up: Callable[[], object] = lambda: None) -> None:
    """End the process at once when the terminal goes away: on SIGHUP, or when a terminal
    stream reports a hang-up (the other side closed it, which is all a process that is not the
    terminal's session leader gets; ``nohup`` ignores the signal too).

    Nobody is left to ask about unsaved edits, so they are discarded; a save already under way
    (``saving()``) may finish first, after ``hung_up()`` (which cancels a save that waits for
    a lock: nobody is left to see it wait). ``os._exit``: Textual's clean shutdown would write
    to and reset a terminal that no longer exists.
    """
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)

    def on_sighup(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(OSError):  # the pipe is full: a wake-up is on its way
            os.write(wake_write, b"\0")

    poller = select.poll()
    for fd in fds:
        poller.register(fd, 0)  # no events asked for: poll still reports POLLHUP and POLLERR
    poller.register(wake_read, select.POLLIN)

    def watch() -> None:
        poller.poll()
        hung_up()
        deadline = time.monotonic() + SAVE_GRACE_SECONDS
        while saving() and time.monotonic() < deadline:
            time.sleep(0.02)
        before_exit()  # what must not outlive the process (a command still running)
        os._exit(HANGUP_STATUS)

    signal.signal(signal.SIGHUP, on_sighup)
    threading.Thread(target=watch, name="terminal-hangup", daemon=True).start()
