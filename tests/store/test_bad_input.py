"""A damaged or untrustworthy store is refused, left byte for byte as found, and the message
says where the problem is."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from outlook_tui.store import (
    JsonStore,
    NewerSchemaError,
    ReadOnlyError,
    Snapshot,
    StoreError,
    StoreFormatError,
    UnsafeStoreError,
)
from tests.store.conftest import CRM_INTERVAL, add_organizations, files_of, set_system


@pytest.fixture
def base(store: JsonStore) -> Snapshot:
    """Three organizations and some history: what an admin had open before the file went bad."""
    add_organizations(store, "Acme", "Globex", "Initech")
    snapshot = store.load()
    return store.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, 300)]).snapshot


def damaged(store: JsonStore, data: bytes) -> None:
    store.path.write_bytes(data)


def document_of(store: JsonStore) -> dict:
    return orjson.loads(store.path.read_bytes())


def set_in_file(store: JsonStore, where: tuple, value: object) -> None:
    """The store's file with ``value`` at ``where`` (keys and list indexes), as a hand edit
    leaves it."""
    document = document_of(store)
    target = document
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    damaged(store, orjson.dumps(document))


def refuses(store: JsonStore, base: Snapshot, error: type[StoreError] = StoreFormatError) -> str:
    """Opening and saving both fail with ``error``; nothing on disk changes. The message."""
    before = files_of(store)
    with pytest.raises(error) as on_load:
        store.load()
    with pytest.raises(error) as on_commit:
        store.commit(base, [set_system(base, CRM_INTERVAL, 600)])
    with pytest.raises(error):
        JsonStore(store.path).load()  # a fresh process opening it says the same
    assert files_of(store) == before
    assert str(on_load.value) == str(on_commit.value)
    return str(on_load.value)


def test_invalid_json_names_line_and_column(store: JsonStore, base: Snapshot) -> None:
    damaged(store, b'{\n  "schema_version": 1,\n  "revision": 3,,\n}\n')
    message = refuses(store, base)
    assert f"{store.path}:3:" in message
    assert "line 3, column 17: invalid JSON" in message


def test_value_out_of_range_names_organization_and_key(store: JsonStore, base: Snapshot) -> None:
    document = document_of(store)
    assert [o["name"] for o in document["organizations"]][2] == "Globex"
    document["organizations"][2]["overrides"][CRM_INTERVAL] = 90000
    damaged(store, orjson.dumps(document))
    message = refuses(store, base)
    assert ("organizations[2].overrides.contacts_sync_interval_orocrm: must be <= 86399, "
            "got 90000") in message


def test_every_problem_is_listed(store: JsonStore, base: Snapshot) -> None:
    document = document_of(store)
    document["system"]["contacts_sync_direction"] = "Sideways"
    document["organizations"][0]["enabled"] = "yes"
    damaged(store, orjson.dumps(document))
    message = refuses(store, base)
    assert "system.contacts_sync_direction: must be " in message and "'Sideways'" in message
    assert "organizations[0].enabled: must be true or false, got 'yes'" in message


@pytest.mark.parametrize(("where", "expected"), [
    (("organizations", 1, "colour"), "organizations[1].colour: unknown key"),
    (("system", "contacts_sync_intervall"), "system.contacts_sync_intervall: unknown key"),
    (("comment",), "comment: unknown key"),
])
def test_an_unknown_key_is_refused_by_name(store: JsonStore, base: Snapshot, where: tuple,
                                           expected: str) -> None:
    set_in_file(store, where, "blue")
    assert expected in refuses(store, base)


@pytest.mark.parametrize(("where", "expected"), [
    (("system", "contacts_enabled"), "system.contacts_enabled: must be true or false, got None"),
    (("organizations", 0, "overrides", CRM_INTERVAL),
     "organizations[0].overrides.contacts_sync_interval_orocrm: must be a whole number, got None"),
    (("organizations", 0, "description"), "organizations[0].description:"),
    (("revision",), "revision: must be a whole number, got None"),
])
def test_null_is_not_use_system(store: JsonStore, base: Snapshot, where: tuple,
                                expected: str) -> None:
    # Use System is a missing key; null would read as "stored, but what?".
    set_in_file(store, where, None)
    assert expected in refuses(store, base)


def test_duplicate_names_and_ids_are_refused(store: JsonStore, base: Snapshot) -> None:
    document = document_of(store)
    records = document["organizations"]
    records[2]["name"] = records[1]["name"]
    records[3]["id"] = records[0]["id"]
    damaged(store, orjson.dumps(document))
    message = refuses(store, base)
    assert "organizations[2].name: 'Default Organization' is already used by organizations[1]" \
        in message
    assert f"organizations[3].id: {records[0]['id']} is already used by organizations[0]" \
        in message


def test_an_empty_file_is_refused_not_recreated(store: JsonStore, base: Snapshot) -> None:
    damaged(store, b"")
    assert "the file is empty" in refuses(store, base)
    damaged(store, b"  \n")
    assert "the file is empty" in refuses(store, base)


def test_a_json_list_is_not_a_store(store: JsonStore, base: Snapshot) -> None:
    damaged(store, b"[]")
    assert "must be a JSON object" in refuses(store, base)


def test_a_newer_schema_opens_read_only_and_says_so(store: JsonStore, base: Snapshot) -> None:
    document = document_of(store)
    document["schema_version"] = 2
    damaged(store, orjson.dumps(document))
    before = files_of(store)
    later = JsonStore(store.path)
    snapshot = later.load()
    assert [o.name for o in snapshot.organizations()] == [
        "Acme", "Default Organization", "Globex", "Initech"]
    assert later.read_only
    assert "newer outlook-tui (schema 2; this build reads 1)" in (later.read_only_reason or "")
    with pytest.raises(ReadOnlyError, match="newer outlook-tui") as raised:
        later.commit(snapshot, [set_system(snapshot, CRM_INTERVAL, 600)])
    assert "nothing was saved" in str(raised.value)
    # The writer that had the store open before the upgrade finds out at its next save.
    with pytest.raises(ReadOnlyError, match="upgrade"):
        store.commit(base, [set_system(base, CRM_INTERVAL, 600)])
    assert files_of(store) == before


def test_a_newer_schema_with_new_keys_says_upgrade(store: JsonStore, base: Snapshot) -> None:
    document = document_of(store)
    document["schema_version"] = 2
    document["labels"] = ["new in v2"]
    damaged(store, orjson.dumps(document))
    message = refuses(store, base, NewerSchemaError)
    assert "upgrade outlook-tui" in message


def test_a_symlinked_store_is_refused(store: JsonStore, tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(store.path)
    with pytest.raises(UnsafeStoreError, match="symbolic link") as raised:
        JsonStore(link)
    assert f"--store {store.path}" in str(raised.value)


def test_a_store_swapped_for_a_symlink_after_opening_is_refused(
        store: JsonStore, base: Snapshot, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(store.path.read_bytes())
    store.path.unlink()
    store.path.symlink_to(elsewhere)
    before = files_of(store), elsewhere.read_bytes()
    with pytest.raises(UnsafeStoreError):
        store.load()
    with pytest.raises(UnsafeStoreError):
        store.commit(base, [set_system(base, CRM_INTERVAL, 600)])
    assert store.path.is_symlink()
    assert (files_of(store), elsewhere.read_bytes()) == before


def test_a_world_writable_store_is_refused(store: JsonStore) -> None:
    os.chmod(store.path, 0o666)
    before = files_of(store)
    with pytest.raises(UnsafeStoreError, match=f"chmod o-w {store.path}"):
        JsonStore(store.path)
    assert files_of(store) == before


def test_a_store_owned_by_a_stranger_is_refused(store: JsonStore,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Seen as user 1000 (groups 1000, 27), the file is owned by 2000:2000.
    really_root = os.getuid() == 0
    if really_root:
        os.chown(store.path, 2000, 2000)
    else:
        real_lstat = os.lstat

        def lstat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            st = list(real_lstat(path, *args, **kwargs))
            if Path(path) == store.path:
                st[4], st[5] = 2000, 2000
            return os.stat_result(st)

        monkeypatch.setattr(os, "lstat", lstat)
    monkeypatch.setattr(os, "getuid", lambda: 1000)
    monkeypatch.setattr(os, "getgid", lambda: 1000)
    monkeypatch.setattr(os, "getgroups", lambda: [1000, 27])
    with pytest.raises(UnsafeStoreError, match="shares no group with you"):
        JsonStore(store.path)
    # Sharing the file's group makes it a colleague's store, which is the point of sharing.
    monkeypatch.setattr(os, "getgroups", lambda: [1000, 2000])
    JsonStore(store.path)
    if really_root:  # and a file owned by root is trusted
        monkeypatch.setattr(os, "getgroups", lambda: [1000])
        os.chown(store.path, 0, 0)
        JsonStore(store.path)
