"""A damaged store's message names the line to open in an editor, not only the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outlook_tui.store import JsonStore, StoreFormatError
from outlook_tui.store.locate import line_for, lines_of, parse_path
from tests.conftest import write_store


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_paths_are_read_as_the_messages_write_them() -> None:
    assert parse_path("organizations[2].overrides.tasks_enabled") == (
        "organizations", 2, "overrides", "tasks_enabled")
    assert parse_path("system") == ("system",)
    assert parse_path("(document)") == ("(document)",)
    assert parse_path("a..b") is None


def test_each_path_is_found_on_its_own_line_even_in_a_one_line_file() -> None:
    data = json.dumps({"a": [{"x": 1}, {"x": 2, "y": {"z": True}}]}, indent=2).encode()
    text = data.decode()
    found = lines_of(data, [("a", 1, "y", "z"), ("a", 0)])
    assert found[("a", 1, "y", "z")] == line_of(text, '"z"')
    assert found[("a", 0)] == line_of(text, '"x": 1') - 1
    compact = json.dumps({"a": [{"x": 1}, {"x": 2}]}).encode()
    assert lines_of(compact, [("a", 1, "x")])[("a", 1, "x")] == 1


def test_a_missing_key_points_at_its_parent() -> None:
    data = b'{\n  "organizations": [\n    {\n      "id": 1\n    }\n  ]\n}\n'
    found = lines_of(data, [("organizations", 0, "name")])
    assert line_for(found, ("organizations", 0, "name")) == 3


def test_strings_holding_brackets_and_quotes_do_not_confuse_it() -> None:
    data = json.dumps({"a": "[{\\\"}", "b": [1, {"c": "]}"}, {"d": 0}]}, indent=2).encode()
    found = lines_of(data, [("b", 2, "d")])
    assert found[("b", 2, "d")] == line_of(data.decode(), '"d"')


def test_the_damaged_store_message_names_line_and_field(store_path: Path) -> None:
    write_store(store_path, ["Acme", "Globex", {"name": "Initech",
                                                "overrides": {"tasks_enabled": False}}])
    text = store_path.read_text().replace('"tasks_enabled": false', '"tasks_enabled": 7')
    store_path.write_text(text)
    with pytest.raises(StoreFormatError) as raised:
        JsonStore(store_path).load()
    line = line_of(text, '"tasks_enabled": 7')
    assert raised.value.line == line
    assert f"line {line}: organizations[2].overrides.tasks_enabled: must be true or false, got 7" \
        in str(raised.value)
