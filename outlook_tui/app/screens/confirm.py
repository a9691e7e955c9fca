"""Small questions asked before something is lost: a yes/no confirmation, and what to do with
unsaved changes when leaving a form."""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from outlook_tui.app.safe import data
from outlook_tui.app.widgets.footer import KeysFooter

LeaveChoice = Literal["save", "discard"]
#: A question quoting data (names of marked organizations) is clipped to about ten lines.
MESSAGE_CELLS = 600


class ConfirmModal(ModalScreen[bool]):
    """Ask before doing something; True to go ahead. Escape (or ``n``) says no."""

    CSS_PATH = "../styles/confirm.tcss"
    BINDINGS = [
        Binding("escape,n", "answer(False)", "Cancel", id="confirm.cancel",
                tooltip="Do nothing and close this question"),
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("right", "app.focus_next", show=False, id="confirm.next"),
        Binding("left", "app.focus_previous", show=False, id="confirm.previous"),
    ]

    def __init__(self, title: str, message: str, *, confirm_label: str = "OK",
                 cancel_label: str = "Cancel") -> None:
        super().__init__()
        self.question_title = title
        self.message = message
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(data(self.question_title), classes="dialog-title")
            yield Static(data(self.message, keep="\n", width=MESSAGE_CELLS),
                         classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", variant="warning", id="confirm-yes")
                yield Button(f"{self.cancel_label} (Esc)", id="confirm-no")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class UnsavedChangesModal(ModalScreen[LeaveChoice | None]):
    """Leaving a form with unsaved changes: Save, Discard, or Cancel (None: stay)."""

    CSS_PATH = "../styles/confirm.tcss"
    BINDINGS = [
        Binding("escape,c", "choose('cancel')", "Cancel", id="unsaved.cancel",
                tooltip="Stay in the form; nothing is lost"),
        Binding("s", "choose('save')", "Save", id="unsaved.save",
                tooltip="Save Settings, then leave"),
        Binding("d", "choose('discard')", "Discard", id="unsaved.discard",
                tooltip="Leave and forget the changes"),
        Binding("right", "app.focus_next", show=False, id="unsaved.next"),
        Binding("left", "app.focus_previous", show=False, id="unsaved.previous"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Unsaved changes", classes="dialog-title")
            yield Static(data(self.message, keep="\n", width=MESSAGE_CELLS),
                         classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (s)", variant="primary", id="unsaved-save")
                yield Button("Discard (d)", variant="error", id="unsaved-discard")
                yield Button("Cancel (Esc)", id="unsaved-cancel")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#unsaved-save", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose(str(event.button.id).removeprefix("unsaved-"))

    def action_choose(self, choice: str) -> None:
        if choice == "save":
            self.dismiss("save")
        elif choice == "discard":
            self.dismiss("discard")
        else:
            self.dismiss(None)
