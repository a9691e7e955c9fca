"""The one place tests read what Textual sends to the terminal for the current screen: its
composed lines (:func:`drawn_strips`, with their styles) or their text (:func:`screen_text`).

Textual 8.2.8 has no public way to get them: ``App.export_screenshot`` renders the same
composition but only as SVG (its text split into styled ``<text>`` runs, spaces escaped), and
the pilot reads nothing back. So this reads the screen's compositor, as ``export_screenshot``
itself does; if Textual renames it, this module is the one to change
(tests/test_test_hygiene.py keeps every other test from reading it).

Only Textual is imported, so a script run in a subprocess (tests/app/test_icons.py) can use it
too, without the suite's fixtures."""

from __future__ import annotations

from typing import Any

from textual.strip import Strip


def drawn_strips(app: Any) -> list[Strip]:
    """The current screen as the terminal is sent it: one :class:`Strip` a line, the full
    width of the screen, every widget composed in its place."""
    return list(app.screen._compositor.render_strips())


def screen_text(app: Any) -> str:
    """The current screen's lines as text, one a line (no styles)."""
    return "\n".join(strip.text for strip in drawn_strips(app))
