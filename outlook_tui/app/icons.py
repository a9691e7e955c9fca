"""The symbols the app draws, chosen once at start from TERM.

A Linux virtual console (TERM=linux) draws only the few hundred glyphs of its font, and which
ones depends on the font loaded (the kernel's code page 437, console-setup's Lat15, ...): no
⭘, ⚠ or 🔎 anywhere, ▕ ▁ ▔ and … in none of the usual ones. A vt100 (and its kin, or a dumb
terminal) draws ASCII only. So both get ASCII: the one set every console font draws. Everything
the app draws beyond ASCII comes from this table, and Textual's own widgets' glyphs (borders,
scrollbars, tree guides, the choice list's arrow) are replaced through public means when
``PLAIN`` (see :mod:`outlook_tui.app.plain_glyphs`); one look at TERM decides them all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from outlook_tui.text import terminal_glyphs


@dataclass(frozen=True, slots=True)
class Icons:
    app: str          # the header's icon (it opens the command palette)
    search: str       # before the command palette's input
    warning: str      # before a note that needs attention
    chosen: str       # the chosen radio button
    box_left: str     # around a checkbox or radio button
    box_right: str
    mark: str         # a marked row
    ascending: str    # sort order
    descending: str
    more: str         # text cut short
    dot: str          # between parts of a status line
    step: str         # between the parts of a breadcrumb
    expanded: str     # a tree node, open
    collapsed: str    # a tree node, closed
    none: str         # a count of nothing (no overrides)
    right: str        # the right and left arrow keys, as the footer names them
    left: str
    up_down: str      # the up and down arrow keys, as Help names them
    title_separator: str  # between the header's title and sub-title


UNICODE = Icons(app="⭘", search="🔎", warning="⚠", chosen="●", box_left="▐", box_right="▌",
                mark="•", ascending="▲", descending="▼", more="…", dot="·", step="›",
                expanded="▼", collapsed="▶", none="–", right="→", left="←", up_down="↑ / ↓",
                title_separator=" — ")
ASCII = Icons(app="=", search=">", warning="!", chosen="*", box_left="[", box_right="]",
              mark="*", ascending="^", descending="v", more="~", dot="-", step=">",
              expanded="-", collapsed="+", none="-", right="right", left="left",
              up_down="up / down", title_separator=" - ")
#: A Linux console: ASCII, the only glyphs every console font has (see above).
CONSOLE = ASCII


def for_terminal(term: str | None) -> Icons:
    """The table for a TERM value."""
    return {"console": CONSOLE, "ascii": ASCII}.get(terminal_glyphs(term), UNICODE)


ICONS = for_terminal(os.environ.get("TERM"))
#: True when the terminal cannot draw Textual's own glyphs either (borders, scrollbars...).
PLAIN = ICONS is not UNICODE
