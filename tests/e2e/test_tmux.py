"""End to end: the installed ``outlook-tui`` in a real terminal (tmux, 80x24), driven by keys
as an admin over SSH would, and the store checked afterwards. Each story is sent in one write to
the terminal, as SSH and paste deliver keys."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_store
from tests.e2e.terminal import (
    EDIT_GLOBEX_CRM_SYNC_INTERVAL,
    EXECUTABLE,
    Tmux,
    eventually,
    process_gone,
)

pytestmark = pytest.mark.e2e

@pytest.fixture
def terminal(store_path: Path) -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (make test installs it with apt-get)")
    assert EXECUTABLE.exists(), "outlook-tui is not installed in this environment"
    write_store(store_path, ["Default Organization", "Acme", "Globex"])
    term = Tmux([str(EXECUTABLE), "--store", str(store_path)])
    yield term
    term.close()


def globex_overrides(store_path: Path) -> dict[str, object]:
    document = json.loads(store_path.read_text())
    globex = next(o for o in document["organizations"] if o["name"] == "Globex")
    overrides: dict[str, object] = globex["overrides"]
    return overrides


def test_admin_overrides_the_crm_sync_interval_of_one_organization(terminal: Tmux,
                                                                   store_path: Path) -> None:
    terminal.wait_for("3 organizations")
    terminal.send(*EDIT_GLOBEX_CRM_SYNC_INTERVAL, "C-s")
    terminal.wait_for("Configuration saved")
    assert globex_overrides(store_path) == {"contacts_sync_interval_orocrm": 300}
    terminal.send("Escape", "C-q")
    assert terminal.wait_for_exit() == 0


def test_closing_the_terminal_ends_the_app_and_discards_unsaved_edits(terminal: Tmux,
                                                                      store_path: Path) -> None:
    terminal.wait_for("3 organizations")
    # Key by key, each after the screen shows the last one's effect: this story is about the
    # hang-up, not about keys in a burst.
    terminal.send("Enter")            # Acme, the first row: its Configuration
    terminal.wait_for("MS Outlook Settings")
    terminal.send("Tab", "Tab", "Space")  # CRM Sync Interval: Use System cleared
    terminal.wait_for("not saved")
    before = store_path.read_bytes()
    app = terminal.pane_pid()
    terminal.close()  # the window goes away as an SSH connection does: the terminal hangs up
    eventually(lambda: process_gone(app), "the app ended after its terminal hung up")
    assert store_path.read_bytes() == before
