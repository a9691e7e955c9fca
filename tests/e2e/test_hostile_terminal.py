"""End of the pipeline: the real app in a pseudo-terminal, on a store whose names are the table
of hostile strings, walked through its screens by keys. Every byte the app writes is kept and
searched: an OSC 52 (clipboard), OSC 8 (hyperlink), OSC 0 (window title), a CSI from a name,
a C1 control, a bidi override or a zero-width character from data must never be among them;
the screen (as a terminal emulator renders it) shows the names escaped."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from outlook_tui.store.history import HistoryEntry, encode
from tests.conftest import write_store
from tests.e2e.terminal import WAIT_SECONDS
from tests.hostile import FORBIDDEN_BYTES, HOSTILE, NAMES

BENCHMARKS = Path(__file__).resolve().parent.parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from terminal import Terminal, Timeout, terminal_env  # noqa: E402

pytestmark = pytest.mark.e2e

#: (keys, what the screen shows once they are handled). Escape is sent alone and waited for:
#: ESC followed at once by a letter is read as alt+letter.
BACK = (["escape"], "sorted by Name")
WALK: list[tuple[list[str], str]] = [
    ([], "18 organizations"),
    (["c"], "MS Outlook Settings"), BACK,
    (["i"], "Effective value"), BACK,
    (["m"], "Compare organizations"), BACK,
    (["h"], "History of"), BACK,
    (["\x10"], "Search"), ([*"clip"], "Open organization"), (["escape"], "sorted by Name"),
    (["a"], "18 marked"), (["x"], "Reset overrides"), (["enter"], "Saved in one revision"),
    (["escape"], "sorted by Name"),
    (["\x1bOP"], "Keys of outlook-tui"), BACK,  # F1, as xterm sends it
    (["n"], "Create organization"),
]
#: Names of the first screen as the table shows them: escaped, never interpreted.
ESCAPED = ("\\x1b]52;c;aGk=", "[bold]x[/]", "bidi\\u202eexe.txt")


def test_no_escape_sequence_from_data_reaches_the_terminal(tmp_path: Path) -> None:
    store = write_store(tmp_path / "store.json", [
        {"name": name, "description": HOSTILE["long"], "overrides": {"tasks_enabled": False}}
        for name in NAMES])
    store.with_name("store.history.jsonl").write_bytes(encode([HistoryEntry(
        time="2026-01-15T10:00:00Z", user=value, ssh_client=value, revision=1,
        scope="organization", organization_id=1, organization_name=value, key="name",
        old=value, new=HOSTILE["osc52_clipboard"]) for value in HOSTILE.values()]))
    env = terminal_env(extra={"SSH_CLIENT": HOSTILE["osc8_hyperlink"]})
    with Terminal([sys.executable, "-m", "outlook_tui", "--store", str(store)],
                  env=env) as terminal:
        for keys, shown in WALK:
            for key in keys:
                terminal.send(key)
            try:
                try:
                    terminal.wait_until(terminal.contains(shown), WAIT_SECONDS, what=shown)
                except Timeout:
                    if keys != ["escape"]:
                        raise
                    # Under load an Escape is now and then not taken (seen on the matrix; not
                    # what this test is about): ask again once.
                    terminal.send("escape")
                    terminal.wait_until(terminal.contains(shown), WAIT_SECONDS, what=shown)
            except Timeout:
                raise AssertionError(f"after {keys}: {shown!r} never appeared on\n"
                                     f"{terminal.screen_text()}") from None
            terminal.settle(quiet=0.2, timeout=5)
            if keys == []:  # the names, escaped, once the table has drawn them all
                terminal.wait_until(lambda t: all(t.contains(e)(t) for e in ESCAPED),
                                    WAIT_SECONDS, what=" and ".join(ESCAPED))
        raw = bytes(terminal.raw)
    for forbidden in FORBIDDEN_BYTES:
        assert forbidden not in raw, forbidden
