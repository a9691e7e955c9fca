"""View-only words, and the line under the header that says them (hidden when the store is
writable). Every screen has one; the reason can appear after start-up (a store found to be of a
newer schema once validated), so screens call ``show_state()`` when the snapshot changes.

A support person whose SSH login opens the app read-only never typed ``--read-only``: the words
say what they can and cannot do, and name a reason only when it is not that one (no write
permission, a newer store, a standby server: something an admin may want to fix)."""

from __future__ import annotations

from textual.widgets import Static

from outlook_tui.app.safe import data
from outlook_tui.app.session import session_of
from outlook_tui.store.backend import ASKED_READ_ONLY

#: What a view-only session can do, and what it cannot.
CAN = "you can read every setting, compare, see history"
CANNOT = "not change them"


def view_only(reason: str | None) -> str:
    """``View only`` and, when it is a fault rather than the session's kind, why."""
    return "View only" if reason in (None, ASKED_READ_ONLY) else f"View only ({reason})"


def refusal(reason: str | None, what: str) -> str:
    """The message a key that would write gives in a view-only session: ``what`` it would
    have done, and what the person can do instead."""
    return f"{view_only(reason)}: {CAN}, but {what} is not possible here."


class ReadOnlyBanner(Static):
    DEFAULT_CLASSES = "banner-read-only"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def on_mount(self) -> None:
        self.show_state()

    def show_state(self) -> None:
        reason = session_of(self).read_only_reason
        self.display = bool(reason)
        if reason:
            # The reason quotes the store's path and owner: data, shown escaped.
            self.update(data(f"{view_only(reason)}: {CAN}; {CANNOT}.", width=None))
