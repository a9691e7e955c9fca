"""A small pseudo-terminal harness: run a command at 80x24, render its output with pyte as a
terminal emulator would, send keys, and time how long until the screen shows something.

Textual's start-up queries (Textual 8, ``linux_driver``): it asks for synchronized output
(``CSI ? 2026 $ p``) and in-band resize (``CSI ? 2048 $ p``) support with DECRQM, and pushes
kitty keyboard flags (``CSI > n u``). It never blocks on the answers, but a terminal answers, so
this one answers DECRQM the way xterm does for modes it does not implement (``CSI ? n ; 0 $ y``)
and stays silent on the kitty push, as xterm does (so keys are sent as plain xterm sequences).
Primary device attributes (``CSI c``) and cursor position (``CSI 6 n``) are answered too, should
an app ask. pyte prints the ``u`` of ``CSI < u`` (kitty pop, sent at exit) as text: those kitty
sequences are removed before pyte sees them.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyte

KEYS: dict[str, bytes] = {
    "up": b"\x1b[A", "down": b"\x1b[B", "right": b"\x1b[C", "left": b"\x1b[D",
    "enter": b"\r", "escape": b"\x1b", "tab": b"\t", "backspace": b"\x7f",
    "pageup": b"\x1b[5~", "pagedown": b"\x1b[6~", "home": b"\x1b[H", "end": b"\x1b[F",
    "ctrl+q": b"\x11", "ctrl+c": b"\x03",
}

_QUERY = re.compile(rb"\x1b\[(?:\?(\d+)\$p|0?c|6n)")
_KITTY = re.compile(rb"\x1b\[[<=>?][0-9;]*u")
# An escape sequence cut at the end of a read: held back until the rest arrives.
_PARTIAL = re.compile(rb"\x1b(?:\[[<=>?0-9;$]*)?\Z")

Snapshot = tuple[tuple[Any, ...], ...]


class Timeout(Exception):
    """``wait_until`` ran out of time; ``elapsed`` is how long it waited."""

    def __init__(self, what: str, elapsed: float) -> None:
        super().__init__(f"timed out after {elapsed:.1f} s waiting for {what}")
        self.elapsed = elapsed


def terminal_env(columns: int = 80, lines: int = 24,
                 extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a plain xterm, without Textual's devtools or animations."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TEXTUAL", "TMUX", "TERM_PROGRAM", "KITTY", "WT_"))}
    env.update({
        "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines),
        "TEXTUAL_ANIMATIONS": "none", "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.pop("NO_COLOR", None)
    env.update(extra or {})
    return env


class Terminal:
    """One command in a pseudo-terminal, rendered by ``pyte``.

    ``started`` is the monotonic time just before the fork: first-paint times count from there,
    interpreter start-up included.
    """

    def __init__(self, argv: Sequence[str], columns: int = 80, lines: int = 24,
                 env: Mapping[str, str] | None = None, cwd: str | None = None) -> None:
        self.columns, self.lines = columns, lines
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()  # everything the command wrote, for debugging
        self.replies: list[bytes] = []
        self.closed = False
        self.exit_status: int | None = None
        self._held = b""
        self._tail = b""
        environment = dict(env) if env is not None else terminal_env(columns, lines)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal before the program can ask, then exec
            try:
                if cwd:
                    os.chdir(cwd)
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
                os.execvpe(argv[0], list(argv), environment)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        os.set_blocking(fd, False)

    # -- output ------------------------------------------------------------------------------

    def _answer(self, data: bytes) -> None:
        scan = self._tail + data
        for match in _QUERY.finditer(scan):
            if match.end() <= len(self._tail):
                continue  # answered already, with the previous read
            text = match.group(0)
            if match.group(1) is not None:
                reply = b"\x1b[?%s;0$y" % match.group(1)
            elif text.endswith(b"c"):
                reply = b"\x1b[?1;2c"
            else:
                reply = b"\x1b[%d;%dR" % (self.screen.cursor.y + 1, self.screen.cursor.x + 1)
            self.replies.append(reply)
            self._write(reply)
        self._tail = scan[-16:]

    def _feed(self, data: bytes) -> None:
        self.raw += data
        self._answer(data)
        data = self._held + data
        partial = _PARTIAL.search(data)
        if partial is not None:
            self._held, data = data[partial.start():], data[: partial.start()]
        else:
            self._held = b""
        self.stream.feed(_KITTY.sub(b"", data))

    def pump(self, timeout: float = 0.0) -> bool:
        """Wait up to ``timeout`` for output, then read all there is. True if anything came."""
        if self.closed:
            return False
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return False
        got = False
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            except OSError as error:  # EIO: the child closed the terminal
                if error.errno in (errno.EIO, errno.EBADF):
                    self.closed = True
                    break
                raise
            if not data:
                self.closed = True
                break
            self._feed(data)
            got = True
        return got

    def wait_until(self, predicate: Callable[[Terminal], bool], timeout: float,
                   what: str = "the screen", since: float | None = None) -> float:
        """Seconds from ``since`` (default: now) until ``predicate(self)`` holds, checked after
        each burst of output. Raises :class:`Timeout`."""
        start = time.perf_counter() if since is None else since
        deadline = time.perf_counter() + timeout
        if predicate(self):
            return time.perf_counter() - start
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or self.closed:
                status = f" (the program ended: {self._reap(0.5)})" if self.closed else ""
                raise Timeout(what + status, time.perf_counter() - start)
            if self.pump(min(remaining, 0.05)) and predicate(self):
                return time.perf_counter() - start

    def settle(self, quiet: float = 0.1, timeout: float = 5.0) -> float:
        """Read until nothing has come for ``quiet`` seconds (or ``timeout``); return the time of
        the last output, relative to now at the call."""
        start = time.perf_counter()
        last = start
        while time.perf_counter() - start < timeout and not self.closed:
            if self.pump(quiet):
                last = time.perf_counter()
            else:
                break
        return last - start

    # -- input -------------------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(self.fd, view)
            except BlockingIOError:
                select.select([], [self.fd], [], 0.05)
                continue
            view = view[written:]

    def send(self, keys: str | bytes) -> float:
        """Send text or one named key (``"down"``, ``"enter"``); return the time it was sent."""
        if isinstance(keys, str):
            keys = KEYS.get(keys, keys.encode())
        self._write(keys)
        return time.perf_counter()

    # -- the screen --------------------------------------------------------------------------

    def screen_text(self) -> str:
        return "\n".join(self.screen.display)

    def snapshot(self) -> Snapshot:
        """Every cell with its attributes (colors, reverse, bold): a moved highlight shows."""
        buffer = self.screen.buffer
        return tuple(tuple(buffer[y][x] for x in range(self.columns))
                     for y in range(self.lines))

    def changed_from(self, before: Snapshot) -> Callable[[Terminal], bool]:
        return lambda term: term.snapshot() != before

    def contains(self, text: str) -> Callable[[Terminal], bool]:
        return lambda term: any(text in line for line in term.screen.display)

    # -- the process -------------------------------------------------------------------------

    def peak_rss(self) -> int | None:
        """The process's peak resident set (VmHWM) in bytes, while it runs."""
        try:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def exit_code(self) -> int | None:
        if self.exit_status is None:
            with contextlib.suppress(ChildProcessError):
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.exit_status = os.waitstatus_to_exitcode(status)
        return self.exit_status

    def _reap(self, wait: float) -> int | None:
        """The exit status of a program that closed its terminal, waiting up to ``wait``."""
        deadline = time.perf_counter() + wait
        while self.exit_code() is None and time.perf_counter() < deadline:
            time.sleep(0.01)
        return self.exit_status

    def kill(self, grace: float = 1.0) -> None:
        """End the command (its process group: pty.fork made it a session leader), reap it and
        close the terminal."""
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            if self.exit_code() is not None:
                break
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, sig)
            deadline = time.perf_counter() + wait
            while self.exit_code() is None and time.perf_counter() < deadline:
                self.pump(0.02)  # keep draining, so a writer is not stuck on a full pty
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.closed = True

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()
