"""No terminal, and a terminal that goes away (issue 10): ``outlook-tui`` run without a terminal
(``ssh host outlook-tui`` without -t, cron) exits 2 at once, saying what works without one; when
the terminal hangs up (SSH dropped) the app ends, and never leaves a process behind."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import termios
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pyte
import pytest

from outlook_tui.terminal import HANGUP_STATUS
from tests.conftest import write_store
from tests.e2e.terminal import EXECUTABLE, WAIT_SECONDS, eventually

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("missing", ["standard input", "standard output"])
def test_without_a_terminal_the_app_exits_2_and_names_the_commands_that_work(
        tmp_path: Path, missing: str) -> None:
    store = tmp_path / "store.json"
    primary, terminal = pty.openpty()
    try:
        # The other stream is a terminal: one missing is enough to refuse.
        stdin = subprocess.DEVNULL if missing == "standard input" else terminal
        stdout = subprocess.PIPE if missing == "standard output" else terminal
        done = subprocess.run([EXECUTABLE, "--store", store], stdin=stdin, stdout=stdout,
                              stderr=subprocess.PIPE, timeout=WAIT_SECONDS, check=False)
    finally:
        os.close(primary)
        os.close(terminal)
    assert done.returncode == 2
    message = done.stderr.decode()
    assert f"needs a terminal, and {missing} is not one" in message
    assert "ssh -t" in message
    for command in ("show", "set", "reset", "history", "export", "import"):
        assert command in message
    assert not store.exists(), "refusing to start must not create a store"


class AppInTerminal:
    """The installed app on a pseudo-terminal of 80x24, as sshd gives it one: a new session
    whose controlling terminal it is (or, ``controlling=False``, a process that is not the
    terminal's session leader, as behind a wrapper or nohup: it gets no SIGHUP at all)."""

    def __init__(self, store: Path, *, controlling: bool) -> None:
        self.primary, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

        def take_terminal() -> None:
            if controlling:
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            [EXECUTABLE, "--store", store], stdin=terminal, stdout=terminal, stderr=terminal,
            start_new_session=True, preexec_fn=take_terminal,
            env={**os.environ, "TERM": "xterm-256color"})
        os.close(terminal)
        self.screen = pyte.Screen(80, 24)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        # Read all the time: a terminal nobody reads blocks the app's writes.
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        # Never blocked in read(): a descriptor closed while a read waits on it stays open
        # until the read returns, and the terminal would not hang up.
        while not self._stop.is_set():
            if not select.select([self.primary], [], [], 0.05)[0]:
                continue
            try:
                data = os.read(self.primary, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self._stream.feed(data)

    def text(self) -> str:
        with self._lock:
            return "\n".join(self.screen.display)

    def wait_for(self, text: str) -> None:
        eventually(lambda: text in self.text(), f"{text!r} on the screen", describe=self.text)

    def hang_up(self) -> None:
        """What sshd does when the connection drops: close its side of the terminal."""
        self._stop.set()
        self._reader.join()
        os.close(self.primary)
        self.primary = -1

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.primary >= 0:
            self.hang_up()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return write_store(tmp_path / "store.json", ["Default Organization", "Acme", "Globex"])


@pytest.fixture
def start(store: Path) -> Iterator[Callable[..., AppInTerminal]]:
    started: list[AppInTerminal] = []

    def start_app(*, controlling: bool = True) -> AppInTerminal:
        app = AppInTerminal(store, controlling=controlling)
        started.append(app)
        app.wait_for("3 organizations")
        return app

    yield start_app
    for app in started:
        app.close()


def test_ssh_dropping_the_connection_ends_the_app(start: Callable[..., AppInTerminal]) -> None:
    app = start()
    app.hang_up()
    assert app.process.wait(timeout=WAIT_SECONDS) == HANGUP_STATUS


def test_a_process_the_hang_up_signal_does_not_reach_ends_too(
        start: Callable[..., AppInTerminal]) -> None:
    # Today this one spins at 100% CPU for ever, reading end of file.
    app = start(controlling=False)
    app.hang_up()
    assert app.process.wait(timeout=WAIT_SECONDS) == HANGUP_STATUS


def test_sighup_ends_the_app(start: Callable[..., AppInTerminal]) -> None:
    app = start()
    app.process.send_signal(signal.SIGHUP)
    assert app.process.wait(timeout=WAIT_SECONDS) == HANGUP_STATUS
