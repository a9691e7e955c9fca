"""Small questions asked before something is lost: a yes/no confirmation, and what to do with
unsaved changes when leaving a form; :class:`QuestionModal`, the base of every such dialog
(the conflict dialog's too)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, TypeVar, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button

from outlook_tui.app.screens.dialog import dialog, message
from outlook_tui.app.session import SessionModal

LeaveChoice = Literal["save", "discard"]

AnswerType = TypeVar("AnswerType")


class QuestionModal(SessionModal[AnswerType]):
    """A dialog whose every way out is one answer: a button (by its ``name``) and a key (the
    action ``answer('name')``) both dismiss it with ``ANSWERS[name]``; a name missing there
    (``cancel``) answers None."""

    CSS_PATH = "../styles/confirm.tcss"
    #: What each answer's name means to the caller.
    ANSWERS: ClassVar[Mapping[str, Any]] = {}
    #: The name of the button focused when the dialog opens.
    FOCUSED = "cancel"

    def on_mount(self) -> None:
        for button in self.query(Button):
            if button.name == self.FOCUSED:
                button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer(event.button.name or "cancel")

    def action_answer(self, name: str) -> None:
        self.dismiss(cast("AnswerType", self.ANSWERS.get(name)))


class ConfirmModal(QuestionModal[bool]):
    """Ask before doing something; True to go ahead. Escape (or ``n``) says no."""

    ANSWERS = {"yes": True, "cancel": False}
    FOCUSED = "yes"
    BINDINGS = [
        Binding("escape,n", "answer('cancel')", "Cancel", id="confirm.cancel",
                tooltip="Do nothing and close this question"),
        Binding("y", "answer('yes')", "Yes", id="confirm.yes", tooltip="Go ahead"),
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
        yield from dialog(self.question_title, message(self.message), buttons=[
            Button(f"{self.confirm_label} (y)", variant="warning", id="confirm-yes", name="yes"),
            Button(f"{self.cancel_label} (Esc)", id="confirm-no", name="cancel")])


class UnsavedChangesModal(QuestionModal[LeaveChoice | None]):
    """Leaving a form with unsaved changes: Save, Discard, or Cancel (None: stay)."""

    ANSWERS = {"save": "save", "discard": "discard"}
    FOCUSED = "save"
    BINDINGS = [
        Binding("escape,c", "answer('cancel')", "Cancel", id="unsaved.cancel",
                tooltip="Stay in the form; nothing is lost"),
        Binding("s", "answer('save')", "Save", id="unsaved.save",
                tooltip="Save Settings, then leave"),
        Binding("d", "answer('discard')", "Discard", id="unsaved.discard",
                tooltip="Leave and forget the changes"),
        Binding("right", "app.focus_next", show=False, id="unsaved.next"),
        Binding("left", "app.focus_previous", show=False, id="unsaved.previous"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield from dialog("Unsaved changes", message(self.message), buttons=[
            Button("Save (s)", variant="primary", id="unsaved-save", name="save"),
            Button("Discard (d)", variant="error", id="unsaved-discard", name="discard"),
            Button("Cancel (Esc)", id="unsaved-cancel", name="cancel")])
