"""The benchmark tools themselves: the store generator writes valid, canonical stores, and the
pseudo-terminal harness renders what a program prints. Fast, and without the app."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402
from terminal import Terminal, Timeout  # noqa: E402

from outlook_tui.catalog import BY_NAME  # noqa: E402
from outlook_tui.store.json import JsonStore  # noqa: E402
from outlook_tui.store.json.document import serialize  # noqa: E402
from outlook_tui.store.snapshot import sort_key  # noqa: E402


def test_generated_store_of_50_validates_and_is_in_name_order(tmp_path: Path) -> None:
    path = generate.write_store(50, tmp_path)

    assert generate.self_check(path) == 50
    records = JsonStore(path, read_only=True).load().document["organizations"]
    assert [r["id"] for r in records] == list(range(1, 51))
    assert [sort_key(r["name"]) for r in records] == sorted(sort_key(r["name"]) for r in records)
    for record in records:
        for name, value in record["overrides"].items():
            assert BY_NAME[name].check(value) == value
    assert generate.first_name(path) == records[0]["name"]


def test_the_generator_is_deterministic() -> None:
    assert serialize(generate.make_document(50)) == serialize(generate.make_document(50))


def test_terminal_renders_output_and_answers_textual_queries() -> None:
    # The query is what Textual 8 sends at start; xterm answers "mode not recognized".
    command = ["printf", r"\033[?2026$p\033[3;5Hhello \033[7mworld\033[0m\033[<u"]
    with Terminal(command) as term:
        elapsed = term.wait_until(term.contains("hello world"), 2.0, since=term.started)
        assert elapsed < 2.0
        assert term.screen.display[2].startswith("    hello world")
        assert term.screen.buffer[2][10].reverse  # attributes reach the snapshot
        assert b"\x1b[?2026;0$y" in term.replies
        assert "u" not in term.screen_text()  # the kitty pop is not printed


def test_terminal_times_out_politely() -> None:
    with Terminal(["sleep", "5"]) as term, pytest.raises(Timeout):
        term.wait_until(term.contains("never"), 0.2)
