"""An Input that never holds a character the display rule would escape.

Typed keys are printable already, but a paste (or a terminal that sends one) can carry ESC,
C1 controls or bidi overrides: Textual's Input would show them raw, sending them to the
terminal. Here such text is refused as a whole, with a ``Refused`` message naming the first
hidden character and where it would have gone, so a form can say so next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widgets import Input

from outlook_tui.text import is_printable, name_problem


class TextInput(Input):
    @dataclass
    class Refused(Message):
        input: TextInput
        #: e.g. "must not contain control characters (U+001B at position 5)"
        problem: str

        @property
        def control(self) -> TextInput:
            return self.input

    def replace(self, text: str, start: int, end: int) -> None:
        if not is_printable(text):
            value = self.value
            low, high = sorted((max(0, start), min(len(value), end)))
            problem = name_problem(f"{value[:low]}{text}{value[high:]}")
            if problem is not None:
                self.restricted()
                self.post_message(self.Refused(self, problem))
                return
        super().replace(text, start, end)


__all__ = ["TextInput"]
