"""The one display rule (outlook_tui.text): what is escaped, what is kept, how long text is cut,
and which names are refused, on the table of hostile strings and on random text."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outlook_tui.store import InputError, JsonStore, NewOrganization, OrganizationChange
from outlook_tui.text import cells, clip, json_text, name_problem, printable, quoted, shown_name
from tests.conftest import write_store
from tests.hostile import HOSTILE, NAMES, hidden_characters


@pytest.mark.parametrize("kind", HOSTILE)
def test_every_hostile_string_is_shown_without_a_hidden_character(kind: str) -> None:
    shown = printable(HOSTILE[kind])
    assert hidden_characters(shown) == []
    assert "\x1b" not in shown and "\x9b" not in shown and "\n" not in shown


@pytest.mark.parametrize(("raw", "shown"), [
    ("\x1b[2Jpwned", "\\x1b[2Jpwned"),
    ("\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07"),
    ("c1\x9b31m", "c1\\x9b31m"),
    ("del\x7f", "del\\x7f"),
    ("bidi\u202eexe", "bidi\\u202eexe"),
    ("a\u2066b\u2069\u200e\u200f\u061c", "a\\u2066b\\u2069\\u200e\\u200f\\u061c"),
    ("zero\u200b\u200c\u200d\u2060\ufeff", "zero\\u200b\\u200c\\u200d\\u2060\\ufeff"),
    ("line\nbreak\ttab\r", "line\\nbreak\\ttab\\r"),
    ("para\u2029line\u2028", "para\\u2029line\\u2028"),
    ("tag\U000e0041", "tag\\U000e0041"),
    ("lone\ud800", "lone\\ud800"),
    ("\u3164\uffa0filler", "\\u3164\\uffa0filler"),
    ("[bold]x[/]", "[bold]x[/]"),
])
def test_hidden_code_points_are_written_as_python_writes_them(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@pytest.mark.parametrize("text", ["Acme GmbH", "Société Générale", "組織名", "😀 Emoji 🏢",
                                  "Ünïcödé ñ", "a\u00a0b", "e\u0301", "C:\\path\\x1b"])
def test_ordinary_text_is_shown_as_it_is(text: str) -> None:
    assert printable(text) == text


def test_line_breaks_are_kept_only_where_a_place_shows_several_lines() -> None:
    assert printable("one\ntwo\x1b", keep="\n") == "one\ntwo\\x1b"
    assert printable("one\ntwo", keep="") == "one\\ntwo"


@pytest.mark.parametrize("width", [1, 2, 5, 10, 11, 12, 40])
def test_clip_never_cuts_a_wide_character_or_an_escape_in_half(width: int) -> None:
    for text in ("組織名" * 20, "ab\x1b[2J" * 20, "a\u202e" * 30, HOSTILE["long"]):
        clipped = clip(text, width)
        assert cells(clipped) <= width
        body = clipped.removesuffix("…")
        # What is left is a whole number of characters, each shown whole (escape or glyph).
        prefixes = {"".join(printable(c) for c in text[:n]) for n in range(len(text) + 1)}
        assert body in prefixes
        assert clipped == printable(text) or clipped.endswith("…")


def test_a_10000_character_string_is_clipped_to_the_width_asked() -> None:
    assert clip(HOSTILE["long"], 80) == "L" * 79 + "…"


@pytest.mark.parametrize(("name", "message"), [
    ("Acme\x1b[2J", "must not contain control characters (U+001B at position 5)"),
    ("Ac\nme", "must not contain line breaks (U+000A at position 3)"),
    ("Acme\u2028", "must not contain line breaks (U+2028 at position 5)"),
    ("\u202eAcme", "must not contain invisible formatting characters (U+202E at position 1)"),
    ("Ac\u200bme", "must not contain invisible formatting characters (U+200B at position 3)"),
    ("Acme\x9b", "must not contain control characters (U+009B at position 5)"),
    ("Ac\tme", "must not contain control characters (U+0009 at position 3)"),
    ("Acme\u3164", "must not contain invisible characters (U+3164 at position 5)"),
])
def test_a_new_name_with_a_hidden_character_is_refused_naming_it_and_where(
    name: str, message: str
) -> None:
    assert name_problem(name) == message


@pytest.mark.parametrize("name", ["Acme", "[bold]x[/]", "組織名🏢", "Société Générale"])
def test_visible_names_are_accepted(name: str) -> None:
    assert name_problem(name) is None


def test_json_output_escapes_what_json_dumps_leaves_raw_and_reads_back_the_same() -> None:
    data = {"names": list(HOSTILE.values()), "accents": "Société 組織"}
    text = json_text(data)
    assert hidden_characters(text) == []
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert "Société 組織" in text  # readable, not \u-escaped
    assert json.loads(text) == data


# -- random names --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(min_size=1, max_size=40))
def test_any_name_is_stored_exactly_or_refused_and_is_always_shown_without_hidden_characters(
    name: str,
) -> None:
    shown = printable(name)
    assert hidden_characters(shown) == []
    assert cells(clip(name, 20)) <= 20
    with tempfile.TemporaryDirectory(prefix="outlook-text-") as folder:
        path = write_store(Path(folder) / "store.json", ["Acme"])
        store = JsonStore(path, lock_timeout=2)
        before = path.read_bytes()
        snapshot = store.load()
        candidate = name.strip()
        if not candidate or snapshot.by_name(candidate) is not None:
            return
        problem = name_problem(candidate)
        try:
            store.commit(snapshot, [NewOrganization(candidate, "", True)])
        except InputError as error:
            # Refused: the message says why (and where), nothing was written.
            assert problem is not None or len(candidate) > 255
            if problem is not None:
                assert str(error) == f"Name: {problem}"
            assert path.read_bytes() == before
            return
        assert problem is None
        reloaded = JsonStore(path).load()
        assert reloaded.by_name(candidate) is not None
        assert reloaded.by_name(candidate).name == candidate  # type: ignore[union-attr]


def test_rename_to_a_name_with_an_escape_is_refused_and_changes_no_byte(tmp_path: Path) -> None:
    path = write_store(tmp_path / "store.json", ["Acme"])
    store = JsonStore(path, lock_timeout=2)
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"Name: must not contain control characters "
                                         r"\(U\+001B at position 5\)"):
        store.commit(store.load(), [OrganizationChange(1, "name", "Acme", "Acme\x1b]52;c;x\x07")])
    assert path.read_bytes() == before


def test_a_store_edited_by_hand_with_such_names_still_loads(tmp_path: Path) -> None:
    path = write_store(tmp_path / "store.json", NAMES)
    snapshot = JsonStore(path, read_only=True).load()
    assert sorted(o.name for o in snapshot.organizations()) == sorted(NAMES)


@settings(max_examples=200, deadline=None)
@given(name=st.text(), width=st.integers(1, 100))
def test_what_the_app_draws_from_any_name_has_no_hidden_character_and_fits(
    name: str, width: int
) -> None:
    from rich.cells import cell_len

    from outlook_tui.app.screens.configuration import breadcrumb
    from outlook_tui.app.widgets.cells import fit
    from outlook_tui.catalog import PAGE_PATH

    for drawn in (fit(name, width, "left"), clip(name, width),
                  breadcrumb(["Organizations", name, "Configuration", *PAGE_PATH], width + 20)):
        assert hidden_characters(drawn) == []
    assert cell_len(fit(name, width, "left")) == width  # as Rich, which draws it, counts
    assert cells(breadcrumb(["Organizations", name, "Configuration", *PAGE_PATH], width + 20)) \
        <= width + 20


def test_names_that_differ_only_in_spaces_or_are_blank_look_different_in_a_list() -> None:
    names = ["Acme", "Acme ", " Acme", "Acme  ", "", " ", "  ", "\u3000", "Acme\u00a0", "A  B"]
    shown = [printable(shown_name(n)) for n in names]
    assert shown == ["Acme", "Acme␣", "␣Acme", "Acme␣␣", "(empty name)", "␣", "␣␣", "\\u3000",
                     "Acme\\xa0", "A  B"]
    assert len(set(shown)) == len(names)
    assert all(s == s.strip() and s for s in shown)


@given(st.text())
def test_a_shown_name_never_has_a_hidden_character_or_surrounding_blank(name: str) -> None:
    shown = printable(shown_name(name))
    assert shown and shown == shown.strip()


def test_a_long_argument_is_quoted_short_with_its_length() -> None:
    assert quoted("Acme") == "'Acme'"
    assert quoted("9" * 5000) == f"'{'9' * 40}'… (5,000 characters)"


def test_a_linux_console_sees_a_names_surrounding_spaces_without_a_glyph_it_lacks() -> None:
    """A support person on a Linux console (TERM=linux) tells "Acme" and "Acme " apart too,
    without the ␣ its font lacks: the space at the end is shown escaped."""
    import os
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-c", "from outlook_tui.text import shown_name; "
         "print(shown_name('Acme '), shown_name(' Acme'), sep='|')"],
        env={**os.environ, "TERM": "linux"}, capture_output=True, text=True, check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))).stdout.strip()
    assert shown == "Acme\\x20|\\x20Acme"
    assert shown.isascii()
