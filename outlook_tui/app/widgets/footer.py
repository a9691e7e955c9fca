"""The footer every screen and dialog shows: its own keys, with Help and Quit always in view.

Textual's footer lists the focused widget's keys, then the screen's, then the app's, so on a
narrow terminal the app's f1 and ^q are the first cut. Here they come first.
"""

from __future__ import annotations

from textual.app import ComposeResult
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

        yield from sorted(widgets, key=rank)  # stable: the others keep their order
