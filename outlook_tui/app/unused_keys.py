"""A key that cannot act says why: none is swallowed silently.

A key nobody handled (no widget took it, no binding of the focused control, its screen or the
app matched it) reaches the app last. Instead of vanishing, it gets a short notice naming the
key and where the person is, and pointing to Help; a key whose binding is there but disabled
right now says so. Keys a widget takes (typing in a field) never get here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.binding import ActiveBinding

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

#: Seconds the notice stays: long enough to read, short enough not to pile up.
NOTICE_SECONDS = 4


def bindings_in_force(screen: Screen[Any]) -> dict[str, ActiveBinding]:
    """Every key bound where the person is, including those a screen keeps out of its footer
    (``in_force`` on :class:`outlook_tui.app.session.SessionScreen`)."""
    in_force = getattr(screen, "bindings_in_force", None)
    return in_force() if callable(in_force) else screen.active_bindings


def where(screen: Screen[Any]) -> str:
    """The screen's name as Help titles it."""
    return str(getattr(screen, "HELP_TITLE", "") or screen.title or "this screen")


def explain(app: App[Any], event: events.Key) -> None:
    """Called with a key that reached the app: say why it does nothing, unless a binding in
    force is about to act on it."""
    screen = app.screen
    active = bindings_in_force(screen).get(event.key)
    if active is not None and active.enabled:
        return  # the app's own binding acts on it next
    shown = app.get_key_display(active.binding) if active is not None else \
        _display(app, event)
    if active is not None:
        what = active.binding.description or active.binding.action
        message = f"{shown} ({what}) cannot be used right now."
    else:
        message = f"{shown} does nothing in {where(screen)}. F1 lists the keys that work here."
    on_screen = getattr(app, "shown_notices", list)  # the app's own notice board
    if any(n.message == message for n in on_screen()):
        return  # already said: the same key pressed again does not stack notices
    app.notify(message, title="Key not used", timeout=NOTICE_SECONDS)


def _display(app: App[Any], event: events.Key) -> str:
    from textual.binding import Binding

    return event.character if event.is_printable and event.character else \
        app.get_key_display(Binding(event.key, ""))


__all__ = ["bindings_in_force", "explain"]
