"""Strict JSON for every file outlook-tui reads (the store, its backups, import files).

JSON parsers accept more than a careful tool should: Python's ``json`` takes ``NaN`` and lone
surrogates and recurses until ``RecursionError``; both it and orjson let the last of two equal
keys in one object win silently. Here any byte sequence either parses to plain JSON values or
raises :class:`JsonTextError` with a message and the line and column to look at.

Fast path: orjson parses (it refuses NaN/Infinity, numbers beyond a double, invalid UTF-8, lone
surrogates, nesting beyond 1024). When the caller knows its canonical written form and
re-serializing gives back the very bytes read, the text cannot hold a duplicate key nor an integer
orjson rounded (either would not come back as it was): a 100k store costs one extra orjson dump
and a compare. Any other text takes the careful path: Python's parser with a hook that refuses
duplicate keys, and integers kept exact (the schema then bounds them), ~1.5x orjson's time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import orjson

_BOM = b"\xef\xbb\xbf"
_NOT_JSON_NUMBERS = (b"NaN", b"Infinity", b"-Infinity", b"+Infinity", b"-NaN")


class JsonTextError(ValueError):
    """Not acceptable JSON; ``str()`` says what, ``line``/``column`` (1-based) say where."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)


class DuplicateKey(ValueError):
    """Raised by :func:`no_duplicates` (as a parser hook) with the key found twice."""

    def __init__(self, key: str) -> None:
        self.key = key


def _place(data: bytes, position: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    position = max(0, min(position, len(data)))
    line_start = data.rfind(b"\n", 0, position) + 1
    column = len(data[line_start:position].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, position) + 1, column


def _diagnose(data: bytes, error: orjson.JSONDecodeError) -> JsonTextError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        line, column = _place(data, bad.start)
        return JsonTextError(
            f"not UTF-8 text (byte 0x{data[bad.start]:02x}); save the file as UTF-8",
            line, column)
    # orjson's offsets count characters of the decoded text: turn them back into bytes.
    position = len(data.decode("utf-8")[: error.pos].encode("utf-8"))
    line, column = _place(data, position)
    rest = data[position : position + 12]
    message = str(error.msg)
    if any(rest.startswith(word) for word in _NOT_JSON_NUMBERS):
        message = "NaN and Infinity are not JSON numbers"
    elif "infinity" in message:
        message = "a number too large for JSON (beyond a double)"
    elif "surrogate" in message:
        message = "a lone UTF-16 surrogate (\\ud800-\\udfff) is not text"
    elif "depth" in message or "recursion" in message.lower():
        message = "nested too deeply (more than 1,000 levels of arrays or objects)"
    return JsonTextError(f"invalid JSON: {message}", line, column)


def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return result


_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\]:,]')


def _line_of_duplicate(data: bytes, key: str) -> tuple[int, int] | tuple[None, None]:
    """Where the second occurrence of ``key`` in one object is. Only run once a duplicate is
    known to exist: a token walk with one key set per open object."""
    stack: list[set[str] | None] = []
    expecting_key = False
    for token in _TOKEN.finditer(data):
        kind = token.group()
        if kind == b"{":
            stack.append(set())
            expecting_key = True
        elif kind == b"[":
            stack.append(None)
        elif kind in (b"}", b"]"):
            if stack:
                stack.pop()
        elif kind == b",":
            expecting_key = bool(stack) and stack[-1] is not None
        elif kind == b":":
            expecting_key = False
        elif expecting_key and stack and stack[-1] is not None:
            name = json.loads(kind)
            if name == key and name in stack[-1]:
                return _place(data, token.start())
            stack[-1].add(name)
    return None, None


def loads(data: bytes, canonical: Callable[[Any], bytes] | None = None) -> Any:
    """Parse ``data`` strictly. ``canonical``: the writer's serializer, to take the fast path
    when the text is exactly what it writes."""
    if data.startswith(_BOM):
        raise JsonTextError(
            "the file starts with a byte order mark (BOM); save it as UTF-8 without one", 1, 1)
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise _diagnose(data, error) from None
    if canonical is not None and canonical(value) == data:
        return value
    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates)
    except DuplicateKey as duplicate:
        line, column = _line_of_duplicate(data, duplicate.key)
        raise JsonTextError(
            f"the key {duplicate.key!r} appears twice in one object (which one counts would be "
            "a guess); keep one", line, column) from None
    except RecursionError:  # orjson allows a little deeper than Python's parser
        raise JsonTextError("invalid JSON: nested too deeply") from None
