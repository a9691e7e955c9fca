"""Find the line of a JSON path (``organizations[2].overrides.tasks_enabled``) in a JSON text, so
that a validation error names the line to open in an editor, not only the field.

Only used when a store fails to validate: a regex tokenizer walks the text once and stops after
the last path asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

JsonPath = tuple[str | int, ...]

_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|-?\d[\d.eE+-]*|true|false|null')
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass
class _Frame:
    """An open object or array: the key (or index) of the value being read in it."""

    is_object: bool
    key: str | int
    expecting_key: bool


def _path(stack: list[_Frame]) -> JsonPath:
    return tuple(frame.key for frame in stack)


def parse_path(text: str) -> JsonPath | None:
    """``organizations[2].overrides.x`` -> ``("organizations", 2, "overrides", "x")``."""
    parts: list[str | int] = []
    at = 0
    for match in _PATH_PART.finditer(text):
        if match.start() not in (at, at + 1):  # only a dot may stand between parts
            return None
        parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        at = match.end()
    return tuple(parts) if parts and at == len(text) else None


def lines_of(data: bytes, paths: Iterable[JsonPath]) -> dict[JsonPath, int]:
    """The 1-based line where each path's key (or array element) starts; paths not found are
    left out. For a path that does not exist (a missing key), its parent's line is given."""
    wanted = set(paths)
    for path in list(wanted):  # fall back to the parent for missing keys
        wanted.update(path[:n] for n in range(1, len(path)))
    found: dict[JsonPath, int] = {}
    remaining = set(wanted)
    stack: list[_Frame] = []
    line, last = 1, 0

    def here(position: int) -> int:
        nonlocal line, last
        line += data.count(b"\n", last, position)
        last = position
        return line

    def enter_value(position: int) -> None:
        """A value starts: inside an array it is a new element with a path of its own."""
        if stack and not stack[-1].is_object:
            path = _path(stack)
            if path in remaining:
                found[path] = here(position)
                remaining.discard(path)

    for token in _TOKEN.finditer(data):
        if not remaining:
            break
        kind = token.group()
        if kind in (b"{", b"["):
            enter_value(token.start())
            stack.append(_Frame(kind == b"{", 0 if kind == b"[" else "", kind == b"{"))
        elif kind in (b"}", b"]"):
            if stack:
                stack.pop()
        elif kind == b":":
            if stack:
                stack[-1].expecting_key = False
        elif kind == b",":
            if stack:
                frame = stack[-1]
                if frame.is_object:
                    frame.expecting_key = True
                else:
                    frame.key = int(frame.key) + 1
        elif stack and stack[-1].is_object and stack[-1].expecting_key and kind.startswith(b'"'):
            stack[-1].key = kind[1:-1].decode("utf-8", errors="replace")
            path = _path(stack)
            if path in remaining:
                found[path] = here(token.start())
                remaining.discard(path)
        else:
            enter_value(token.start())
    return found


def line_for(found: dict[JsonPath, int], path: JsonPath) -> int | None:
    """The path's own line, else its nearest ancestor's."""
    for n in range(len(path), 0, -1):
        if path[:n] in found:
            return found[path[:n]]
    return None
