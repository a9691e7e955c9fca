"""The suite keeps to its own rules (README, Development): tests wait on a condition (app tests
with settle() on the app's signals, others with wait_until()), never a fixed time; helpers are
shared from conftest.py files, so no test module imports another; what Textual sends to the
terminal is read in one place (tests/app/screen.py)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).parent
#: pause() and pause(0) only yield to the event loop; any other argument is a fixed wait.
FIXED_WAIT = re.compile(r"\bpause\(\s*(?!0?\s*\))|\bsleep\(")
#: A sleep that chooses when a fault strikes (a kill at a random moment) waits for nothing.
FAULT_POINT = "# fault point:"
TEST_MODULE_IMPORT = re.compile(r"^\s*from tests(?:\.\w+)*\.test_\w+ import|"
                                r"^\s*import tests(?:\.\w+)*\.test_", re.M)
#: Textual's private compositor: read by tests/app/screen.py alone (no public way exists).
COMPOSITOR = re.compile(r"\.[_]compositor\b")
SCREEN_READER = TESTS / "app" / "screen.py"


def test_no_test_waits_a_fixed_time() -> None:
    found = [f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
             for path in sorted(TESTS.rglob("test_*.py"))
             for number, line in enumerate(path.read_text().splitlines(), start=1)
             if FIXED_WAIT.search(line) and FAULT_POINT not in line]
    assert not found, ("wait with tests.conftest.settle() (app tests) or wait_until() "
                       "instead:\n" + "\n".join(found))


def test_no_test_module_imports_another() -> None:
    found = [str(path.relative_to(TESTS)) for path in sorted(TESTS.rglob("*.py"))
             if TEST_MODULE_IMPORT.search(path.read_text())]
    assert not found, "share helpers from a conftest.py instead: " + ", ".join(found)


def test_only_one_helper_reads_what_textual_sends_to_the_terminal() -> None:
    found = [f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
             for path in sorted(TESTS.rglob("*.py")) if path != SCREEN_READER
             for number, line in enumerate(path.read_text().splitlines(), start=1)
             if COMPOSITOR.search(line)]
    assert not found, ("read the screen with tests.app.screen (drawn_strips, screen_text) "
                       "instead:\n" + "\n".join(found))
    assert COMPOSITOR.search(SCREEN_READER.read_text())
