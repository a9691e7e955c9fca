"""A save that waits is seen and can be cancelled: while the store waits for a lock (another
admin's save, a DBA's open transaction in Oro's database, the JSON file's lock), this dialog
says what it waits for and who holds it, refreshed as the store learns more; Escape cancels
the save (nothing is written, the edits stay in the form). It closes when the save ends.

The store's side is :class:`outlook_tui.store.waiting.SaveControl`.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from outlook_tui.app.safe import data
from outlook_tui.app.screens.dialog import MESSAGE_CELLS, dialog, message
from outlook_tui.store.waiting import SaveControl, Waiting


class SaveWaitingModal(ModalScreen[None]):
    CSS_PATH = "../styles/confirm.tcss"
    BINDINGS = [
        Binding("escape", "cancel_save", "Cancel save", id="save_waiting.cancel",
                tooltip="Stop waiting: nothing is saved, your edits stay in the form"),
        # A dialog stops the app's own keys: quitting cancels the save first (see
        # OutlookApp.action_quit), then asks about the edits.
        Binding("ctrl+q", "app.quit", "Quit", id="save_waiting.quit",
                tooltip="Cancel the save, then leave outlook-tui"),
    ]

    def __init__(self, control: SaveControl, waiting: Waiting) -> None:
        super().__init__()
        self.control = control
        self.waiting = waiting
        self.cancelling = False

    def compose(self) -> ComposeResult:
        yield from dialog(
            "Saving: waiting", message(self._words(), id="save-waiting"),
            message("Escape cancels the save: nothing is written, your edits stay in the form.",
                    id="save-waiting-hint"))

    def _words(self) -> Text:
        return data(f"{str(self.waiting)[0].upper()}{str(self.waiting)[1:]}.", keep="\n",
                    width=MESSAGE_CELLS)

    def show(self, waiting: Waiting) -> None:
        """The store's latest word on what it waits for."""
        self.waiting = waiting
        if self.is_mounted:
            self.query_one("#save-waiting", Static).update(self._words())

    def action_cancel_save(self) -> None:
        if self.cancelling:
            return
        self.cancelling = True
        hint = self.query_one("#save-waiting-hint", Static)
        if self.control.cancel():
            hint.update("Cancelling: nothing will be saved.")
        else:
            hint.update("Too late to cancel: the save is being committed; its outcome follows.")
