"""Checkboxes and radio buttons whose state reads without colour (NO_COLOR, TERM=linux): stock
Textual draws the same mark on and off and tells them apart by colour only."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class TickBox(Checkbox):
    """X ticked, blank cleared."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


class RadioChoice(RadioButton):
    """● chosen, blank otherwise."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button
