"""One organization costs one query, in the app: open the first organization's Configuration
the moment the organizations table first shows (Enter, while a big store may still be loading),
then change one setting and save it (space on the first Use System, ctrl+s), on Oro's database
with 3 organizations and with 100k, timed side by side in one run (each run alternately on the
small and the big database, a new app process each time)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from terminal import Terminal, Timeout

#: The form has read the organization's values: each field says where its value comes from.
FORM_SHOWN = re.compile(r"from (organization|system|default)\b")
#: The save's notice ("Revision N; the form shows what the store holds now.").
SAVED = re.compile(r"Revision \d+")
KEYS = {"enter": "\r", "space": " ", "ctrl+s": "\x13"}


@dataclass
class OpenTimings:
    """Seconds per run, for one size: until the form shows, until the save's notice shows."""

    opened: list[float] = field(default_factory=list)
    saved: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _shows(pattern: re.Pattern[str]) -> Callable[[Terminal], bool]:
    return lambda term: any(pattern.search(line) for line in term.screen.display)


def _once(argv: list[str], first_row: str, env: Mapping[str, str], cwd: str,
          into: OpenTimings, timeout: float) -> None:
    term = Terminal(argv, env=env, cwd=cwd)
    try:
        term.wait_until(term.contains(first_row), timeout, repr(first_row), since=term.started)
        sent = term.send(KEYS["enter"])
        into.opened.append(term.wait_until(_shows(FORM_SHOWN), timeout, "the form", since=sent))
        term.settle(0.1, 2.0)
        term.send(KEYS["space"])  # the first field's Use System: a change of one setting
        term.settle(0.1, 2.0)
        sent = term.send(KEYS["ctrl+s"])
        into.saved.append(term.wait_until(_shows(SAVED), timeout, "the save's notice",
                                          since=sent))
    except Timeout as error:
        screen = " / ".join(line.strip() for line in term.screen.display if line.strip())
        into.problems.append(f"{error}; screen: {screen[:300]}")
    finally:
        term.kill()


def measure(stores: Mapping[str, tuple[str, str]], command: Callable[[str], list[str]],
            env: Mapping[str, str], cwd: str, runs: int,
            timeout: float = 30.0) -> dict[str, OpenTimings]:
    """``stores``: size name -> (URI, its first organization's name, as the table shows it
    first); ``command(uri)`` starts the app on it."""
    timings = {size: OpenTimings() for size in stores}
    for _ in range(runs):
        for size, (uri, first_row) in stores.items():
            _once(command(uri), first_row[:18], env, cwd, timings[size], timeout)
    return timings


def first_name(store_class: Any, uri: str) -> str:
    store = store_class(uri)
    try:
        preview = store.peek(1)
    finally:
        store.close()
    return str(preview.records[0]["name"]) if preview is not None and preview.records else ""
