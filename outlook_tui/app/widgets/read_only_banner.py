"""The line under the header that says why nothing can be saved (hidden when the store is
writable). Every screen has one; the reason can appear after start-up (a store found to be of a
newer schema once validated), so screens call ``show_state()`` when the snapshot changes."""

from __future__ import annotations

from textual.widgets import Static

from outlook_tui.app.safe import data
from outlook_tui.app.session import session_of


class ReadOnlyBanner(Static):
    DEFAULT_CLASSES = "banner-read-only"

    def __init__(self, consequence: str = "Nothing here writes.", *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.consequence = consequence

    def on_mount(self) -> None:
        self.show_state()

    def show_state(self) -> None:
        reason = session_of(self).read_only_reason
        self.display = bool(reason)
        if reason:
            # The reason quotes the store's path and owner: data, shown escaped.
            self.update(data(f"Read-only: {reason}. {self.consequence}", width=None))
