"""When the app crashes anyway, the process says so (exit status 1, not 0) and the report can be
pasted into a ticket: no local variables (the store's records were dumped there), no escape code
(the exception's text may quote data)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.app import App

from outlook_tui.app.crash import LocalsFreeConsole, report_without_locals

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


def test_the_app_draws_as_before_with_the_console_that_drops_locals(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The console the report needs is the one the whole app draws with: it draws every
    renderable as the console Textual made (NO_COLOR set: Textual applies it itself)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app: App[None] = App()
    textual_console = app.console
    report_without_locals(app)
    assert isinstance(app.console, LocalsFreeConsole)
    table = Table("Organization", "Sync Direction", title="[b]Acme[/b] :smile:")
    table.add_row(Text("Acme", style="bold red"), "Both ways")
    for renderable in ["[b]Acme[/b] :smile: ['Acme', 1]\tend", table, Text("x" * 200)]:
        def drawn(console: Console) -> list[Segment]:
            return list(console.render(renderable, console.options))  # noqa: B023
        assert drawn(app.console) == drawn(textual_console)
    assert app.console.options == textual_console.options

    def choices(console: Console) -> tuple[object, ...]:
        return (console.file, console.color_system, console.no_color, console.is_terminal,
                console.is_interactive, console.legacy_windows, console.safe_box,
                console.soft_wrap, console.tab_size)
    assert choices(app.console) == choices(textual_console)
