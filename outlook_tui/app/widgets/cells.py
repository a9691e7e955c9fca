"""Cells of a table: its columns, and text fitted to a column's width (cut with an ellipsis,
hidden code points escaped, padded to the alignment). What :mod:`virtual_table` draws each row
with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from outlook_tui.app.icons import ICONS
from outlook_tui.text import clip, is_printable, printable

Cell = str | Text
Align = Literal["left", "right", "center"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column: ``key`` for the owner, ``label`` for the header. A ``flexible`` column takes
    the width the others leave (never less than ``width``; with several, the room beyond their
    widths is shared, and one that reaches ``max_width`` leaves the rest to the others)."""

    key: str
    label: str
    width: int = 10
    align: Align = "left"
    flexible: bool = False
    max_width: int | None = None
    #: Where text too long for the column is cut: at its end, or in its middle (names: "Atlas
    #: Cedar Forest" and "Atlas Cedar Foundry" keep the ends that tell them apart).
    cut: Literal["end", "middle"] = "end"


def fit(text: str, width: int, align: Align, cut: Literal["end", "middle"] = "end") -> str:
    """``text`` (data: hidden code points escaped) cut with an ellipsis, or padded, to exactly
    ``width`` cells."""
    if width <= 0:
        return ""
    if not is_printable(text):
        text = clip(text, width)  # never cuts an escape or a wide character in half
    length = cell_len(text)
    if length > width and cut == "middle" and width > 4 and "\\" not in text:
        # Two thirds of the start, a third of the end: alike names differ at their ends. Text
        # with escapes (\x1b...) is cut at its end, never inside an escape.
        tail = width // 3
        head = width - 1 - tail
        return set_cell_size(text, head) + ICONS.more + _last_cells(text, tail)
    if length > width:
        return set_cell_size(text, width - 1) + ICONS.more if width > 1 else ICONS.more
    gap = width - length
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def _last_cells(text: str, width: int) -> str:
    """The end of ``text`` that fills ``width`` cells (a wide character that would straddle
    the edge is replaced by a space)."""
    kept = ""
    for char in reversed(text):
        if cell_len(char + kept) > width:
            break
        kept = char + kept
    return " " * (width - cell_len(kept)) + kept


def fit_text(text: Text, width: int, align: Align) -> Text:
    if not is_printable(text.plain):
        # Styled cells hold data too: escape it, keeping the style of the whole cell.
        text = Text(printable(text.plain), style=text.style, end="")
    else:
        text = text.copy()
    text.truncate(width, overflow="ellipsis")
    gap = width - text.cell_len
    if gap > 0:
        if align == "right":
            text.pad_left(gap)
        elif align == "center":
            text.pad_left(gap // 2)
            text.pad_right(gap - gap // 2)
        else:
            text.pad_right(gap)
    return text
