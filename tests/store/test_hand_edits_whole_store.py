"""The whole store's history finds a hand edit of store.json by comparing the file with what
outlook-tui last wrote (the newest backup and the history lines since), not with every line of
the history: on a long history it reads a save's lines, not the history's length. Without a
backup to compare with it says so, and an organization's history still shows the edit."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from outlook_tui.history_text import describe
from outlook_tui.store import JsonStore, SettingChange
from outlook_tui.store import history as history_file
from outlook_tui.store.history import RawLine
from outlook_tui.store.json.document import serialize
from outlook_tui.store.json.hand_edits import NOT_COMPARED
from outlook_tui.store.outside import OUTSIDE
from tests.conftest import every_byte, run_cli, write_store

INTERVAL = "contacts_sync_interval_orocrm"
KEY = "oro_crm_pro_outlook." + INTERVAL
ACME = 2


def _saved_600(store_path: Path, *, revision: int = 0) -> JsonStore:
    write_store(store_path, ["Default Organization", "Acme"], revision=revision)
    store = JsonStore(store_path)
    store.commit(store.load(), [SettingChange(ACME, INTERVAL, None, 600)])
    return store


def _hand_edit(store_path: Path, edit: Callable[[dict[str, Any]], object], *,
               written_form: bool = False) -> str:
    """An admin edits the file in an editor a minute later (keeping the form outlook-tui
    writes it in, or not); returns the file's time."""
    document = json.loads(store_path.read_text())
    edit(next(o for o in document["organizations"] if o["name"] == "Acme"))
    store_path.write_bytes(serialize(document) if written_form else
                           json.dumps(document).encode())
    _later(store_path)
    return _touched_at(store_path)


def _touched_at(store_path: Path) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(store_path.stat().st_mtime)))


def _later(store_path: Path) -> None:
    later = time.time() + 60
    os.utime(store_path, (later, later))


def _to_900(acme: dict[str, Any]) -> None:
    acme["overrides"][INTERVAL] = 900


def _lines_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the history lines read from the end of the file, by every reader."""
    count = [0]
    reverse = history_file.reverse_lines

    def counted(fd: int, block_size: int = history_file.BLOCK_SIZE) -> Iterator[RawLine]:
        for line in reverse(fd, block_size):
            count[0] += 1
            yield line

    monkeypatch.setattr(history_file, "reverse_lines", counted)
    return count


def test_the_whole_store_shows_a_hand_edit_as_the_last_save_left_it(store_path: Path) -> None:
    store = _saved_600(store_path)
    stamp = _hand_edit(store_path, _to_900)
    newest = store.history(limit=20)[0]
    assert (newest.user, newest.key, newest.old, newest.new, newest.time) == \
        (OUTSIDE, KEY, 600, 900, stamp)
    assert (newest.organization_id, newest.organization_name) == (ACME, "Acme")
    assert describe(newest).change == "600 -> 900"
    # The change notice (the lines after the revision the app shows) names it too.
    assert store.history(after_revision=1)[0] == newest


def test_a_value_nobody_recorded_is_a_change_from_use_system(store_path: Path) -> None:
    store = _saved_600(store_path)
    _hand_edit(store_path, lambda acme: acme["overrides"].update({"tasks_enabled": False}))
    newest = store.history()[0]
    assert (newest.user, newest.key, newest.old, newest.new) == \
        (OUTSIDE, "oro_crm_pro_outlook.tasks_enabled", None, False)
    assert describe(newest).change == "(Use System) -> No"


def test_the_command_line_lists_the_hand_edit_first_and_writes_nothing(
        store_path: Path) -> None:
    _saved_600(store_path)
    stamp = _hand_edit(store_path, _to_900)
    before = every_byte(store_path.parent)
    shown = run_cli(store_path, "--read-only", "history", "--limit", "20").stdout
    first = shown.splitlines()[2]
    assert OUTSIDE in first and "Acme" in first and "600 -> 900" in first
    assert stamp.replace("T", " ")[:16] in first
    assert every_byte(store_path.parent) == before


async def test_the_history_screen_of_all_changes_shows_the_hand_edit(store_path: Path) -> None:
    from outlook_tui.app.app import OutlookApp
    from outlook_tui.app.screens.history import HistoryScreen
    from tests.app.conftest import loaded
    from tests.conftest import settle

    _saved_600(store_path)
    _hand_edit(store_path, _to_900)
    before = every_byte(store_path.parent)
    app = OutlookApp(JsonStore(store_path, read_only=True), watch_seconds=0,
                     location_label="store.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        screen = HistoryScreen()
        await app.push_screen(screen)
        await settle(pilot, lambda: bool(screen.entries), "the history")
        row = screen._row(0)
        assert row[1:] == [OUTSIDE, "Acme", "CRM Sync Interval (In Seconds)", "600 -> 900"]
    assert every_byte(store_path.parent) == before


#: Acme among them, neither first nor last in name order; organization 5 with tasks on.
MANY = ["Default Organization", *({"name": f"A Org {n:03d}", "overrides": {
    "tasks_enabled": True}} if n == 4 else f"A Org {n:03d}" for n in range(1, 100)),
        {"name": "Acme", "overrides": {INTERVAL: 300}}, *(f"Org {n:03d}" for n in range(100))]


def _many_saved(store_path: Path) -> tuple[JsonStore, int]:
    """200 organizations; Acme's 300, organization 5's tasks and the system level changed in
    one save."""
    write_store(store_path, MANY)
    store = JsonStore(store_path)
    base = store.load()
    acme = next(o["id"] for o in base.document["organizations"] if o["name"] == "Acme")
    store.commit(base, [SettingChange(acme, INTERVAL, 300, 600),
                        SettingChange(5, "tasks_enabled", True, False),
                        SettingChange(None, INTERVAL, None, 1200)])
    return store, acme


def test_a_hand_edit_in_the_written_form_is_found_among_many_organizations(
        store_path: Path) -> None:
    store, acme = _many_saved(store_path)
    stamp = _hand_edit(store_path, _to_900, written_form=True)
    outside = [e for e in store.history() if e.user == OUTSIDE]
    assert [(e.organization_id, e.organization_name, e.old, e.new, e.time) for e in outside] \
        == [(acme, "Acme", 600, 900, stamp)]


def test_a_hand_edit_that_undoes_the_last_save_is_found(store_path: Path) -> None:
    """The file put back as it was before the last save (its revision kept): Acme's record is
    the backup's, byte for byte, yet the save had changed it."""
    store, acme = _many_saved(store_path)
    (backup,) = store.backups()
    store_path.write_bytes(backup.path.read_bytes().replace(b'"revision": 0,',
                                                            b'"revision": 1,', 1))
    _later(store_path)
    outside = {(e.organization_id, e.key): (e.old, e.new)
               for e in store.history() if e.user == OUTSIDE}
    assert outside == {(acme, KEY): (600, 300), (5, "oro_crm_pro_outlook.tasks_enabled"):
                       (False, True), (None, KEY): (1200, None)}


def test_a_hand_edit_that_undoes_a_save_of_many_organizations_is_found(
        store_path: Path) -> None:
    write_store(store_path, [{"name": f"Org {n:03d}", "overrides": {"tasks_enabled": True}}
                             for n in range(200)])
    store = JsonStore(store_path)
    many = list(range(50, 150))
    store.commit(store.load(), [SettingChange(o, "tasks_enabled", True, False) for o in many])
    (backup,) = store.backups()
    store_path.write_bytes(backup.path.read_bytes().replace(b'"revision": 0,',
                                                            b'"revision": 1,', 1))
    _later(store_path)
    outside = {e.organization_id: (e.old, e.new) for e in store.history() if e.user == OUTSIDE}
    assert outside == dict.fromkeys(many, (False, True))


def test_an_organization_removed_by_hand_takes_its_values_with_it(store_path: Path) -> None:
    store, acme = _many_saved(store_path)
    document = json.loads(store_path.read_text())
    document["organizations"] = [o for o in document["organizations"] if o["id"] != acme]
    store_path.write_bytes(serialize(document))
    _later(store_path)
    (removed,) = [e for e in store.history() if e.user == OUTSIDE]
    assert (removed.organization_id, removed.organization_name, removed.old, removed.new) == \
        (acme, "Acme", 600, None)


def _interval(revision: int) -> int:
    return 1 + revision % 80_000


def _long_history(store_path: Path, lines: int) -> None:
    """``lines`` saves of Acme's interval, written as the store writes them, then the store at
    that revision: a long history that ends where the store is."""
    write_store(store_path, ["Default Organization",
                             {"name": "Acme", "overrides": {INTERVAL: _interval(lines)}}],
                revision=lines)
    line = {"time": "2026-01-15T09:30:00Z", "user": "alice", "ssh_client": None,
            "scope": "organization", "organization_id": ACME, "organization_name": "Acme",
            "key": KEY}
    with open(store_path.with_name("store.history.jsonl"), "wb") as out:
        out.write(b"".join(orjson.dumps({**line, "revision": n, "old": _interval(n - 1),
                                         "new": _interval(n)}) + b"\n"
                           for n in range(1, lines + 1)))


def test_a_long_history_is_not_read_to_find_a_hand_edit(
        store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = 200_000
    _long_history(store_path, lines)
    store = JsonStore(store_path)
    store.commit(store.load(), [SettingChange(ACME, INTERVAL, _interval(lines), 600)])
    _hand_edit(store_path, _to_900)
    read = _lines_read(monkeypatch)
    newest = store.history(limit=20)[0]
    assert (newest.user, newest.old, newest.new) == (OUTSIDE, 600, 900)
    # The 20 newest, the last one's time, and the one save since the backup: not 200,001.
    assert read[0] < 100
    read[0] = 0
    assert store.history(after_revision=lines)[0] == newest
    assert read[0] < 100


def test_without_a_backup_the_whole_store_says_it_cannot_compare(store_path: Path) -> None:
    """A store copied without its backups folder (or whose backups were deleted): the whole
    store's history says so once, and Acme's own history still finds the edit."""
    store = _saved_600(store_path)
    for backup in store.backups():
        backup.path.unlink()
    stamp = _hand_edit(store_path, _to_900)
    before = every_byte(store_path.parent)
    note = store.history()[0]
    assert (note.event, note.user, note.time, note.revision) == \
        (NOT_COMPARED, OUTSIDE, stamp, 1)
    assert "no backup" in (note.detail or "")
    assert "outlook-tui history ORG" in describe(note).change
    assert [e.event for e in store.history()[1:]] == [None]  # the save, nothing guessed
    acme = store.history(ACME)[0]
    assert (acme.user, acme.old, acme.new) == (OUTSIDE, 600, 900)
    assert every_byte(store_path.parent) == before


def test_a_damaged_newest_backup_is_passed_over_for_an_older_one(store_path: Path) -> None:
    store = _saved_600(store_path)
    store.commit(store.load(), [SettingChange(ACME, INTERVAL, 600, 700)])
    newest_backup = store.backups()[0]
    assert newest_backup.revision == 1
    newest_backup.path.write_bytes(b'{"revision": 1, "organizations": [\x00')
    _hand_edit(store_path, lambda acme: acme["overrides"].update({INTERVAL: 900}))
    before = every_byte(store_path.parent)
    newest = store.history()[0]
    assert (newest.user, newest.old, newest.new) == (OUTSIDE, 700, 900)
    assert every_byte(store_path.parent) == before


@pytest.mark.parametrize(("backup", "said"), [
    (b"\x00\xff not JSON at all", "cannot be read"),
    (b'["a list, not a store"]', "cannot be read"),
    (b'{"revision": 0, "store_id": "another store", "organizations": []}', "another store"),
    (b'{"revision": 0, "organizations": "no", "system": [1]}', "another store"),
    (b'{"revision": 7, "store_id": "0123456789abcdef0123456789abcdef"}', "does not hold"),
], ids=["binary", "list", "another-store", "odd-shapes", "wrong-revision"])
def test_a_damaged_or_foreign_backup_gives_a_note_not_a_crash(
        store_path: Path, backup: bytes, said: str) -> None:
    store = _saved_600(store_path)
    (only,) = store.backups()
    only.path.write_bytes(backup)
    _hand_edit(store_path, _to_900)
    before = every_byte(store_path.parent)
    note, *rest = store.history()
    assert note.event == NOT_COMPARED and said in (note.detail or "")
    assert [e.user == OUTSIDE for e in rest] == [False]
    assert every_byte(store_path.parent) == before


def test_a_restore_since_the_backup_is_not_taken_for_a_hand_edit(store_path: Path) -> None:
    store = _saved_600(store_path)
    store.commit(store.load(), [SettingChange(ACME, INTERVAL, 600, 700)])
    store.restore(1)  # back to 600, as a new revision with one "restore" line
    _hand_edit(store_path, lambda acme: None)  # touched, nothing changed
    entries = store.history()
    assert entries[0].event == NOT_COMPARED and "restore" in (entries[0].detail or "")
    assert all(e.user != OUTSIDE for e in entries[1:])
