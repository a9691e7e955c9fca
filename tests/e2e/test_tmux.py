"""End to end: the installed ``outlook-tui`` in a real terminal (tmux, 80x24), driven by keys
as an admin over SSH would, and the store checked afterwards."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_store

pytestmark = pytest.mark.e2e

EXECUTABLE = Path(sys.executable).with_name("outlook-tui")


class Terminal:
    def __init__(self, command: str) -> None:
        self.socket = f"outlook-e2e-{uuid.uuid4().hex[:8]}"
        env = {**os.environ, "TERM": "xterm-256color"}
        env.pop("TMUX", None)
        subprocess.run(["tmux", "-L", self.socket, "new-session", "-d", "-s", "t", "-x", "80",
                        "-y", "24", command], check=True, env=env)

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", "t", key], check=True)
            time.sleep(0.08)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", "t", "-l", text],
                       check=True)
        time.sleep(0.2)

    def screen(self) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-t", "t"],
                              capture_output=True, text=True, check=False).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], check=False,
                       capture_output=True)


@pytest.fixture
def terminal(store_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (make test installs it with apt-get)")
    assert EXECUTABLE.exists(), "outlook-tui is not installed in this environment"
    write_store(store_path, ["Default Organization", "Acme", "Globex"])
    term = Terminal(f"{EXECUTABLE} --store {store_path}")
    yield term
    term.close()


def test_admin_overrides_the_crm_sync_interval_of_one_organization(terminal: Terminal,
                                                                   store_path: Path) -> None:
    terminal.wait_for("3 organizations")
    terminal.keys("/")
    terminal.type("glob")
    terminal.keys("Enter")            # to the table, on the first match
    terminal.keys("Enter")            # Oro's row action: Configuration
    terminal.wait_for("MS Outlook Settings")
    terminal.wait_for("Globex")
    # Focus starts on Sync Direction's Use System; Tab passes the two choices' checkboxes.
    terminal.keys("Tab", "Tab")       # CRM Sync Interval: Use System
    terminal.keys("Space")            # cleared: the interval can be typed
    terminal.keys("Tab", "C-u")
    terminal.type("300")
    terminal.keys("C-s")
    terminal.wait_for("Configuration saved")
    document = json.loads(store_path.read_text())
    globex = next(o for o in document["organizations"] if o["name"] == "Globex")
    assert globex["overrides"] == {"contacts_sync_interval_orocrm": 300}
    terminal.keys("Escape")
    terminal.wait_for("3 organizations")
    terminal.keys("C-q")
