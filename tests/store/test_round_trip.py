"""What the store writes reads back identically; a hand-edited file is tidied on the next save."""

from __future__ import annotations

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from outlook_tui.store import JsonStore, NewOrganization, SettingChange
from outlook_tui.store.json.document import serialize
from tests.store.conftest import (
    CRM_INTERVAL,
    add_organizations,
    history_lines,
    set_org,
    write_document,
)


def test_first_use_creates_oros_install_state(store: JsonStore) -> None:
    snapshot = store.load()
    assert snapshot.revision == 0
    assert snapshot.system == {}
    assert [o.name for o in snapshot.organizations()] == ["Default Organization"]
    assert history_lines(store) == []


def test_loading_and_saving_nothing_leaves_every_byte(store: JsonStore) -> None:
    add_organizations(store, "Globex", "acme", "Initech")
    before = store.path.read_bytes()
    snapshot = store.load()
    assert serialize(snapshot.document) == before
    result = store.commit(snapshot, [])
    assert result.applied == [] and result.snapshot.revision == snapshot.revision
    assert store.path.read_bytes() == before


@settings(max_examples=30, deadline=None)
# Names a person can create: no hidden code points (outlook_tui.text.name_problem refuses them).
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=(
                            "Cs", "Cc", "Zs", "Cf", "Co", "Cn", "Zl", "Zp")),
                        min_size=1, max_size=20), min_size=1, max_size=5, unique=True),
       st.integers(1, 86399))
def test_saved_documents_serialize_back_to_the_same_bytes(
    tmp_path_factory, names, interval
) -> None:
    store = JsonStore(tmp_path_factory.mktemp("rt") / "store.json")
    snapshot = store.load()
    names = [n for n in names if n != "Default Organization"]
    snapshot = store.commit(snapshot, [NewOrganization(n) for n in names]).snapshot
    snapshot = store.commit(snapshot, [set_org(snapshot, 1, CRM_INTERVAL, interval)]).snapshot
    on_disk = store.path.read_bytes()
    again = store.load()
    assert serialize(again.document) == on_disk
    assert again.document == snapshot.document


def test_hand_edited_file_out_of_order_is_normalized_on_next_save(store: JsonStore) -> None:
    # An admin rewrote the file by hand: keys shuffled, optional columns left out, organizations
    # not in name order.
    store.path.write_text("""{
  "organizations": [
    {"updated_at": "2026-01-01T00:00:00Z", "name": "Zeta", "id": 2,
     "created_at": "2026-01-01T00:00:00Z"},
    {"overrides": {"tasks_enabled": false, "contacts_sync_direction": "Both"},
     "name": "Alpha", "id": 1, "created_at": "2026-01-01T00:00:00Z",
     "updated_at": "2026-01-01T00:00:00Z", "enabled": false}
  ],
  "revision": 7,
  "system": {"tasks_enabled": false, "contacts_enabled": true},
  "store_id": "hand-made",
  "schema_version": 1
}""")
    snapshot = store.load()
    assert [o.name for o in snapshot.organizations()] == ["Alpha", "Zeta"]
    store.commit(snapshot, [SettingChange(None, CRM_INTERVAL, None, 300)])
    written = orjson.loads(store.path.read_bytes())
    assert list(written) == ["schema_version", "store_id", "revision", "system", "organizations"]
    assert written["revision"] == 8
    assert list(written["system"].items()) == [
        (CRM_INTERVAL, 300), ("contacts_enabled", True), ("tasks_enabled", False)]
    zeta = written["organizations"][1]
    assert zeta == {"id": 2, "name": "Zeta", "description": "", "enabled": True,
                    "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
                    "overrides": {}}
    alpha = written["organizations"][0]
    assert list(alpha) == ["id", "name", "description", "enabled", "created_at", "updated_at",
                           "overrides"]
    # The catalog's order, whatever order the admin typed them in.
    assert list(alpha["overrides"]) == ["contacts_sync_direction", "tasks_enabled"]
    assert store.path.read_bytes() == serialize(store.load().document)


def test_overrides_are_written_in_catalog_order_after_a_change(store: JsonStore) -> None:
    snapshot = store.load()
    snapshot = store.commit(snapshot, [
        SettingChange(1, "tasks_enabled", None, False),
        SettingChange(1, "contacts_sync_direction", None, "Both"),
    ]).snapshot
    record = orjson.loads(store.path.read_bytes())["organizations"][0]
    assert list(record["overrides"]) == ["contacts_sync_direction", "tasks_enabled"]


def test_defaults_are_never_written(store: JsonStore) -> None:
    # Ticking Use System deletes the stored value rather than writing the default.
    snapshot = store.load()
    snapshot = store.commit(snapshot, [SettingChange(None, CRM_INTERVAL, None, 300)]).snapshot
    store.commit(snapshot, [SettingChange(None, CRM_INTERVAL, 300, None)])
    assert orjson.loads(store.path.read_bytes())["system"] == {}


def test_a_hand_written_document_the_store_wrote_is_byte_stable(store: JsonStore) -> None:
    document = store.load().document
    data = write_document(store, document)
    assert serialize(store.load().document) == data


def test_validating_leaves_the_parsed_document_as_the_app_shows_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The app shows the parsed document while a worker validates it: validation must hand back
    a normalized copy, not reorder the rows under the screen's feet."""
    import copy
    import json

    path = tmp_path / "store.json"
    path.write_text(json.dumps({
        "revision": 3, "store_id": "s", "schema_version": 1,
        "organizations": [
            {"name": "Zeta", "id": 1, "created_at": "2026-01-15T09:30:00Z",
             "updated_at": "2026-01-15T09:30:00Z",
             "overrides": {"tasks_enabled": False, "contacts_sync_direction": "Both"}},
            {"id": 2, "name": "Alpha", "created_at": "2026-01-15T09:30:00Z",
             "updated_at": "2026-01-15T09:30:00Z"},
        ],
    }))
    store = JsonStore(path)
    raw = store.read_raw()
    shown = copy.deepcopy(raw.document)
    validated = store.validate(raw)
    assert raw.document == shown
    assert [list(r) for r in raw.document["organizations"]] == \
        [list(r) for r in shown["organizations"]]
    assert [r["name"] for r in validated.records] == ["Alpha", "Zeta"]
    assert list(validated.get(1).overrides) == ["contacts_sync_direction", "tasks_enabled"]  # type: ignore[union-attr]
