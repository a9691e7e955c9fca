"""The footer every screen and dialog shows: its own keys, with Help and Quit always in view.

Textual's footer lists the focused widget's keys, then the screen's, then the app's, so on a
narrow terminal the app's f1 and ^q are the first cut, and the last key shown is cut mid-word.
Here they come first, and a key that does not fit whole is left out (the palette lists it).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions shown first on every footer: a person must always see how to get help and out.
PINNED_ACTIONS = ("help", "quit")


class KeysFooter(Footer):
    """A compact footer with Help and Quit first."""

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__(compact=True, show_command_palette=show_command_palette)

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())

        def rank(widget: object) -> int:
            if isinstance(widget, FooterKey) and widget.action in PINNED_ACTIONS:
                return PINNED_ACTIONS.index(widget.action)
            return len(PINNED_ACTIONS)

        ordered = sorted(widgets, key=rank)  # stable: the others keep their order
        self._fit(ordered)
        yield from ordered

    def on_resize(self, event: Resize) -> None:
        self._fit(list(self.children))

    def _fit(self, widgets: Iterable[Widget]) -> None:
        """Show the keys that fit whole, in order; the palette's key is docked on the right."""
        width = self.size.width
        if width <= 0:
            return  # not laid out yet: the first resize fits them
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        palette = [k for k in keys if k.has_class("-command-palette")]
        room = width - sum(_width(k) + 2 for k in palette)  # its border and padding
        used, fits = 0, True
        for key in keys:
            if key in palette:
                continue
            used += _width(key) + (1 if used else 0)  # one column between keys
            fits = fits and used <= room
            key.display = fits


def _width(key: FooterKey) -> int:
    """What a compact key takes: "^s Save Settings"."""
    width = cell_len(key.key_display)
    return width + 1 + cell_len(key.description) if key.description else width
