"""Checkboxes and radio buttons whose state reads without colour (NO_COLOR, TERM=linux): stock
Textual draws the same mark on and off and tells them apart by colour only."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Checkbox, RadioButton, RadioSet

from outlook_tui.app.icons import ICONS

#: The class RadioSet gives the button its cursor is on.
SELECTED = "-selected"


class TickBox(Checkbox):
    """X ticked, blank cleared."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_LEFT, self.BUTTON_RIGHT = ICONS.box_left, ICONS.box_right
        self.BUTTON_INNER = "X" if self.value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()


class RadioChoice(RadioButton):
    """● chosen, blank otherwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_LEFT, self.BUTTON_RIGHT = ICONS.box_left, ICONS.box_right
        self.BUTTON_INNER = ICONS.chosen if self.value else " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = ICONS.chosen if self.value else " "
        super().watch_value()


class ArrowChoice(RadioSet):
    """A radio set chosen with the arrow keys, like every other choice of the app (a choice
    list, the bulk dialog's values): moving is choosing, no space needed."""

    HELP_TITLE = "Choices (Status, the bulk dialog's values)"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "next_choice", "Next", show=False, id="choice.next",
                tooltip="Choose the next option"),
        Binding("up,left", "previous_choice", "Previous", show=False, id="choice.previous",
                tooltip="Choose the previous option"),
    ]

    def on_mount(self) -> None:
        # Start on the chosen button (RadioSet starts on the first one).
        chosen = self.pressed_button
        for _ in self.query(RadioButton):
            if chosen is None or chosen.has_class(SELECTED):
                break
            self.action_next_button()

    def action_next_choice(self) -> None:
        self.action_next_button()
        self._choose()

    def action_previous_choice(self) -> None:
        self.action_previous_button()
        self._choose()

    def _choose(self) -> None:
        """Press the button RadioSet's cursor is on (it marks it with ``-selected``)."""
        for button in self.query(RadioButton):
            if button.has_class(SELECTED) and not button.value:
                button.toggle()
