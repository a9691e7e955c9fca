"""What every dialog is made of, whatever it asks: a title, what it says, its buttons in a row,
and the keys footer below (styles: each dialog's own .tcss)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Static

from outlook_tui.app.safe import data
from outlook_tui.app.widgets.footer import KeysFooter

#: A message quoting data (names of marked organizations) is clipped to about ten lines.
MESSAGE_CELLS = 600


def dialog(title: str | Text, *body: Widget, buttons: Iterable[Button] = (),
           title_id: str | None = None) -> ComposeResult:
    """A dialog's widgets, for its ``compose``: ``title`` (shown as data when a str), ``body``
    below it, then ``buttons`` (none: no row of them), then the keys footer."""
    with Vertical(classes="dialog"):
        yield Static(data(title) if isinstance(title, str) else title, classes="dialog-title",
                     id=title_id)
        yield from body
        buttons = list(buttons)
        if buttons:
            with Horizontal(classes="dialog-buttons"):
                yield from buttons
    yield KeysFooter()


def message(text: str | Text, *, id: str | None = None) -> Static:
    """A dialog's message: ``text`` shown as data when a str, its line breaks kept, clipped."""
    shown = data(text, keep="\n", width=MESSAGE_CELLS) if isinstance(text, str) else text
    return Static(shown, classes="dialog-message", id=id)
