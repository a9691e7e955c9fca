"""The footer every screen and dialog shows: its own keys, with Help and Quit always in view.

Textual's footer lists the focused widget's keys, then the screen's, then the app's, so on a
narrow terminal the app's f1 and ^q are the first cut, and the last key shown is cut mid-word.
Here they come first, and a key that does not fit whole is left out (the palette lists it).

Textual's footer is built again (every key removed and mounted anew: ~15 ms, more on a busy
machine) at each change of the screen's bindings, one rebuild per change, and a screen's start
alone makes three (its focus, the stack, the focus again after a refresh), right while the
person's first keys arrive: here it is built again only when what it would show differs.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer

#: Actions shown first on every footer: a person must always see how to get help and out.
PINNED_ACTIONS = ("help", "quit")


class KeysFooter(Footer):
    """A compact footer with Help and Quit first."""

    def __init__(self, *, show_command_palette: bool = True) -> None:
        super().__init__(compact=True, show_command_palette=show_command_palette)
        #: What the keys shown were built from (None: nothing built yet).
        self._built: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        shows = self._shows()
        widgets = list(super().compose())
        # Before the screen's bindings are ready Textual's footer composes nothing.
        self._built = shows if widgets else None

        def rank(widget: Widget) -> int:
            action = getattr(widget, "action", None)
            return PINNED_ACTIONS.index(action) if action in PINNED_ACTIONS \
                else len(PINNED_ACTIONS)

        ordered = sorted(widgets, key=rank)  # stable: the others keep their order
        self._fit(ordered)
        yield from ordered

    async def recompose(self) -> None:
        if self.is_attached and self._built is not None and self._shows() == self._built:
            return  # the same keys: nothing to build again
        await super().recompose()

    def _shows(self) -> tuple[object, ...]:
        """What Textual's footer composes from: the screen's bindings (each with whether it
        is enabled and its tooltip) and the footer's own settings."""
        bindings = tuple((binding, enabled, tooltip) for _, binding, enabled, tooltip
                         in self.screen.active_bindings.values())
        return (self.compact, self.show_command_palette, self.combine_groups, bindings)

    def on_resize(self, event: Resize) -> None:
        self._fit(list(self.children))

    def listed_keys(self) -> list[Widget]:
        """The keys it lists, shown or left out, the palette's included (Textual's FooterKey
        widgets, found by their public fields: the class is not Textual's public API)."""
        return [widget for widget in self.children if _is_key(widget)]

    def _fit(self, widgets: Iterable[Widget]) -> None:
        """Show the keys that fit whole, in order; the palette's key is docked on the right."""
        width = self.size.width
        if width <= 0:
            return  # not laid out yet: the first resize fits them
        keys = [w for w in widgets if _is_key(w)]
        palette = [k for k in keys if k.has_class("-command-palette")]
        room = width - sum(_width(k) + 2 for k in palette)  # its border and padding
        used, fits = 0, True
        for key in keys:
            if key in palette:
                continue
            used += _width(key) + (1 if used else 0)  # one column between keys
            fits = fits and used <= room
            key.display = fits


def _is_key(widget: Widget) -> bool:
    """One of the footer's keys (Textual's FooterKey, known by its public fields: the class
    itself is not part of Textual's public API)."""
    return all(isinstance(getattr(widget, field, None), str)
               for field in ("key_display", "description", "action"))


def _width(key: Widget) -> int:
    """What a compact key takes: "^s Save Settings"."""
    display, description = getattr(key, "key_display", ""), getattr(key, "description", "")
    width = cell_len(display)
    return width + 1 + cell_len(description) if description else width
