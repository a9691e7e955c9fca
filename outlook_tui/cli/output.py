"""What commands print: aligned tables and JSON, both through the one display rule
(``outlook_tui.text``): cells are data, escaped before the columns are measured."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from outlook_tui.text import cells, json_text, printable


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    # Cells are data: escaped before the columns are measured (in terminal cells, for CJK).
    rows_shown = [[printable(str(c)) for c in r] for r in rows]
    widths = [max([cells(h), *(cells(r[i]) for r in rows_shown)])
              for i, h in enumerate(headers)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - cells(c))
                         for c, w in zip(row, widths, strict=True)).rstrip()

    lines = [line(headers), "  ".join("-" * w for w in widths)]
    lines.extend(line(r) for r in rows_shown)
    return "\n".join(lines)


def print_json(data: Any) -> None:
    print(json_text(data))
