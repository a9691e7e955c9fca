"""The last five versions are kept; restoring one makes it a new revision, sets a damaged store
aside, and the history says so."""

from __future__ import annotations

import orjson
import pytest

from outlook_tui.store import JsonStore, StoreFormatError
from tests.store.conftest import CRM_INTERVAL, files_of, history_lines, set_system


def saved_values(store: JsonStore, values: list[int]) -> None:
    snapshot = store.load()
    for value in values:
        snapshot = store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, value)]).snapshot


def test_only_the_last_five_versions_are_kept(store: JsonStore) -> None:
    saved_values(store, [201, 202, 203, 204, 205, 206, 207, 208])
    backups = store.backups()
    assert [b.number for b in backups] == [1, 2, 3, 4, 5]
    assert [b.revision for b in backups] == [7, 6, 5, 4, 3]
    assert [store.load_backup(b).system.get(CRM_INTERVAL) for b in backups] == [
        207, 206, 205, 204, 203]
    assert len(list(store.backups_path.iterdir())) == 5


def test_restore_is_a_new_revision_and_is_recorded(store: JsonStore) -> None:
    saved_values(store, [201, 202, 203])
    before = store.load()
    restored = store.restore(2)  # revision 1: 201
    assert restored.system == {CRM_INTERVAL: 201}
    assert restored.revision == before.revision + 1
    assert store.load().document == restored.document
    entry = store.history()[0]
    assert (entry.event, entry.revision) == ("restore", restored.revision)
    assert "revision 1" in (entry.detail or "")
    # The version it replaced became a backup: the restore can itself be undone.
    assert store.load_backup(store.backups()[0]).system == {CRM_INTERVAL: 203}
    # And the next save follows on.
    saved_values(store, [209])
    assert store.load().revision == restored.revision + 1


def test_a_damaged_store_is_set_aside_and_the_newest_sound_backup_restored(
        store: JsonStore) -> None:
    saved_values(store, [201, 202, 203])
    revision = store.load().revision
    garbage = b'{"schema_version": 1, "revision": 3, "store_id": "x", "organizations": [\x00'
    store.path.write_bytes(garbage)
    found = store.newest_valid_backup()
    assert found is not None
    backup, snapshot = found
    assert (backup.number, snapshot.system) == (1, {CRM_INTERVAL: 202})
    restored = store.restore(backup.number)
    assert restored.revision == revision + 1  # never goes back, even from a damaged file
    aside = list(store.path.parent.glob("store.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    assert aside[0].name.endswith("Z") and len(aside[0].name) == len("store.json.corrupt-") + 16
    assert aside[0].name in (store.history()[0].detail or "")
    assert store.load().system == {CRM_INTERVAL: 202}


def test_newest_valid_backup_skips_damaged_ones(store: JsonStore) -> None:
    saved_values(store, [201, 202, 203, 204])
    newest, second = store.backups()[:2]
    newest.path.write_bytes(b"{ not json")
    second_doc = orjson.loads(second.path.read_bytes())
    second_doc["system"][CRM_INTERVAL] = 0
    second.path.write_bytes(orjson.dumps(second_doc))
    found = store.newest_valid_backup()
    assert found is not None
    assert (found[0].number, found[1].system) == (3, {CRM_INTERVAL: 201})


def test_backups_are_not_touched_by_a_refused_save(store: JsonStore) -> None:
    saved_values(store, [201, 202])
    store.path.write_bytes(b"garbage")
    before = files_of(store)
    snapshot = store.load_backup(store.backups()[0])
    with pytest.raises(StoreFormatError):
        store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, 5)])
    assert files_of(store) == before


def test_restore_history_keeps_revisions_increasing(store: JsonStore) -> None:
    saved_values(store, [201, 202, 203])
    store.restore(3)
    store.restore(1)
    saved_values(store, [210])
    revisions = [line["revision"] for line in history_lines(store)]
    assert revisions == sorted(revisions) and len(set(revisions)) == len(revisions)
