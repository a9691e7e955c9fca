"""The symbols the app draws, chosen once at start from TERM.

A Linux virtual console (TERM=linux) draws only the few hundred glyphs of its font: no ⭘, ⚠,
🔎 or ●. A vt100 (and its kin, or a dumb terminal) draws ASCII only. Everything the app draws
beyond ASCII comes from this table, so one look at TERM decides them all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace


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


UNICODE = Icons(app="⭘", search="🔎", warning="⚠", chosen="●", box_left="▐", box_right="▌",
                mark="•", ascending="▲", descending="▼", more="…", dot="·", step="›",
                expanded="▼", collapsed="▶")
#: The Linux console's font has block elements, arrows, • ▲ ▼ … · ›, but none of these.
CONSOLE = replace(UNICODE, app="=", search=">", warning="!", chosen="*", collapsed="►")
ASCII = Icons(app="=", search=">", warning="!", chosen="*", box_left="[", box_right="]",
              mark="*", ascending="^", descending="v", more="~", dot="-", step=">",
              expanded="-", collapsed="+")


def for_terminal(term: str | None) -> Icons:
    """The table for a TERM value."""
    term = (term or "").lower()
    if term in ("linux", "con", "cons25") or term.startswith(("linux-", "con")):
        return CONSOLE
    if term == "dumb" or re.match(r"vt\d", term):
        return ASCII
    return UNICODE


ICONS = for_terminal(os.environ.get("TERM"))
