"""When the app crashes anyway: an exit status that says so, and a report fit to paste into a
ticket.

Textual answers an unhandled exception by ending the app and printing a Rich traceback with every
frame's local variables (``show_locals=True``), then returns normally: the process exited 0, and
the report held the store's records (names, descriptions, values) and, from data, raw control
characters. Textual has no setting for either; here, through public API only:

- the report is drawn without local variables: Textual draws the traceback with the app's
  ``console`` (a public attribute), which here is a Rich ``Console`` of our own, made as Textual
  makes its own, whose ``render`` (Rich's public method) draws any ``rich.traceback.Traceback``
  with its frames' locals dropped from ``Traceback.trace`` (Rich's public model of it);
- it is printed by an ``error_console`` without colours, into standard error as the command line
  has it (``outlook_tui.text.PrintableStream``): no escape code reaches the terminal or the file;
- :func:`run` returns ``App.return_code``: 1 after a crash.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any, Literal, cast

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from textual.app import App

_ColorSystem = Literal["auto", "standard", "256", "truecolor", "windows"]


class LocalsFreeConsole(Console):
    """A console that draws a traceback without its frames' local variables."""

    def render(self, renderable: RenderableType,
               options: ConsoleOptions | None = None) -> Iterable[Segment]:
        # rich.traceback (with pygments, ~8 ms) is imported by Textual when it reports a crash:
        # until then nothing can be a Traceback, and the app's start does not pay for it.
        traceback = sys.modules.get("rich.traceback")
        if traceback is not None and isinstance(renderable, traceback.Traceback):
            for stack in renderable.trace.stacks:
                for frame in stack.frames:
                    frame.locals = None
        return super().render(renderable, options)


def console_like(console: Console) -> LocalsFreeConsole:
    """A :class:`LocalsFreeConsole` that draws as ``console``, the one Textual made for an app:
    its file, colour system, size rules and terminal choices, read from its public attributes;
    markup, highlighting and emoji as Textual sets them (Rich keeps those private)."""
    return LocalsFreeConsole(
        color_system=cast("_ColorSystem | None", console.color_system),
        file=console.file,
        force_terminal=console.is_terminal,
        force_interactive=console.is_interactive,
        legacy_windows=console.legacy_windows,
        no_color=console.no_color,  # Textual applies NO_COLOR itself, as a filter
        safe_box=console.safe_box,
        soft_wrap=console.soft_wrap,
        tab_size=console.tab_size,
        markup=True, highlight=False, emoji=False,
    )


def report_without_locals(app: App[Any]) -> None:
    """Make ``app``'s crash report carry no local variables and no escape code."""
    app.console = console_like(app.console)
    app.error_console = Console(file=sys.stderr, markup=False, highlight=False,
                                color_system=None, emoji=False, soft_wrap=True)


def run(app: App[Any], *, headless: bool = False) -> int:
    """Run ``app``; its exit status (1 when it crashed, never 0 then)."""
    report_without_locals(app)
    app.run(headless=headless)
    return app.return_code or 0


__all__ = ["LocalsFreeConsole", "console_like", "report_without_locals", "run"]
