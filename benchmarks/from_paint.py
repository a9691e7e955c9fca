"""Down from the first paint: the keys a person presses the moment the organizations table
shows, while the rest of a big store is still being read in the background.

Each Down is sent as soon as the previous one's move is on the screen (and its frame has
finished drawing), and timed until the highlighted row has moved: the row's place or its text
(once the table scrolls). Other output, such as the status line saying the count when the
store is read, is not a key's effect and is not taken for one.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from terminal import Terminal, Timeout

#: Where the cursor's colour is looked at: a cell of the Name column, left of any text cut.
PROBE_X = 10


@dataclass
class DownRun:
    first_paint: float | None = None
    downs: list[float] = field(default_factory=list)
    timeouts: int = 0
    #: Downs sent before the status line said the whole store was read.
    while_loading: int = 0
    #: Seconds from start until the status line said so (None: not seen during the keys).
    loaded: float | None = None
    peak_rss: int | None = None
    problems: list[str] = field(default_factory=list)


def _cursor(term: Terminal, top: int, colour: str) -> tuple[int, str] | None:
    """The highlighted row: its line and its text (without the scrollbar)."""
    buffer = term.screen.buffer
    for y in range(top, term.lines - 1):
        if buffer[y][PROBE_X].bg == colour:
            return y, term.screen.display[y][: term.columns - 2]
    return None


def _first_row(term: Terminal, row: str, run: DownRun, load_timeout: float) -> bool:
    """Wait for the first paint (``row`` shows); False (and why, in ``run``) when it never
    came."""
    try:
        run.first_paint = term.wait_until(term.contains(row), load_timeout, repr(row),
                                          since=term.started)
    except Timeout as error:
        run.problems.append(f"first row never painted: {error}")
        return False
    return True


def _timed_key(term: Terminal, run: DownRun, key: str, done: Callable[[Terminal], bool],
               what: str, loaded: re.Pattern[str], timeout: float) -> bool:
    """Send ``key`` and time it until ``done``, counting it as sent while loading or not;
    False when it timed out."""
    if run.loaded is None and any(loaded.search(line) for line in term.screen.display):
        run.loaded = time.perf_counter() - term.started
    run.while_loading += run.loaded is None
    sent = term.send(key)
    try:
        run.downs.append(term.wait_until(done, timeout, what, since=sent))
    except Timeout as error:
        run.timeouts += 1
        run.problems.append(str(error))
        return False
    term.settle(0.02, 0.5)  # the rest of the key's frame
    return True


def downs_from_first_paint(argv: list[str], row: str, keys: Sequence[str],
                           loaded: re.Pattern[str], env: Mapping[str, str], cwd: str, *,
                           timeout: float, load_timeout: float) -> DownRun:
    """``keys``: Down (and Up, for the bare app's ten rows), each timed."""
    run = DownRun()
    term = Terminal(argv, env=env, cwd=cwd)
    try:
        if not _first_row(term, row, run, load_timeout):
            return run
        top = next(y for y, line in enumerate(term.screen.display) if row in line)
        colour = term.screen.buffer[top][PROBE_X].bg  # the cursor starts on the first row
        for key in keys:
            before = _cursor(term, top, colour)
            _timed_key(term, run, key,
                       lambda t, was=before: _cursor(t, top, colour) not in (was, None),  # type: ignore[misc]
                       "the highlighted row to move", loaded, timeout)
        run.peak_rss = term.peak_rss()
    finally:
        term.kill()
    return run


#: The filter field's line, and what it shows when empty.
FILTER_LINE = " Filter: "
FILTER_EMPTY = "name contains…"


def _filter_shows(term: Terminal, text: str) -> bool:
    """The filter field shows ``text`` (its placeholder when empty)."""
    expected = text or FILTER_EMPTY
    return any(line.startswith(FILTER_LINE)
               and line[len(FILTER_LINE):].split("  ")[0] == expected
               for line in term.screen.display)


def filter_keys_from_first_paint(argv: list[str], row: str, text: str, rounds: int,
                                 loaded: re.Pattern[str], env: Mapping[str, str], cwd: str, *,
                                 timeout: float, load_timeout: float) -> DownRun:
    """The filter opened (/) the moment the first row shows, then ``text`` typed and erased
    ``rounds`` times, each key timed until the field shows it (``text`` without spaces: the
    field's text is read up to its padding). Counted in ``downs``."""
    run = DownRun()
    term = Terminal(argv, env=env, cwd=cwd)
    try:
        if not _first_row(term, row, run, load_timeout):
            return run
        try:
            sent = term.send("/")
            term.wait_until(lambda t: _filter_shows(t, ""), timeout, "the filter", since=sent)
        except Timeout as error:
            run.problems.append(f"the filter never opened: {error}")
            return run
        shown = ""
        for _ in range(rounds):
            for key in [*text, *["backspace"] * len(text)]:
                shown = shown[:-1] if key == "backspace" else shown + key
                if not _timed_key(term, run, key,
                                  lambda t, expected=shown: _filter_shows(t, expected),  # type: ignore[misc]
                                  f"the filter to show {shown!r}", loaded, timeout):
                    return run  # the field's text is no longer known
    finally:
        term.kill()
    return run
