"""Checkboxes and radio buttons whose state reads without colour (NO_COLOR, TERM=linux): stock
Textual draws the same mark on and off and tells them apart by colour only."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Checkbox, RadioButton, RadioSet

from outlook_tui.app.icons import ICONS


class TickBox(Checkbox):
    """X ticked, blank cleared."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        self.BUTTON_LEFT, self.BUTTON_RIGHT = ICONS.box_left, ICONS.box_right
        return super()._button


class RadioChoice(RadioButton):
    """● chosen, blank otherwise."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = ICONS.chosen if self.value else " "
        self.BUTTON_LEFT, self.BUTTON_RIGHT = ICONS.box_left, ICONS.box_right
        return super()._button


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
        if self.pressed_index >= 0:
            self._selected = self.pressed_index

    def action_next_choice(self) -> None:
        self.action_next_button()
        self._choose()

    def action_previous_choice(self) -> None:
        self.action_previous_button()
        self._choose()

    def _choose(self) -> None:
        if self._selected is None:
            return
        button = self._nodes[self._selected]
        if isinstance(button, RadioButton) and not button.value:
            button.toggle()
