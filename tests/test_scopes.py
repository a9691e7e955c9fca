"""Values resolve organization -> system -> default, as Oro's ConfigManager does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from outlook_tui.catalog import BY_NAME, CATALOG, Scope
from outlook_tui.scopes import conflict_resolution_note, effective, system_effective

CRM = "contacts_sync_interval_orocrm"


def test_nothing_stored_every_value_is_the_code_default() -> None:
    values = effective({}, {})
    for setting in CATALOG:
        ev = values[setting.name]
        assert (ev.value, ev.source) == (setting.default, Scope.DEFAULT)
        assert not ev.overridden and not ev.stale_override


def test_system_value_is_inherited_by_an_organization_with_use_system_ticked() -> None:
    ev = effective({}, {CRM: 300})[CRM]
    assert (ev.value, ev.source) == (300, Scope.SYSTEM)
    assert (ev.inherited, ev.inherited_source) == (300, Scope.SYSTEM)
    assert not ev.overridden


def test_organization_override_wins_and_shows_what_it_would_inherit() -> None:
    ev = effective({CRM: 600}, {CRM: 300})[CRM]
    assert (ev.value, ev.source) == (600, Scope.ORGANIZATION)
    assert (ev.inherited, ev.inherited_source) == (300, Scope.SYSTEM)
    assert ev.overridden and not ev.stale_override
    assert ev.label == "600"


def test_organization_override_over_the_default_when_system_says_use_default() -> None:
    ev = effective({CRM: 600}, {})[CRM]
    assert (ev.inherited, ev.inherited_source) == (120, Scope.DEFAULT)
    assert ev.source is Scope.ORGANIZATION


def test_override_equal_to_the_system_value_is_flagged_stale() -> None:
    # The admin cleared Use System and saved the same 300: the organization no longer follows
    # later system changes. Oro hides this; we show it.
    ev = effective({CRM: 300}, {CRM: 300})[CRM]
    assert ev.overridden and ev.stale_override


def test_override_equal_to_the_default_is_stale_when_system_uses_default() -> None:
    assert effective({CRM: 120}, {})[CRM].stale_override


def test_system_level_use_default_and_its_own_value() -> None:
    values = system_effective({CRM: 300})
    assert (values[CRM].value, values[CRM].source) == (300, Scope.SYSTEM)
    assert values[CRM].overridden and not values[CRM].stale_override
    direction = values["contacts_sync_direction"]
    assert (direction.value, direction.source) == ("Both", Scope.DEFAULT)
    assert not direction.overridden


def test_system_value_equal_to_the_default_is_stale() -> None:
    assert system_effective({CRM: 120})[CRM].stale_override


@given(st.dictionaries(st.sampled_from([s.name for s in CATALOG]), st.integers(1, 86399)),
       st.dictionaries(st.sampled_from([s.name for s in CATALOG]), st.integers(1, 86399)))
def test_first_scope_that_stores_a_value_wins(overrides, system) -> None:
    for name, ev in effective(overrides, system).items():
        if name in overrides:
            assert (ev.value, ev.source) == (overrides[name], Scope.ORGANIZATION)
        elif name in system:
            assert (ev.value, ev.source) == (system[name], Scope.SYSTEM)
        else:
            assert (ev.value, ev.source) == (BY_NAME[name].default, Scope.DEFAULT)
        assert ev.stale_override == (name in overrides and ev.value == ev.inherited)


def test_conflict_resolution_note_when_sync_is_one_way() -> None:
    note = conflict_resolution_note(effective({"contacts_sync_direction": "OroCRMToOutlook"}, {}))
    assert note == "Conflict Resolution has no effect unless Sync Direction is Bidirectional"


def test_conflict_resolution_note_follows_the_system_direction() -> None:
    assert conflict_resolution_note(effective({}, {"contacts_sync_direction": "OutlookToOroCRM"}))
    org_both = {"contacts_sync_direction": "Both"}
    system_one_way = {"contacts_sync_direction": "OutlookToOroCRM"}
    assert conflict_resolution_note(effective(org_both, system_one_way)) is None


def test_no_conflict_resolution_note_when_bidirectional() -> None:
    assert conflict_resolution_note(effective({}, {})) is None
    assert conflict_resolution_note(system_effective({})) is None
