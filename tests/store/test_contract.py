"""The store contract: what every backend does, seen only through StoreBackend. Two admins save
changes made on the same revision: different keys merge, the same key changed two ways is a
conflict that names both values, nothing is ever silently overwritten, a refused save changes
nothing, and a read-only store is never written.

Runs once per backend (``store_factory`` in conftest.py)."""

from __future__ import annotations

import pytest

from outlook_tui.catalog import CATALOG, SettingType
from outlook_tui.store import (
    Capability,
    Change,
    ConflictError,
    InputError,
    NewOrganization,
    OrganizationChange,
    ReadOnlyError,
    SettingChange,
    Snapshot,
    StoreBackend,
    StoreError,
)
from outlook_tui.store.factory import open_store
from outlook_tui.store.identity import current_user
from tests.store.conftest import (
    CRM_INTERVAL,
    DIRECTION,
    OUTLOOK_INTERVAL,
    StoreFactory,
    ids,
    require,
    writers_at_once,
)


@pytest.fixture
def two_admins(store_factory: StoreFactory) -> StoreBackend:
    return store_factory(["Acme", "Globex"])


def alice_saves_first(store: StoreBackend, *changes: Change) -> tuple[Snapshot, Snapshot]:
    """Alice and Bob read the same revision; Alice saves ``changes`` first. What each read."""
    alice = store.load()
    bob = store.load()
    store.commit(alice, list(changes))
    return alice, bob


# -- merge and conflicts -------------------------------------------------------------------------


def test_changes_to_different_keys_merge(two_admins: StoreBackend) -> None:
    store = two_admins
    acme = ids(store)["Acme"]
    alice, bob = alice_saves_first(store, SettingChange(acme, CRM_INTERVAL, None, 300))
    result = store.commit(bob, [SettingChange(acme, OUTLOOK_INTERVAL, None, 60)])
    assert result.merged_over == 1
    assert result.snapshot.revision == alice.revision + 2
    assert store.load().get(acme).overrides == {CRM_INTERVAL: 300, OUTLOOK_INTERVAL: 60}  # type: ignore[union-attr]
    me = current_user()
    assert [(e.user, e.revision, e.key, e.new) for e in store.history(acme)][:2] == [
        (me, bob.revision + 2, f"oro_crm_pro_outlook.{OUTLOOK_INTERVAL}", 60),
        (me, alice.revision + 1, f"oro_crm_pro_outlook.{CRM_INTERVAL}", 300),
    ]


def test_changes_to_different_organizations_and_the_system_merge(
        two_admins: StoreBackend) -> None:
    store = two_admins
    org = ids(store)
    _, bob = alice_saves_first(store,
                               SettingChange(org["Acme"], DIRECTION, None, "OroCRMToOutlook"))
    store.commit(bob, [SettingChange(org["Globex"], DIRECTION, None, "OutlookToOroCRM"),
                       SettingChange(None, DIRECTION, None, "OroCRMToOutlook")])
    now = store.load()
    assert now.get(org["Acme"]).overrides == {DIRECTION: "OroCRMToOutlook"}  # type: ignore[union-attr]
    assert now.get(org["Globex"]).overrides == {DIRECTION: "OutlookToOroCRM"}  # type: ignore[union-attr]
    assert now.system == {DIRECTION: "OroCRMToOutlook"}


def test_same_key_changed_two_ways_is_a_conflict_naming_both_values(
        store_factory: StoreFactory, two_admins: StoreBackend) -> None:
    store = two_admins
    acme = ids(store)["Acme"]
    alice, bob = alice_saves_first(store, SettingChange(acme, CRM_INTERVAL, None, 300))
    before = store_factory.picture(store)
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
    assert store_factory.picture(store) == before


def test_clearing_use_system_against_a_changed_value_is_a_conflict(
        two_admins: StoreBackend) -> None:
    store = two_admins
    acme = ids(store)["Acme"]
    start = store.commit(store.load(), [SettingChange(acme, CRM_INTERVAL, None, 300)]).snapshot
    store.commit(start, [SettingChange(acme, CRM_INTERVAL, 300, 400)])
    with pytest.raises(ConflictError, match=r"you set \(Use System\), but someone else saved 400"):
        store.commit(start, [SettingChange(acme, CRM_INTERVAL, 300, None)])


def test_the_same_new_value_by_both_is_not_a_conflict(store_factory: StoreFactory,
                                                      two_admins: StoreBackend) -> None:
    store = two_admins
    acme = ids(store)["Acme"]
    _, bob = alice_saves_first(store, SettingChange(acme, CRM_INTERVAL, None, 300))
    before = store_factory.picture(store)
    result = store.commit(bob, [SettingChange(acme, CRM_INTERVAL, None, 300)])
    assert result.applied == []
    assert store_factory.picture(store) == before  # nothing to write, no empty revision


def test_a_boolean_is_not_confused_with_a_number(two_admins: StoreBackend) -> None:
    # True == 1 in Python; the store must not take one for the other.
    store = two_admins
    acme = ids(store)["Acme"]
    base = store.commit(store.load(), [SettingChange(acme, "tasks_enabled", None, True)]).snapshot
    with pytest.raises(ConflictError):
        store.commit(base, [SettingChange(acme, "tasks_enabled", 1, False)])


def test_one_conflict_blocks_the_whole_batch(store_factory: StoreFactory,
                                             two_admins: StoreBackend) -> None:
    store = two_admins
    org = ids(store)
    _, bob = alice_saves_first(store, SettingChange(org["Acme"], CRM_INTERVAL, None, 300))
    before = store_factory.picture(store)
    batch = [
        SettingChange(org["Globex"], CRM_INTERVAL, None, 900),
        SettingChange(None, OUTLOOK_INTERVAL, None, 45),
        SettingChange(org["Acme"], CRM_INTERVAL, None, 600),  # the conflicting one
    ]
    with pytest.raises(ConflictError) as raised:
        store.commit(bob, batch)
    assert [c.where for c in raised.value.conflicts] == ["Acme"]
    assert store_factory.picture(store) == before
    now = store.load()
    assert now.get(org["Globex"]).overrides == {}  # type: ignore[union-attr]
    assert now.system == {}


# -- bad input changes nothing -------------------------------------------------------------------


def test_an_invalid_value_in_a_batch_saves_nothing(store_factory: StoreFactory,
                                                   two_admins: StoreBackend) -> None:
    store = two_admins
    before = store_factory.picture(store)
    base = store.load()
    with pytest.raises(StoreError, match="86399"):
        store.commit(base, [SettingChange(None, OUTLOOK_INTERVAL, None, 45),
                            SettingChange(None, CRM_INTERVAL, None, 86400)])
    with pytest.raises(InputError, match="unknown setting 'colour'"):
        store.commit(base, [SettingChange(None, OUTLOOK_INTERVAL, None, 45),
                            SettingChange(None, "colour", None, "blue")])
    with pytest.raises(InputError, match="no organization with id 99"):
        store.commit(base, [SettingChange(99, OUTLOOK_INTERVAL, None, 45)])
    with pytest.raises(StoreError):
        store.commit(base, [SettingChange(None, DIRECTION, None, "Sideways")])
    with pytest.raises(StoreError):
        store.commit(base, [SettingChange(None, "tasks_enabled", None, 1)])  # not a boolean
    assert store_factory.picture(store) == before


# -- round trip ------------------------------------------------------------------------------


def _sample(setting_type: SettingType, choices: tuple[str, ...], minimum: int | None,
            maximum: int | None) -> list[object]:
    if setting_type is SettingType.BOOLEAN:
        return [False, True]
    if setting_type is SettingType.CHOICE:
        return list(choices)
    assert minimum is not None and maximum is not None
    return [minimum, maximum]


@pytest.mark.parametrize("setting", CATALOG, ids=lambda s: s.name)
def test_every_value_of_every_setting_reads_back_as_saved(store_factory: StoreFactory,
                                                          setting) -> None:  # type: ignore[no-untyped-def]
    store = store_factory(["Acme"])
    acme = ids(store)["Acme"]
    values = _sample(setting.type, tuple(c.value for c in setting.choices),
                     setting.minimum, setting.maximum)
    for value in values:
        snapshot = store.load()
        store.commit(snapshot, [
            SettingChange(None, setting.name, snapshot.system.get(setting.name), value),
            SettingChange(acme, setting.name,
                          snapshot.get(acme).overrides.get(setting.name), value)])  # type: ignore[union-attr]
        fresh = store_factory.again(store).load()
        for stored in (fresh.system[setting.name], fresh.get(acme).overrides[setting.name]):  # type: ignore[union-attr]
            assert stored == value and type(stored) is type(value)
    snapshot = store.load()
    store.commit(snapshot, [SettingChange(None, setting.name, values[-1], None),
                            SettingChange(acme, setting.name, values[-1], None)])
    fresh = store_factory.again(store).load()
    assert setting.name not in fresh.system
    assert setting.name not in fresh.get(acme).overrides  # type: ignore[union-attr]


def test_saving_nothing_or_what_is_stored_changes_nothing(store_factory: StoreFactory) -> None:
    store = store_factory(["Acme"], system={CRM_INTERVAL: 300})
    before = store_factory.picture(store)
    snapshot = store.load()
    result = store.commit(snapshot, [])
    assert result.applied == [] and result.snapshot.revision == snapshot.revision
    result = store.commit(snapshot, [SettingChange(None, CRM_INTERVAL, 300, 300),
                                     SettingChange(ids(store)["Acme"], CRM_INTERVAL, None, None)])
    assert result.applied == []
    assert store_factory.picture(store) == before
    assert store.load().revision == snapshot.revision


def test_a_batch_is_one_revision_with_one_history_entry_per_change(
        two_admins: StoreBackend) -> None:
    store = two_admins
    org = ids(store)
    base = store.load()
    result = store.commit(base, [SettingChange(org["Acme"], CRM_INTERVAL, None, 300),
                                 SettingChange(None, OUTLOOK_INTERVAL, None, 45)])
    added = store.history(after_revision=base.revision)
    assert {e.revision for e in added} == {result.snapshot.revision}
    assert sorted((e.scope, e.organization_name, e.old, e.new) for e in added) == sorted([
        ("organization", "Acme", None, 300), ("system", None, None, 45)])


def test_history_is_newest_first_and_filters_by_scope_limit_and_revision(
        store_factory: StoreFactory) -> None:
    store = store_factory(["Acme"])
    acme = ids(store)["Acme"]
    start = store.load().revision
    for value in (False, True, False):
        snapshot = store.load()
        store.commit(snapshot, [SettingChange(acme, "tasks_enabled",
                                              snapshot.get(acme).overrides.get("tasks_enabled"),  # type: ignore[union-attr]
                                              value)])
        snapshot = store.load()
        store.commit(snapshot, [SettingChange(None, "contacts_enabled",
                                              snapshot.system.get("contacts_enabled"), value)])
    revisions = [start + n for n in range(6, 0, -1)]
    assert [e.revision for e in store.history(after_revision=start)] == revisions
    assert [e.revision for e in store.history(limit=2)] == revisions[:2]
    assert [e.revision for e in store.history(acme, after_revision=start)] == revisions[1::2]
    assert [e.revision for e in store.history(system=True, after_revision=start)
            if e.event is None] == revisions[0::2]


# -- noticing others, read-only, capabilities ----------------------------------------------------


def test_a_save_by_another_process_is_noticed(store_factory: StoreFactory) -> None:
    store = store_factory(["Acme"])
    mine = store.load()
    assert not store.changed_since(mine)
    token = store.change_token()
    other = store_factory.again(store)
    other.commit(other.load(), [SettingChange(None, CRM_INTERVAL, None, 300)])
    assert store.changed_since(mine)
    assert store.change_token() != token
    assert not store.changed_since(store.load())


def test_opened_read_only_it_refuses_every_write_and_says_why(
        store_factory: StoreFactory) -> None:
    store = store_factory(["Acme"], system={CRM_INTERVAL: 300})
    before = store_factory.picture(store)
    reader = store_factory.again(store, read_only=True)
    assert reader.read_only and reader.read_only_reason
    snapshot = reader.load()
    assert snapshot.system == {CRM_INTERVAL: 300}
    with pytest.raises(ReadOnlyError, match="nothing was saved"):
        reader.commit(snapshot, [SettingChange(None, CRM_INTERVAL, 300, 600)])
    assert store_factory.picture(store) == before
    assert not store.read_only


def test_each_missing_part_has_a_reason(store_factory: StoreFactory) -> None:
    store = store_factory()
    for capability in Capability:
        if not store.supports(capability):
            assert store.unsupported_reason(capability).strip()


def test_the_first_paint_shows_the_first_organizations_in_name_order(
        store_factory: StoreFactory) -> None:
    store = store_factory(["Umbrella", "acme", "Globex", "Initech"])
    preview = store.peek(2)
    if preview is None:
        return  # a backend may not be able to peek cheaply: the app then waits for load()
    names = [o.name for o in store.load().organizations()]
    assert [o.name for o in preview.organizations()] == names[:2]


# -- organization editing (an optional part) ----------------------------------------------------


@pytest.mark.parametrize(("column", "mine", "theirs"), [
    ("name", "Acme Europe", "Acme Corp"),
    ("enabled", False, False),
    ("description", "EU branch", "US branch"),
])
def test_organization_columns_conflict_or_agree(store_factory: StoreFactory,
                                                two_admins: StoreBackend, column: str,
                                                mine: object, theirs: object) -> None:
    store = two_admins
    require(store, Capability.ORGANIZATION_EDITING)
    acme = ids(store)["Acme"]
    alice = store.load()
    old = {"name": "Acme", "enabled": True, "description": ""}[column]
    store.commit(alice, [OrganizationChange(acme, column, old, theirs)])  # type: ignore[arg-type]
    before = store_factory.picture(store)
    change = OrganizationChange(acme, column, old, mine)  # type: ignore[arg-type]
    if mine == theirs:
        assert store.commit(alice, [change]).applied == []
    else:
        with pytest.raises(ConflictError) as raised:
            store.commit(alice, [change])
        assert f"{column.capitalize()}: you set {mine!r}, but someone else saved {theirs!r}" \
            in str(raised.value)
    assert store_factory.picture(store) == before


def test_a_description_longer_than_outlook_tui_writes_is_refused_naming_the_organization(
        store_factory: StoreFactory, two_admins: StoreBackend) -> None:
    from outlook_tui.store.changes import DESCRIPTION_MAX_LENGTH

    store = two_admins
    require(store, Capability.ORGANIZATION_EDITING)
    base = store.load()
    before = store_factory.picture(store)
    too_long = "x" * (DESCRIPTION_MAX_LENGTH + 1)
    with pytest.raises(InputError, match="description of 'Acme': 10,001 characters") as raised:
        store.commit(base, [OrganizationChange(ids(store)["Acme"], "description", "", too_long)])
    assert raised.value.field == "description"
    with pytest.raises(InputError, match="description of 'Initech'"):
        store.commit(base, [NewOrganization("Initech", description=too_long)])
    assert store_factory.picture(store) == before
    # At the limit, it is written whole.
    whole = "y" * DESCRIPTION_MAX_LENGTH
    store.commit(base, [NewOrganization("Initech", description=whole)])
    initech = store.load().by_name("Initech")
    assert initech is not None and initech.description == whole


def test_renaming_to_a_taken_name_is_refused(two_admins: StoreBackend) -> None:
    store = two_admins
    require(store, Capability.ORGANIZATION_EDITING)
    base = store.load()
    with pytest.raises(InputError, match="'Globex' already exists"):
        store.commit(base, [OrganizationChange(ids(store)["Acme"], "name", "Acme", "Globex")])


def test_a_new_organization_with_a_taken_name_is_refused(store_factory: StoreFactory,
                                                         two_admins: StoreBackend) -> None:
    store = two_admins
    require(store, Capability.ORGANIZATION_EDITING)
    before = store_factory.picture(store)
    with pytest.raises(InputError, match="an organization named 'Acme' already exists"):
        store.commit(store.load(), [NewOrganization("ACME")])
    assert store_factory.picture(store) == before
    # Two admins adding the same name at once: the second is refused.
    _, bob = alice_saves_first(store, NewOrganization("Initech"))
    before = store_factory.picture(store)
    with pytest.raises(InputError, match="'Initech' already exists"):
        store.commit(bob, [NewOrganization("Initech")])
    assert store_factory.picture(store) == before


def test_new_organizations_by_two_admins_get_distinct_ids(two_admins: StoreBackend) -> None:
    store = two_admins
    require(store, Capability.ORGANIZATION_EDITING)
    _, bob = alice_saves_first(store, NewOrganization("Initech"))
    store.commit(bob, [NewOrganization("Umbrella")])
    found = ids(store)
    assert len(set(found.values())) == len(found) == 5


# -- several admins at once ----------------------------------------------------------------------

WRITERS = 4
SAVES = 30


def _writer(location: str, org_id: int, start, results) -> None:  # type: ignore[no-untyped-def]
    """Counts its own organization up to SAVES and, each time, sets the contested system key
    to its own id; a conflict there is met with a fresh read and another try."""
    store = open_store(location, read_only=False)
    start.wait()
    committed = conflicts = 0
    for n in range(1, SAVES + 1):
        while True:
            snapshot = store.load()
            try:
                result = store.commit(snapshot, [
                    SettingChange(org_id, CRM_INTERVAL,
                                  snapshot.get(org_id).overrides.get(CRM_INTERVAL), n),
                    SettingChange(None, OUTLOOK_INTERVAL,
                                  snapshot.system.get(OUTLOOK_INTERVAL), org_id)])
            except ConflictError:
                conflicts += 1
                continue
            committed += len(result.applied)
            break
    store.close()
    results.put((org_id, committed, conflicts))


def test_four_admins_saving_at_once_lose_nothing(store_factory: StoreFactory,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Each writer waits for the lock as long as the others need: the JSON file's lock goes to
    # whichever writer asks first after it is let go, and a waiter asks every 20 ms, so a busy
    # machine can keep one waiting longer than the default 5 s (up to 0.85 s measured beside
    # two CPU burners). Losing nothing is the story here, not the bound.
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "300")
    store = store_factory([f"Org {i}" for i in range(WRITERS)])
    org_ids = [o.id for o in store.load().organizations() if o.name.startswith("Org ")]
    first = store.load()
    initial = first.revision
    outcomes = writers_at_once(_writer, [(store.location, org_id) for org_id in org_ids],
                               timeout=300)
    final = store_factory.again(store).load()
    for org_id in org_ids:  # every admin's last value is there
        assert final.get(org_id).overrides[CRM_INTERVAL] == SAVES  # type: ignore[union-attr]
    assert final.system[OUTLOOK_INTERVAL] in org_ids
    # One revision per save, and one history entry per change, none lost or doubled.
    assert final.revision == initial + WRITERS * SAVES
    entries = store.history(after_revision=initial)
    assert len(entries) == sum(committed for _, committed, _ in outcomes)
    assert sorted({e.revision for e in entries}) == list(range(initial + 1, final.revision + 1))
    # The history replays, change by change, from the first snapshot to the last.
    values: dict[int | None, dict[str, object]] = {None: dict(first.system)}
    values.update({o.id: dict(o.overrides) for o in first.organizations()})
    for entry in sorted(entries, key=lambda e: e.revision):
        assert entry.key is not None
        name = entry.key.rsplit(".", 1)[-1]
        scope = values[None if entry.scope == "system" else entry.organization_id]
        assert scope.get(name) == entry.old, entry  # each entry starts where the last ended
        scope[name] = entry.new
    assert values[None] == dict(final.system)
    for org_id in org_ids:
        assert values[org_id] == dict(final.get(org_id).overrides)  # type: ignore[union-attr]
