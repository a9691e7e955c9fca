"""The command line in its environment: exit statuses, paths that hold no store, the variables it
reads, standard output closed or cut short, and what scripts pipe in."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_store

READ_COMMANDS = [
    ("show", "--system"), ("show", "Acme"), ("orgs", "list"), ("diff",), ("history",),
    ("history", "--limit", "3"), ("export",), ("backups",),
]


def cli(*args: str, env: dict[str, str] | None = None, **options: Any,
        ) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SSH_CLIENT": "", "SSH_CONNECTION": "", **(env or {})}
    environment.pop("OUTLOOK_TUI_STORE", None)
    environment.pop("OUTLOOK_TUI_LOCK_TIMEOUT", None)
    environment.update(env or {})
    options.setdefault("capture_output", "stdout" not in options)
    if "stdout" in options:
        options.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "outlook_tui", *args], text=True,
                          env=environment, timeout=60, **options)


def tree(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_a_mistyped_store_path_says_there_is_no_store_and_creates_nothing(
        tmp_path: Path, command: tuple[str, ...]) -> None:
    for missing in (tmp_path / "stroe.json", tmp_path / "no-such-dir" / "store.json"):
        result = cli("--store", str(missing), *command)
        assert result.returncode == 1, result.stderr
        assert f"no store at {missing}" in result.stderr
        assert "Traceback" not in result.stderr
        assert tree(tmp_path) == [], "a command that only reads created something"


def test_a_read_through_the_environment_variable_creates_nothing_either(tmp_path: Path) -> None:
    missing = tmp_path / "store.json"
    result = cli("orgs", "list", env={"OUTLOOK_TUI_STORE": str(missing)})
    assert result.returncode == 1 and str(missing) in result.stderr
    assert tree(tmp_path) == []


def test_a_save_creates_the_store_in_an_existing_directory_only(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "store.json"
    result = cli("--store", str(missing), "set", "--system", "tasks_enabled", "no")
    assert result.returncode == 1
    assert f"{tmp_path / 'typo'}: no such directory" in result.stderr
    assert tree(tmp_path) == []
    created = tmp_path / "store.json"
    assert cli("--store", str(created), "orgs", "add", "Acme").returncode == 0
    names = [o["name"] for o in json.loads(created.read_text())["organizations"]]
    assert names == ["Acme", "Default Organization"]


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf", "5s"])
def test_an_invalid_lock_timeout_is_a_usage_error_naming_the_variable(
        acme: Path, value: str) -> None:
    before = acme.read_bytes()
    for command in (("set", "Acme", "tasks_enabled", "no"), ("show", "Acme")):
        result = cli("--store", str(acme), *command, env={"OUTLOOK_TUI_LOCK_TIMEOUT": value})
        assert result.returncode == 2, result.stderr
        assert f"OUTLOOK_TUI_LOCK_TIMEOUT must be a number of seconds (0 or more), got {value!r}" \
            in result.stderr
        assert "Traceback" not in result.stderr
    assert acme.read_bytes() == before


def test_a_valid_lock_timeout_is_used(acme: Path) -> None:
    result = cli("--store", str(acme), "set", "Acme", "tasks_enabled", "no",
                 env={"OUTLOOK_TUI_LOCK_TIMEOUT": " 0.5 "})
    assert result.returncode == 0, result.stderr


def test_a_save_whose_report_hits_a_closed_pipe_is_still_a_success(acme: Path) -> None:
    """`outlook-tui set ... | head -0`: the reader is gone before the report is printed."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = cli("--store", str(acme), "set", "Acme", "tasks_enabled", "no", stdout=write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr
    acme_record = next(o for o in json.loads(acme.read_text())["organizations"]
                       if o["name"] == "Acme")
    assert acme_record["overrides"] == {"contacts_sync_interval_orocrm": 300,
                                        "tasks_enabled": False}


def test_a_reader_that_stops_reading_is_no_failure(acme: Path) -> None:
    """`outlook-tui export | head -c 1`: the reader got what it wanted."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = cli("--store", str(acme), "export", stdout=write_end)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (0, "")


def test_with_standard_output_closed_a_save_succeeds_and_a_read_fails(acme: Path) -> None:
    """`>&-`: fd 1 is closed. The save is done (exit 0) and nothing it opens lands on fd 1; a
    command whose whole point is its output says it could not print it (exit 1)."""
    closing = "import os, runpy, sys; os.close(1); sys.argv[0] = 'outlook-tui'; " \
              "runpy.run_module('outlook_tui', run_name='__main__')"

    def run_closed(*args: str) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "SSH_CLIENT": "", "OUTLOOK_TUI_STORE": str(acme)}
        return subprocess.run([sys.executable, "-c", closing, *args], capture_output=True,
                              text=True, env=environment, timeout=60)

    saved = run_closed("set", "Acme", "tasks_enabled", "no")
    assert saved.returncode == 0, saved.stderr
    document = json.loads(acme.read_text())  # the store was not written through fd 1
    assert document["revision"] == 1
    read = run_closed("orgs", "list")
    assert read.returncode == 1
    assert "standard output is closed" in read.stderr and "Traceback" not in read.stderr


def test_a_name_that_is_another_organizations_id_is_ambiguous(tmp_path: Path) -> None:
    store = write_store(tmp_path / "store.json", [
        {"id": 2, "name": "Acme"}, {"id": 3, "name": "2"}, {"id": 4, "name": "4"}])
    before = store.read_bytes()
    result = cli("--store", str(store), "set", "2", "tasks_enabled", "no")
    assert result.returncode == 1
    assert "'2' is ambiguous: it is the id of 'Acme' and the name of the organization with id 3" \
        in result.stderr
    assert store.read_bytes() == before
    # Its own id as its name is no ambiguity; the others are reached by what is unambiguous.
    assert cli("--store", str(store), "show", "4").returncode == 0
    shown = json.loads(cli("--store", str(store), "show", "3", "--json").stdout)
    assert shown["organization"]["name"] == "2"
    shown = json.loads(cli("--store", str(store), "show", "Acme", "--json").stdout)
    assert shown["organization"]["id"] == 2


def test_a_duplicate_name_message_names_the_organization_as_it_is_spelled(acme: Path) -> None:
    before = acme.read_bytes()
    for command in (("orgs", "add", "acme"), ("orgs", "rename", "Globex", "ACME")):
        result = cli("--store", str(acme), *command)
        assert result.returncode == 1
        assert "an organization named 'Acme' already exists" in result.stderr
    assert acme.read_bytes() == before


def test_import_dash_reads_standard_input(acme: Path, tmp_path: Path) -> None:
    exported = cli("--store", str(acme), "export").stdout
    document = json.loads(exported)
    document["organizations"] = [{"name": "Initech", "settings": {
        "oro_crm_pro_outlook.tasks_enabled": False}}]
    result = cli("--store", str(acme), "import", "-", input=json.dumps(document))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("saved revision 1: imported standard input: "
                                    "1 organization created (2 changes)")
    records = {o["name"]: o for o in json.loads(acme.read_text())["organizations"]}
    assert records["Initech"]["overrides"] == {"tasks_enabled": False}


def test_import_dash_names_standard_input_in_its_errors(acme: Path) -> None:
    before = acme.read_bytes()
    result = cli("--store", str(acme), "import", "-", input='{"organizations": [\n  {]\n}')
    assert result.returncode == 1
    assert result.stderr.startswith("outlook-tui: <stdin>:2:")
    assert acme.read_bytes() == before


def test_counts_read_as_english(acme: Path) -> None:
    one = cli("--store", str(acme), "set", "Acme", "tasks_enabled", "no")
    assert "(1 change)" in one.stdout
    two = cli("--store", str(acme), "set", "Acme", "Globex", "tasks_enabled", "yes")
    assert "(2 changes)" in two.stdout
    assert cli("--store", str(acme), "orgs", "list").stdout.rstrip().endswith("3 organizations")
    lone = write_store(acme.with_name("lone.json"), ["Default Organization"])
    assert cli("--store", str(lone), "orgs", "list").stdout.rstrip().endswith("1 organization")


def test_the_app_on_a_store_in_a_missing_directory_says_so_before_starting(
        tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "store.json"
    leader, follower = pty.openpty()  # the app needs a terminal before it looks at anything
    try:
        result = cli("--store", str(missing), stdin=follower, stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 1, result.stderr
    assert f"{tmp_path / 'typo'}: no such directory" in result.stderr
    assert tree(tmp_path) == []


def test_a_command_that_crashes_exits_70_and_its_report_holds_no_escape_code(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from outlook_tui import cli
    from outlook_tui.cli import settings

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("a bug met Acme\x1b]0;pwned\x07")

    monkeypatch.setattr(settings, "open_for", crash)
    assert cli.main(["show", "--system"]) == 70
    error = capsys.readouterr().err
    assert "RuntimeError: a bug met Acme\\x1b]0;pwned\\x07" in error
    assert error.endswith("outlook-tui: internal error (a bug): please report the lines above\n")
    assert "\x1b" not in error and "\x07" not in error
