"""When the app crashes anyway, the process says so (exit status 1, not 0) and the report can be
pasted into a ticket: no local variables (the store's records were dumped there), no escape code
(the exception's text may quote data)."""

from __future__ import annotations

import os
import subprocess
import sys

CRASHING_APP = """
import os, sys
from textual.app import App
from outlook_tui.app.crash import run
from outlook_tui.text import printable_output

class Crashing(App):
    def on_mount(self) -> None:
        records = [{"name": os.environ["ORG_NAME"], "description": os.environ["ORG_PLANS"]}]
        raise ValueError("cannot show " + records[0]["name"])

with printable_output():
    sys.exit(run(Crashing(), headless=True))
"""


def test_a_crash_exits_1_with_a_report_without_locals_or_escape_codes() -> None:
    env = {**os.environ, "ORG_NAME": "Acme\x1b]0;pwned\x07\x1b[2J", "ORG_PLANS": "merger in May"}
    result = subprocess.run([sys.executable, "-c", CRASHING_APP], capture_output=True,
                            env=env, timeout=60, check=False)
    report = result.stderr.decode()
    assert result.returncode == 1
    assert "ValueError: cannot show Acme\\x1b]0;pwned\\x1b[2J" in report
    assert "in on_mount" in report  # still a traceback a developer can read
    assert "merger in May" not in report  # a local variable's value
    assert b"\x1b" not in result.stderr and b"\x07" not in result.stderr
