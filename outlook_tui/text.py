"""Text from data, made safe to show: the one rule every screen and command output follows.

Names, descriptions, user names, SSH clients, values read from a file or an import, history
entries and the error messages quoting them are untrusted. On a terminal a control character is
an instruction, not a letter: ESC starts a sequence that can clear the screen, set the window
title, write the clipboard (OSC 52) or hide a link (OSC 8); a bidi override reorders what is
read; a zero-width character makes two different names look the same. So every code point in a
category that is not visible text is shown escaped, the way Python writes it (``\\x1b``,
``\\u202e``, ``\\U000e0041``):

- ``Cc`` controls: C0, DEL, C1 (ESC, CSI ``\\x9b``, BEL, line breaks, tab);
- ``Cf`` format characters: bidi embeddings, overrides and isolates, LRM/RLM/ALM, zero-width
  space/joiners, word joiner, BOM, soft hyphen, tag characters;
- ``Zl``/``Zp`` line and paragraph separators;
- ``Cs`` lone surrogates, ``Co`` private use and ``Cn`` unassigned code points (their width on
  the terminal is anybody's guess, and a terminal may give them meaning).

Everything else (letters with accents, CJK, emoji, ordinary spaces) is shown as it is. A
backslash is not doubled: the escapes are for reading, not for parsing back.

This module is the core's (no Textual); the app wraps it in ``outlook_tui.app.safe``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

#: The Unicode categories shown escaped (see above).
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
#: Letters (category Lo) that draw nothing: the Hangul fillers, a known way to make a name
#: that looks empty or like another one.
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")

_SHORT = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
ELLIPSIS = "…"


def cells(text: str) -> int:
    """Terminal cells ``text`` takes once printable: wide (East Asian) characters two, combining
    marks none, the rest one. (The core does not load Rich; for the escaped text both agree.)"""
    if text.isascii():
        return len(text)
    return sum(_char_cells(c) for c in text)


def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def is_hidden(char: str) -> bool:
    """True for a code point that is shown escaped, never as itself."""
    return unicodedata.category(char) in HIDDEN_CATEGORIES or char in INVISIBLE_LETTERS


def is_printable(text: str) -> bool:
    """True when ``text`` is shown as it is (nothing in it is escaped)."""
    # str.isprintable() is False for every hidden category (and for spaces other than " "):
    # the common case, an ordinary name, costs two C calls.
    return text.isprintable() and INVISIBLE_LETTERS.isdisjoint(text)


def escape_char(char: str) -> str:
    """``char`` written as Python writes it in a string literal: ``\\x1b``, ``\\u202e``."""
    if char in _SHORT:
        return _SHORT[char]
    point = ord(char)
    if point <= 0xFF:
        return f"\\x{point:02x}"
    if point <= 0xFFFF:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def _pieces(text: str, keep: str) -> list[str]:
    return [escape_char(c) if c not in keep and is_hidden(c) else c for c in text]


def printable(text: str, *, keep: str = "") -> str:
    """``text`` with every hidden code point (see the module's rule) escaped.

    ``keep`` names characters left as they are where the place shows several lines (``"\\n"``
    for a message block); titles, table cells and one-line messages keep nothing.
    """
    if is_printable(text):
        return text
    if keep == "\n":  # a block of lines (a whole JSON export, say): most lines take the fast path
        return "\n".join(map(printable, text.split("\n")))
    return "".join(_pieces(text, keep))


def clip(text: str, width: int, *, keep: str = "") -> str:
    """``printable(text)`` cut to at most ``width`` terminal cells, ending with an ellipsis when
    cut. A wide character or an escape is never cut in half."""
    if len(text) <= width and text.isprintable() and text.isascii():
        return text
    pieces = _pieces(text, keep)
    if sum(cells(p) for p in pieces) <= width:
        return "".join(pieces)
    if width <= 0:
        return ""
    room = width - 1
    out: list[str] = []
    for piece in pieces:
        size = cells(piece)
        if size > room:
            break
        out.append(piece)
        room -= size
    return "".join(out) + ELLIPSIS


#: Names (of organizations) are one line of visible text.
_NAME_KINDS = {
    "Cc": "control characters",
    "Zl": "line breaks",
    "Zp": "line breaks",
    "Cf": "invisible formatting characters",
    "Cs": "lone surrogates",
    "Co": "private-use characters",
    "Cn": "unassigned characters",
    "Lo": "invisible characters",
}


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot be a new organization name, as
    ``must not contain control characters (U+001B at position 5)`` (positions count from 1), or
    None. Only new input is checked: a store edited by hand that holds such a name still loads,
    and shows it escaped."""
    if is_printable(name):
        return None
    for position, char in enumerate(name, 1):
        kind = "Lo" if char in INVISIBLE_LETTERS else unicodedata.category(char)
        if kind in HIDDEN_CATEGORIES or kind == "Lo":
            what = "line breaks" if char in "\n\r\x0b\x0c\x1c\x1d\x1e\x85" else _NAME_KINDS[kind]
            return f"must not contain {what} (U+{ord(char):04X} at position {position})"
    return None


#: Shown for each space around a name, so that ``Acme`` and ``Acme `` are told apart in a list.
def terminal_glyphs(term: str | None) -> str:
    """What a TERM can draw: ``"console"`` (a Linux console's font: ASCII is all it surely
    has), ``"ascii"`` (dumb, vt100...) or ``"unicode"``. The one rule for the app's icons and
    for the signs in data shown here."""
    term = (term or "").lower()
    if term in ("linux", "con", "cons25") or term.startswith(("linux-", "con")):
        return "console"
    if term == "dumb" or re.match(r"vt\d", term):
        return "ascii"
    return "unicode"


#: ␣ (OPEN BOX, the usual sign of a typed space) where the terminal can draw it, else the
#: escape every other blank character at a name's ends gets.
VISIBLE_SPACE = ("\u2423" if terminal_glyphs(os.environ.get("TERM")) == "unicode"
                 else "\\x20")
#: Shown in a list for an organization whose name is empty (Oro's column allows '').
EMPTY_NAME = "(empty name)"


def shown_name(name: str) -> str:
    """An organization's name as every list shows it (the CLI's tables, the app's tables): the
    spaces around it made visible (``␣``, other blank characters escaped as ``\\u3000``), an
    empty name as ``(empty name)``. Inside a name, spaces are left as they are; the rest is
    left to ``printable``/``clip``, which every list applies to its cells (a table clips an
    escape as one piece only when it escapes it itself)."""
    if name and not name[0].isspace() and not name[-1].isspace():
        return name
    if not name:
        return EMPTY_NAME
    core = name.strip()
    start = len(name) - len(name.lstrip())
    lead, trail = name[:start], name[start + len(core):]
    return _visible_spaces(lead) + core + _visible_spaces(trail)


def _visible_spaces(spaces: str) -> str:
    return "".join(VISIBLE_SPACE if c == " " else escape_char(c) for c in spaces)


def quoted(text: str, width: int = 40) -> str:
    """``text`` as a message quotes what a person typed or a row held: ``repr`` of it, cut to
    about ``width`` characters with its length said when longer, so that a 5,000-digit argument
    is one short line, not a screenful."""
    if len(text) <= width:
        return repr(text)
    return f"{text[:width]!r}… ({len(text):,} characters)"


# Everything outside printable ASCII is looked at; json.dumps has already escaped C0 controls.
_NOT_ASCII = re.compile(r"[^\x00-\x7e]")


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if not is_hidden(char):
        return char
    point = ord(char)
    if point <= 0xFFFF:
        return f"\\u{point:04x}"
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"


def json_text(data: Any, *, indent: int | None = 2) -> str:
    """``data`` as JSON, readable (accents and CJK as they are) but with every hidden code point
    written as a ``\\u`` escape: json.dumps escapes C0 controls itself, but not DEL, C1 (a
    ``\\x9b`` is CSI to many terminals), bidi overrides or zero-width characters."""
    return _NOT_ASCII.sub(_json_escape, json.dumps(data, indent=indent, ensure_ascii=False))


class PrintableStream:
    """A text stream (stdout, stderr) that writes everything through ``printable``, keeping
    line breaks: the command line's last guard, so that no message, table, usage error or
    traceback quoting data can put a control character on the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(printable(text, keep="\n"))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def printable_output() -> Iterator[None]:
    """Within the block, sys.stdout and sys.stderr are PrintableStreams."""
    saved = sys.stdout, sys.stderr
    # A stream that is not there (started with fd 1 closed) stays None, as Python left it.
    out = sys.stdout = PrintableStream(saved[0]) if saved[0] is not None else None
    err = sys.stderr = PrintableStream(saved[1]) if saved[1] is not None else None
    try:
        yield
    finally:
        # Only ours are put back: a stream replaced inside the block (stdout silenced once it
        # was found closed) stays replaced.
        if sys.stdout is out:
            sys.stdout = saved[0]
        if sys.stderr is err:
            sys.stderr = saved[1]


__all__ = [
    "ELLIPSIS",
    "EMPTY_NAME",
    "HIDDEN_CATEGORIES",
    "INVISIBLE_LETTERS",
    "VISIBLE_SPACE",
    "PrintableStream",
    "cells",
    "clip",
    "escape_char",
    "is_hidden",
    "is_printable",
    "json_text",
    "name_problem",
    "printable",
    "printable_output",
    "quoted",
    "shown_name",
]
