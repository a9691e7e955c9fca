"""Messages the app posts to its screens when the store's state changes."""

from __future__ import annotations

from textual.message import Message

from outlook_tui.store import HistoryEntry, Snapshot


class SnapshotChanged(Message):
    """The app's snapshot was replaced: loading progressed, this user saved, or someone else
    changed the store on disk. Screens refresh what the user has not touched.

    ``reason`` is one of ``preview`` (the first screen of a big store, from
    ``StoreBackend.peek``), ``validated`` (the whole store), ``saved`` (by this app),
    ``external`` (someone else: ``entries`` says who and what, from the history).
    """

    def __init__(self, snapshot: Snapshot, previous: Snapshot | None, reason: str,
                 entries: list[HistoryEntry] | None = None) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.previous = previous
        self.reason = reason
        self.entries = entries or []
