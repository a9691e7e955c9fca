"""When the app crashes anyway: an exit status that says so, and a report fit to paste into a
ticket.

Textual answers an unhandled exception by ending the app and printing a Rich traceback with every
frame's local variables (``show_locals=True``), then returns normally: the process exited 0, and
the report held the store's records (names, descriptions, values) and, from data, raw control
characters. Here, through public attributes only:

- the report is rendered without local variables: the app's ``console`` (which pre-renders the
  traceback) is one whose ``render`` drops each frame's locals from a ``rich.traceback.Traceback``
  (``Traceback.trace``, Rich's public model of it) before drawing it;
- it is printed by an ``error_console`` without colours, into standard error as the command line
  has it (``outlook_tui.text.PrintableStream``): no escape code reaches the terminal or the file;
- :func:`run` returns ``App.return_code``: 1 after a crash.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.traceback import Traceback
from textual.app import App


class _LocalsFreeConsole(Console):
    """A console that draws a traceback without its frames' local variables."""

    def render(self, renderable: RenderableType,
               options: ConsoleOptions | None = None) -> Any:
        if isinstance(renderable, Traceback):
            for stack in renderable.trace.stacks:
                for frame in stack.frames:
                    frame.locals = None
        result: Any = super().render(renderable, options)
        return result


def report_without_locals(app: App[Any]) -> None:
    """Make ``app``'s crash report carry no local variables and no escape code."""
    # The console Textual made, kept whole (size, colour system, null file) with one method
    # changed: the layout of the subclass is the same.
    app.console.__class__ = _LocalsFreeConsole
    app.error_console = Console(file=sys.stderr, markup=False, highlight=False,
                                color_system=None, emoji=False, soft_wrap=True)


def run(app: App[Any], *, headless: bool = False) -> int:
    """Run ``app``; its exit status (1 when it crashed, never 0 then)."""
    report_without_locals(app)
    app.run(headless=headless)
    return app.return_code or 0


__all__ = ["report_without_locals", "run"]
