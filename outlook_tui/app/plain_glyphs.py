"""Textual's own glyphs on a terminal that cannot draw them (TERM=linux, vt100: see icons).

Textual draws block elements and box lines of its own: scrollbar thumbs (▁▂▃▅▇), borders
(tall ▔▁, wide, outer, round), tree guides (└─), the choice list's ▼. Each is replaced here
through Textual's public means: ``ScrollBar.renderer`` (documented for this), the tree's
``LINES`` table, the choice list's arrows (plain Statics, updated), and the borders by CSS
(styles/plain.tcss, under the app's ``-plain-glyphs`` class). Nothing here runs on a terminal
that draws them.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widget import Widget
from textual.widgets import Select, Tree

from outlook_tui.app.icons import PLAIN

#: The app's class under which styles/plain.tcss replaces borders.
CLASS = "-plain-glyphs"

#: Tree guides in ASCII, for every style Textual picks (default, bold, double).
TREE_LINES: dict[str, tuple[str, str, str, str]] = {
    style: ("  ", "| ", "`-", "|-") for style in ("default", "bold", "double")}


class PlainScrollBarRender(ScrollBarRender):
    """A scrollbar whose thumb is drawn by its colour alone (no eighth blocks)."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


def start(app: Any) -> None:
    """At start: the app's class for the CSS, and the scrollbars' renderer."""
    if PLAIN:
        app.add_class(CLASS)
        ScrollBar.renderer = PlainScrollBarRender


def plain_widgets(root: Widget) -> None:
    """Tree guides and choice-list arrows under ``root`` in ASCII (call once it is mounted)."""
    if not PLAIN:
        return
    for tree in root.query(Tree):
        tree.LINES = TREE_LINES
        tree.refresh()
    for select in root.query(Select):
        for arrow, text in ((".down-arrow", "v"), (".up-arrow", "^")):
            for static in select.query(arrow):
                static.update(text)  # type: ignore[attr-defined]


__all__ = ["CLASS", "TREE_LINES", "PlainScrollBarRender", "plain_widgets", "start"]
