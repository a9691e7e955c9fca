"""The one table of hostile strings: pushed through every screen and every command.

Each is data a hostile (or careless) user can put in a store, an import, a history line or a
path: markup Textual or Rich would interpret, escape sequences a terminal would obey, characters
that hide or reorder text, and sizes that break layouts.
"""

from __future__ import annotations

import unicodedata

#: name -> the string. Every one but ``long`` fits an organization name (at most 255
#: characters, no spaces at either end, unique ignoring case).
HOSTILE: dict[str, str] = {
    "markup": "[bold]x[/]",
    "close_tag": "[/]",
    "link": "[link=https://evil.example]x[/link]",
    "action": "[@click=app.quit]quit[/]",
    "broken_tag": "[on red",
    "csi_clear": "\x1b[2Jpwned",
    "osc52_clipboard": "\x1b]52;c;aGk=\x07clip",
    "osc8_hyperlink": "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "osc0_title": "\x1b]0;pwned title\x07t",
    "c1_csi": "c1\x9b31mred",
    "del": "del\x7fete",
    "bidi_override": "bidi\u202eexe.txt",
    "bidi_isolate": "iso\u2067late\u2069",
    "zero_width": "zero\u200bwidth\u2060joiner\ufeff",
    "line_break": "line\nbreak\r\u2028sep",
    "tab": "tab\there",
    "wide": "組織名🏢エンタープライズ😀" * 3,
    "name_255": "N" * 254 + "の",
    "long": "L" * 9_999 + "\x1b",
}

#: Strings that are valid organization names in a store (hand-edited).
NAMES: list[str] = [s for s in HOSTILE.values() if len(s) <= 255]

#: Terminal bytes that must never come from data (the UTF-8 forms of C1 and bidi included).
FORBIDDEN_BYTES: tuple[bytes, ...] = (
    b"\x1b]52;c;aGk=", b"\x1b]8;;https://evil", b"\x1b]0;pwned", b"\x1b[2Jpwned",
    "\x9b".encode(), "\u202e".encode(), "\u2067".encode(), "\u200b".encode(), b"del\x7f",
)

#: Categories that never appear on the screen (Co and Cn are left out: Textual's own icons).
NEVER_SHOWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def hidden_characters(text: str) -> list[str]:
    """The characters of ``text`` a terminal would take as instructions or hide."""
    return [c for c in text if c != "\n" and unicodedata.category(c) in NEVER_SHOWN]


__all__ = ["FORBIDDEN_BYTES", "HOSTILE", "NAMES", "NEVER_SHOWN", "hidden_characters"]
