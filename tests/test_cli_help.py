"""The command line explains itself: each command's --help has examples and says the global
options once, in a line; `set --help` lists the keys and their values from the catalog;
`import --help` says what the file holds and what `-` means. And `set` warns when the value
given is what the organization inherits anyway (a stale override), saving it all the same."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from outlook_tui.catalog import CATALOG, SettingType
from outlook_tui.cli import main
from outlook_tui.cli.parser import build_parser
from tests.conftest import write_store


def commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> Iterator[
        tuple[str, ...]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*words, name)
                yield from commands(sub, (*words, name))


def help_of(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*words, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_command_has_examples_and_leaves_the_global_options_to_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    every = list(commands(build_parser()))
    assert ("orgs", "add") in every and ("db", "init") in every and ("import",) in every
    for words in every:
        text = help_of(capsys, *words)
        examples = text.partition("\nexamples:\n")[2]
        assert f" {' '.join(words)}" in examples.partition("\n\n")[0], words
        assert "global options (see outlook-tui --help): --store PATH|URI, --read-only, " \
               "--config PATH" in flat(text), words
        assert "libpq URI" not in text and "--read-only  " not in text, words
        assert max(len(line) for line in text.splitlines()) <= 79, words
    top = help_of(capsys)
    assert "libpq URI" in top and "outlook-tui COMMAND --help" in flat(top)


def test_set_help_lists_every_key_with_its_values_from_the_catalog(
        capsys: pytest.CaptureFixture[str]) -> None:
    text = flat(help_of(capsys, "set"))
    for setting in CATALOG:
        assert f"{setting.name} {setting.label}:" in text
        if setting.type is SettingType.CHOICE:
            for choice in setting.choices:
                assert f"{choice.value} ({choice.label})" in text
        elif setting.type is SettingType.INTEGER:
            assert f"a whole number from {setting.minimum} to {setting.maximum}" in text
    assert "default Both" in text and "default true" in text
    reset = flat(help_of(capsys, "reset"))
    assert all(f"{s.name} {s.label}" in reset for s in CATALOG)


def test_import_help_says_what_the_file_holds_and_what_a_dash_means(
        capsys: pytest.CaptureFixture[str]) -> None:
    text = flat(help_of(capsys, "import"))
    assert "FILE an export file, or - for standard input" in text
    assert '"format": "outlook-tui-export"' in text and '"organizations": [{"name": "Acme"' in text
    assert "FILE - reads standard input" in text
    assert "outlook-tui export | jq '.system = {}' | outlook-tui import -" in text


def run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OUTLOOK_TUI_STORE": str(store)}
    done = subprocess.run([sys.executable, "-m", "outlook_tui", *args], capture_output=True,
                          text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def store(store_path: Path) -> Path:
    return write_store(store_path, ["Default Organization", "Acme", "Globex"],
                       system={"tasks_enabled": False})


def overrides(store: Path) -> dict[str, dict[str, object]]:
    return {o["name"]: o["overrides"] for o in json.loads(store.read_text())["organizations"]}


def test_setting_what_an_organization_inherits_anyway_warns_and_still_saves(store: Path) -> None:
    done = run(store, "set", "Acme", "tasks_enabled", "no")
    assert "saved revision 1: Acme: Tasks = No" in done.stdout
    assert done.stderr == (
        "warning: 'Acme': Tasks = No is what System gives anyway; stored as an override, it no "
        "longer follows changes to System (outlook-tui reset Acme tasks_enabled to follow "
        "them)\n")
    assert overrides(store)["Acme"] == {"tasks_enabled": False}
    # A value of its own: nothing to warn about.
    assert run(store, "set", "Globex", "tasks_enabled", "yes").stderr == ""


def test_many_stale_overrides_are_one_warning_and_part_of_the_json(store: Path) -> None:
    done = run(store, "set", "--all-orgs", "tasks_enabled", "false", "--json")
    assert done.stderr == (
        "warning: 3 organizations ('Acme', 'Default Organization', 'Globex'): Tasks = No is "
        "what System gives anyway; stored as an override, it no longer follows changes to "
        "System (outlook-tui reset ORG... tasks_enabled to follow them)\n")
    report = json.loads(done.stdout)
    assert report["saved"] is True and report["revision"] == 1 and report["changes"] == 3
    assert [s["organization"] for s in report["stale_overrides"]] == [
        "Acme", "Default Organization", "Globex"]
    assert report["stale_overrides"][0] == {
        "organization_id": report["stale_overrides"][0]["organization_id"],
        "organization": "Acme", "key": "oro_crm_pro_outlook.tasks_enabled", "value": False,
        "inherited_from": "System"}
    assert report["warnings"] == [done.stderr.removeprefix("warning: ").rstrip("\n")]
    assert all(o == {"tasks_enabled": False} for o in overrides(store).values())
    again = json.loads(run(store, "set", "--all-orgs", "tasks_enabled", "false", "--json")
                       .stdout)
    assert again["saved"] is False and again["stale_overrides"] == []


def test_a_system_value_equal_to_the_default_warns_too(store: Path) -> None:
    done = run(store, "set", "--system", "contacts_sync_interval_orocrm", "120")
    assert done.stderr == (
        "warning: System: CRM Sync Interval (In Seconds) = 120 is the default anyway; stored, "
        "it no longer follows the default (outlook-tui reset --system "
        "contacts_sync_interval_orocrm to follow it)\n")
    assert json.loads(store.read_text())["system"]["contacts_sync_interval_orocrm"] == 120
