"""Every command's output, with the table of hostile strings as names, history users, SSH
clients, values and arguments: no ESC, C1, bidi or zero-width byte from data reaches stdout or
stderr (plain output shows them escaped; JSON escapes them as JSON does), and no command crashes.
Run as a real subprocess, so what is checked is the bytes a terminal would get."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from outlook_tui.store import JsonStore, SettingChange
from outlook_tui.store.history import HistoryEntry, encode
from outlook_tui.text import printable
from tests.conftest import write_store
from tests.hostile import HOSTILE, NAMES, hidden_characters

OSC52 = HOSTILE["osc52_clipboard"]
MARKUP = HOSTILE["markup"]


def run(store: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "OUTLOOK_TUI_STORE": str(store),
           "SSH_CLIENT": HOSTILE["osc8_hyperlink"], "SSH_CONNECTION": ""}
    return subprocess.run([sys.executable, "-m", "outlook_tui", *args], capture_output=True,
                          env=env, timeout=120, check=False)


def assert_clean(result: subprocess.CompletedProcess[bytes]) -> str:
    """No hidden character from data in either stream, no traceback; returns stdout + stderr."""
    for stream in (result.stdout, result.stderr):
        assert b"\x1b" not in stream, stream[:2000]
        text = stream.decode("utf-8", errors="surrogateescape")
        assert hidden_characters(text.replace("\t", "")) == [], text[:2000]
    both = (result.stdout + result.stderr).decode()
    assert "Traceback" not in both, both
    return both


@pytest.fixture
def hostile_store(tmp_path: Path) -> Path:
    """Every hostile name, each overriding a setting, one saved revision (so a backup exists)
    and history lines whose users, SSH clients and values are hostile."""
    path = write_store(tmp_path / "store.json", [
        {"name": name, "description": HOSTILE["long"], "overrides": {"tasks_enabled": False}}
        for name in NAMES])
    store = JsonStore(path, lock_timeout=5)
    snapshot = store.load()
    store.commit(snapshot, [SettingChange(1, "contacts_enabled", None, False)])
    history = path.with_name("store.history.jsonl")
    entries = [HistoryEntry(
        time="2026-01-15T10:00:00Z", user=value, ssh_client=value, revision=2,
        scope="organization", organization_id=1, organization_name=value, key="name",
        old=value, new=OSC52) for value in HOSTILE.values()]
    with history.open("ab") as file:
        file.write(encode(entries))
    return path


def first_name(path: Path) -> str:
    return str(json.loads(path.read_text())["organizations"][0]["name"])


@pytest.mark.parametrize("args", [
    ("orgs", "list"),
    ("orgs", "list", "--json"),
    ("show", "{first}"),
    ("show", "{first}", "--json"),
    ("show", "--system"),
    ("diff",),
    ("diff", "--json"),
    ("diff", "--only-overrides"),
    ("history",),
    ("history", "--json"),
    ("history", "{first}"),
    ("export",),
    ("backups",),
    ("schema",),
    ("orgs", "disable", "{first}"),
    ("set", "{first}", "tasks_enabled", OSC52),
    ("set", "{first}", "contacts_sync_interval_orocrm", "300"),
    ("reset", "{first}", "--all"),
    ("show", OSC52 + "missing"),
    ("orgs", "add", OSC52),
    ("orgs", "add", HOSTILE["bidi_override"] + "new"),
    ("orgs", "rename", "{first}", HOSTILE["c1_csi"] + "new"),
    ("orgs", "list", "--bogus" + OSC52),
    ("history", "--limit", OSC52),
    ("restore", "1"),
])
def test_every_command_shows_hostile_data_escaped(hostile_store: Path,
                                                   args: tuple[str, ...]) -> None:
    first = first_name(hostile_store)
    result = run(hostile_store, *(a.replace("{first}", first) for a in args))
    both = assert_clean(result)
    assert result.returncode in (0, 1, 2)
    if args[:2] == ("orgs", "list") and result.returncode == 0 and "--json" not in args:
        for name in NAMES:
            assert printable(name) in both  # the whole name, escaped, measured in cells
    if "--json" in args and result.returncode == 0:
        json.loads(result.stdout)  # valid JSON, with the hidden code points as \\u escapes


def test_a_new_name_with_an_escape_is_refused_naming_the_character(hostile_store: Path) -> None:
    before = hostile_store.read_bytes()
    result = run(hostile_store, "orgs", "add", "Acme" + OSC52)
    assert result.returncode == 1
    assert "Name: must not contain control characters (U+001B at position 5)" in \
        result.stderr.decode()
    assert hostile_store.read_bytes() == before


def test_json_output_reads_back_the_exact_hostile_names(hostile_store: Path) -> None:
    listed = json.loads(run(hostile_store, "orgs", "list", "--json").stdout)
    assert sorted(o["name"] for o in listed) == sorted(NAMES)


def test_export_to_a_file_and_import_it_back_keep_the_names(hostile_store: Path,
                                                            tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    assert_clean(run(hostile_store, "export", str(target)))
    assert b"\x1b" not in target.read_bytes()
    exported = json.loads(target.read_text())
    assert sorted(o["name"] for o in exported["organizations"]) == sorted(NAMES)
    # The same names back: they exist already, so the import matches them (nothing refused).
    result = run(hostile_store, "import", str(target))
    assert_clean(result)
    assert result.returncode == 0, result.stderr


def test_an_import_creating_hostile_names_is_refused_whole_naming_each(
    hostile_store: Path, tmp_path: Path
) -> None:
    document = {"format": "outlook-tui-export", "version": 1, "organizations": [
        {"name": "New " + OSC52, "settings": {}},
        {"name": "Fine", "settings": {}},
        {"name": "Also " + HOSTILE["bidi_override"], "settings": {}},
        {"name": MARKUP + "2", "settings": {
            "oro_crm_pro_outlook.contacts_sync_direction": HOSTILE["osc8_hyperlink"]}},
    ]}
    source = tmp_path / ("import" + HOSTILE["bidi_override"] + ".json")
    source.write_text(json.dumps(document))
    before = hostile_store.read_bytes()
    result = run(hostile_store, "import", str(source))
    text = assert_clean(result)
    assert result.returncode == 1
    assert "organizations[0].name: must not contain control characters (U+001B at position 5)" \
        in text
    assert "organizations[2].name: must not contain invisible formatting characters " \
        "(U+202E at position 10)" in text
    assert hostile_store.read_bytes() == before
