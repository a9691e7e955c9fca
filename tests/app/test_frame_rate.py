"""The app paints up to 120 frames a second (Textual's default is 60): a key's paint waits
for the next frame, and Textual's frame timer, woken after a pause, skips to the frame after
next. A person's own ``TEXTUAL_FPS`` wins. Checked in a process of its own, started as the
command starts the app: Textual reads the setting once, when it is first imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: The app as ``outlook-tui`` starts it, but instead of running it: Textual's frame rate.
PROGRAM = """
import os, sys
from outlook_tui.app import memory
from outlook_tui.cli import tui
from outlook_tui.cli.main import main

def instead_of_running():  # the last step before the app runs
    import textual.constants
    print(textual.constants.MAX_FPS, flush=True)
    os._exit(0)

memory.freeze_what_the_start_built = instead_of_running
tui.missing_terminal = lambda: None
tui.exit_on_hangup = lambda **given: None
assert "textual" not in sys.modules, "Textual was imported before the command started"
main(["--store", sys.argv[1]])
"""


def frame_rate(store: Path, **environment: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"} | environment
    done = subprocess.run([sys.executable, "-c", PROGRAM, str(store)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_the_app_paints_up_to_120_frames_a_second(acme: Path) -> None:
    assert frame_rate(acme) == 120


@pytest.mark.parametrize("asked", ["30", "240"])
def test_a_persons_own_textual_fps_wins(acme: Path, asked: str) -> None:
    assert frame_rate(acme, TEXTUAL_FPS=asked) == int(asked)
