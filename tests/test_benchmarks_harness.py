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
        term.wait_until(term.contains("hello world"), 30.0)  # a hang guard, not a speed test
        assert term.screen.display[2].startswith("    hello world")
        assert term.screen.buffer[2][10].reverse  # attributes reach the snapshot
        assert b"\x1b[?2026;0$y" in term.replies
        assert "u" not in term.screen_text()  # the kitty pop is not printed


def test_terminal_times_out_politely() -> None:
    with Terminal(["sleep", "5"]) as term, pytest.raises(Timeout):
        term.wait_until(term.contains("never"), 0.2)


def test_generated_history_matches_its_store_and_reads_newest_first(tmp_path: Path) -> None:
    import history_bench

    from outlook_tui.store import SettingChange

    store_file = generate.write_store(50, tmp_path)
    copy, lines, revision = history_bench.write_history(
        store_file, tmp_path / "h" / "store.history.jsonl", bulks=2, singles=30)
    assert lines == 2 * (50 + 30) and revision == 2 * (1 + 30)
    store = JsonStore(copy)
    assert store.load().revision == revision
    assert [e.revision for e in store.history(limit=3)] == [revision, revision - 1, revision - 2]
    result = store.commit(store.load(), [SettingChange(1, "tasks_enabled", None, False)])
    assert result.warnings == [], "the history reaches the store's revision: no gap to record"


def test_the_app_starts_from_bytecode_like_the_bare_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """First paint compares with a bare app whose Textual pip compiled: the run compiles the
    package too, whatever PYTHONDONTWRITEBYTECODE says, so no start compiles source."""
    import importlib.util

    import run

    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    run.compile_package()
    package = run.ROOT / "outlook_tui"
    stale = []
    for source in package.rglob("*.py"):
        cached = Path(importlib.util.cache_from_source(str(source)))
        if not cached.exists() or cached.stat().st_mtime_ns < source.stat().st_mtime_ns:
            stale.append(str(source.relative_to(package)))
    assert stale == []
