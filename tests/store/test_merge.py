"""Two admins save changes made on the same revision: different keys merge, the same key changed
two ways is a conflict that names both values, and nothing is ever silently overwritten."""

from __future__ import annotations

import pytest

from outlook_tui.store import (
    ConflictError,
    InputError,
    JsonStore,
    NewOrganization,
    OrganizationChange,
    SettingChange,
)
from outlook_tui.store.identity import current_user

from .support import (
    CRM_INTERVAL,
    DIRECTION,
    OUTLOOK_INTERVAL,
    add_organizations,
    files_of,
    history_lines,
)


@pytest.fixture
def two_admins(store: JsonStore) -> JsonStore:
    add_organizations(store, "Acme", "Globex")
    return store


def ids(store: JsonStore) -> dict[str, int]:
    return {o.name: o.id for o in store.load().organizations()}


def test_changes_to_different_keys_merge(two_admins: JsonStore) -> None:
    store = two_admins
    acme = ids(store)["Acme"]
    alice = store.load()
    bob = store.load()
    store.commit(alice, [SettingChange(acme, CRM_INTERVAL, None, 300)])
    result = store.commit(bob, [SettingChange(acme, OUTLOOK_INTERVAL, None, 60)])
    assert result.merged_over == 1
    assert result.snapshot.revision == alice.revision + 2
    assert store.load().get(acme).overrides == {CRM_INTERVAL: 300, OUTLOOK_INTERVAL: 60}
    me = current_user()
    assert [(e.user, e.revision, e.key, e.new) for e in store.history(acme)][:2] == [
        (me, bob.revision + 2, f"oro_crm_pro_outlook.{OUTLOOK_INTERVAL}", 60),
        (me, alice.revision + 1, f"oro_crm_pro_outlook.{CRM_INTERVAL}", 300),
    ]


def test_changes_to_different_organizations_and_the_system_merge(two_admins: JsonStore) -> None:
    store = two_admins
    org = ids(store)
    alice = store.load()
    bob = store.load()
    store.commit(alice, [SettingChange(org["Acme"], DIRECTION, None, "OroCRMToOutlook")])
    store.commit(bob, [SettingChange(org["Globex"], DIRECTION, None, "OutlookToOroCRM"),
                       SettingChange(None, DIRECTION, None, "OroCRMToOutlook")])
    now = store.load()
    assert now.get(org["Acme"]).overrides == {DIRECTION: "OroCRMToOutlook"}
    assert now.get(org["Globex"]).overrides == {DIRECTION: "OutlookToOroCRM"}
    assert now.system == {DIRECTION: "OroCRMToOutlook"}


def test_same_key_changed_two_ways_is_a_conflict_naming_both_values(
        two_admins: JsonStore) -> None:
    store = two_admins
    acme = ids(store)["Acme"]
    alice = store.load()
    bob = store.load()
    store.commit(alice, [SettingChange(acme, CRM_INTERVAL, None, 300)])
    before = files_of(store)
    with pytest.raises(ConflictError) as raised:
        store.commit(bob, [SettingChange(acme, CRM_INTERVAL, None, 600)])
    message = str(raised.value)
    assert "Acme: CRM Sync Interval (In Seconds): you set 600, but someone else saved 300 " \
        "(it was (Use System) when you started)" in message
    assert "nothing was saved" in message
    [conflict] = raised.value.conflicts
    assert (conflict.key, conflict.base, conflict.mine, conflict.theirs) == (
        CRM_INTERVAL, None, 600, 300)
    assert raised.value.revision == alice.revision + 1
    assert files_of(store) == before


def test_clearing_use_system_against_a_changed_value_is_a_conflict(two_admins: JsonStore) -> None:
    store = two_admins
    acme = ids(store)["Acme"]
    start = store.commit(store.load(), [SettingChange(acme, CRM_INTERVAL, None, 300)]).snapshot
    store.commit(start, [SettingChange(acme, CRM_INTERVAL, 300, 400)])
    with pytest.raises(ConflictError, match=r"you set \(Use System\), but someone else saved 400"):
        store.commit(start, [SettingChange(acme, CRM_INTERVAL, 300, None)])


def test_the_same_new_value_by_both_is_not_a_conflict(two_admins: JsonStore) -> None:
    store = two_admins
    acme = ids(store)["Acme"]
    alice = store.load()
    bob = store.load()
    store.commit(alice, [SettingChange(acme, CRM_INTERVAL, None, 300)])
    before = files_of(store)
    result = store.commit(bob, [SettingChange(acme, CRM_INTERVAL, None, 300)])
    assert result.applied == []
    assert files_of(store) == before  # nothing to write, no empty revision


def test_a_boolean_is_not_confused_with_a_number(two_admins: JsonStore) -> None:
    # True == 1 in Python; the store must not take one for the other.
    store = two_admins
    acme = ids(store)["Acme"]
    base = store.commit(store.load(), [SettingChange(acme, "tasks_enabled", None, True)]).snapshot
    with pytest.raises(ConflictError):
        store.commit(base, [SettingChange(acme, "tasks_enabled", 1, False)])


@pytest.mark.parametrize(("column", "mine", "theirs"), [
    ("name", "Acme Europe", "Acme Corp"),
    ("enabled", False, False),
    ("description", "EU branch", "US branch"),
])
def test_organization_columns_conflict_or_agree(two_admins: JsonStore, column: str,
                                                mine: object, theirs: object) -> None:
    store = two_admins
    acme = ids(store)["Acme"]
    alice = store.load()
    old = {"name": "Acme", "enabled": True, "description": ""}[column]
    store.commit(alice, [OrganizationChange(acme, column, old, theirs)])  # type: ignore[arg-type]
    before = files_of(store)
    change = OrganizationChange(acme, column, old, mine)  # type: ignore[arg-type]
    if mine == theirs:
        assert store.commit(alice, [change]).applied == []
    else:
        with pytest.raises(ConflictError) as raised:
            store.commit(alice, [change])
        assert f"{column.capitalize()}: you set {mine!r}, but someone else saved {theirs!r}" \
            in str(raised.value)
    assert files_of(store) == before


def test_renaming_to_a_taken_name_is_refused(two_admins: JsonStore) -> None:
    store = two_admins
    base = store.load()
    with pytest.raises(InputError, match="'Globex' already exists"):
        store.commit(base, [OrganizationChange(ids(store)["Acme"], "name", "Acme", "Globex")])


def test_a_new_organization_with_a_taken_name_is_refused(two_admins: JsonStore) -> None:
    store = two_admins
    before = files_of(store)
    with pytest.raises(InputError, match="an organization named 'Acme' already exists"):
        store.commit(store.load(), [NewOrganization("Acme")])
    # Two admins adding the same name at once: the second is refused.
    alice = store.load()
    bob = store.load()
    store.commit(alice, [NewOrganization("Initech")])
    before = files_of(store)
    with pytest.raises(InputError, match="'Initech' already exists"):
        store.commit(bob, [NewOrganization("Initech")])
    assert files_of(store) == before


def test_new_organizations_by_two_admins_get_distinct_ids(two_admins: JsonStore) -> None:
    store = two_admins
    alice = store.load()
    bob = store.load()
    store.commit(alice, [NewOrganization("Initech")])
    store.commit(bob, [NewOrganization("Umbrella")])
    found = ids(store)
    assert found["Initech"] != found["Umbrella"]
    assert sorted(found.values()) == list(range(1, 6))


def test_one_conflict_blocks_the_whole_batch(two_admins: JsonStore) -> None:
    store = two_admins
    org = ids(store)
    alice = store.load()
    bob = store.load()
    store.commit(alice, [SettingChange(org["Acme"], CRM_INTERVAL, None, 300)])
    before = files_of(store)
    batch = [
        SettingChange(org["Globex"], CRM_INTERVAL, None, 900),
        SettingChange(None, OUTLOOK_INTERVAL, None, 45),
        SettingChange(org["Acme"], CRM_INTERVAL, None, 600),  # the conflicting one
        NewOrganization("Initech"),
    ]
    with pytest.raises(ConflictError) as raised:
        store.commit(bob, batch)
    assert [c.where for c in raised.value.conflicts] == ["Acme"]
    assert files_of(store) == before
    now = store.load()
    assert now.get(org["Globex"]).overrides == {}
    assert now.system == {}
    assert now.by_name("Initech") is None


def test_an_invalid_value_in_a_batch_saves_nothing(two_admins: JsonStore) -> None:
    store = two_admins
    before = files_of(store)
    base = store.load()
    with pytest.raises(Exception, match="86399"):
        store.commit(base, [SettingChange(None, OUTLOOK_INTERVAL, None, 45),
                            SettingChange(None, CRM_INTERVAL, None, 86400)])
    with pytest.raises(InputError, match="unknown setting 'colour'"):
        store.commit(base, [SettingChange(None, OUTLOOK_INTERVAL, None, 45),
                            SettingChange(None, "colour", None, "blue")])
    with pytest.raises(InputError, match="no organization with id 99"):
        store.commit(base, [SettingChange(99, OUTLOOK_INTERVAL, None, 45)])
    assert files_of(store) == before


def test_a_batch_is_one_revision_with_one_history_line_per_change(two_admins: JsonStore) -> None:
    store = two_admins
    org = ids(store)
    base = store.load()
    lines_before = len(history_lines(store))
    result = store.commit(base, [SettingChange(org["Acme"], CRM_INTERVAL, None, 300),
                                 SettingChange(None, OUTLOOK_INTERVAL, None, 45)])
    added = history_lines(store)[lines_before:]
    assert [line["revision"] for line in added] == [result.snapshot.revision] * 2
    assert [(line["scope"], line["organization_name"], line["old"], line["new"])
            for line in added] == [("organization", "Acme", None, 300),
                                   ("system", None, None, 45)]
