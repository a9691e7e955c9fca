"""The app's side of the one display rule (``outlook_tui.text``): text from data becomes a
``rich.text.Text`` with hidden code points escaped, never markup.

Every widget that shows data gets it through ``data()`` (or ``plain()`` where Textual wants a
``str`` that it does not parse: titles, toasts). The places Textual itself renders (the header,
toasts, table cells, palette hits) are covered once: ``OutlookApp.format_title`` and
``OutlookApp.notify``, ``VirtualTable``'s cells and ``OrganizationCommands``.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from outlook_tui.text import clip, printable

#: At most this many cells of one value in a title, toast or dialog: a 10,000-character name
#: must not push everything else off the screen.
LONG = 120


def plain(value: object, *, keep: str = "", width: int | None = LONG) -> str:
    """``value`` as text safe to put on the screen where Textual does not parse markup."""
    text = str(value)
    return clip(text, width, keep=keep) if width is not None else printable(text, keep=keep)


def data(value: object, *, keep: str = "", width: int | None = LONG, style: str = "") -> Text:
    """``value`` as a Rich ``Text`` (never parsed as markup), hidden code points escaped."""
    return Text(plain(value, keep=keep, width=width), style=style)


def content(value: object, *, keep: str = "", width: int | None = LONG) -> Content:
    """The same as a Textual ``Content`` (what the command palette and option lists hold)."""
    return Content(plain(value, keep=keep, width=width))


def assemble(*parts: str | Text | tuple[str, str]) -> Text:
    """A line made of the app's own words (``str``, ``(str, style)``, never markup) and
    ``data()`` pieces."""
    return Text.assemble(*parts)


__all__ = ["LONG", "assemble", "content", "data", "plain"]
