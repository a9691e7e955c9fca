"""The catalog reads what an admin types the way Oro's form would accept it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outlook_tui.catalog import BY_NAME, CATALOG, InvalidValue, SettingType, lookup

DIRECTION = BY_NAME["contacts_sync_direction"]
CONFLICTS = BY_NAME["contacts_conflict_resolution"]
CRM_INTERVAL = BY_NAME["contacts_sync_interval_orocrm"]
CONTACTS = BY_NAME["contacts_enabled"]


def valid_values(setting):
    if setting.type is SettingType.CHOICE:
        return st.sampled_from([c.value for c in setting.choices])
    if setting.type is SettingType.INTEGER:
        return st.integers(setting.minimum, setting.maximum)
    return st.booleans()


settings_and_values = st.sampled_from(CATALOG).flatmap(
    lambda s: st.tuples(st.just(s), valid_values(s)))


@given(settings_and_values)
def test_what_the_form_shows_reads_back_as_the_stored_value(pair) -> None:
    setting, value = pair
    assert setting.parse(setting.label_of(value)) == value
    assert setting.parse(str(value) if setting.type is not SettingType.BOOLEAN
                         else str(value).lower()) == value
    assert setting.check(value) == value


@given(settings_and_values, st.sampled_from([str.upper, str.lower, str.title]),
       st.sampled_from(["", " ", "  \t"]))
def test_admin_may_type_labels_in_any_case_with_stray_spaces(pair, case, pad) -> None:
    setting, value = pair
    assert setting.parse(pad + case(setting.label_of(value)) + pad) == value


@pytest.mark.parametrize("typed", ["Outlook to OroCRM", "outlook to orocrm", "OutlookToOroCRM",
                                   " OUTLOOKTOOROCRM "])
def test_admin_types_outlook_to_orocrm_and_gets_oros_stored_value(typed: str) -> None:
    assert DIRECTION.parse(typed) == "OutlookToOroCRM"


def test_bidirectional_is_stored_as_both() -> None:
    assert DIRECTION.parse("bidirectional") == "Both"
    assert DIRECTION.label_of("Both") == "Bidirectional"


def test_an_unknown_direction_is_refused_listing_every_choice() -> None:
    with pytest.raises(InvalidValue) as raised:
        DIRECTION.parse("sideways")
    message = str(raised.value)
    assert "'sideways'" in message
    for choice in DIRECTION.choices:
        assert choice.value in message and choice.label in message


@pytest.mark.parametrize(("typed", "expected"), [
    ("yes", True), ("Yes", True), ("1", True), ("true", True), ("on", True),
    ("no", False), ("NO", False), ("0", False), ("false", False), ("off", False),
])
def test_contacts_checkbox_reads_yes_no_one_zero(typed: str, expected: bool) -> None:
    assert CONTACTS.parse(typed) is expected


@pytest.mark.parametrize("typed", ["maybe", "2", "", "tru"])
def test_contacts_checkbox_refuses_anything_else(typed: str) -> None:
    with pytest.raises(InvalidValue, match="yes/no, 1/0"):
        CONTACTS.parse(typed)


@pytest.mark.parametrize("typed", ["0", "86400", "-5", "90000"])
def test_crm_interval_out_of_range_is_refused_with_the_allowed_range(typed: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        CRM_INTERVAL.parse(typed)
    assert "from 1 to 86399" in str(raised.value)
    assert typed.lstrip("+") in str(raised.value)


@pytest.mark.parametrize("typed", ["1", "86399", "+300", " 120 "])
def test_crm_interval_accepts_one_second_to_a_day_less_one_second(typed: str) -> None:
    assert CRM_INTERVAL.parse(typed) == int(typed)


@pytest.mark.parametrize("typed", ["1.5", "1e3", "two", "١٢٠", ""])
def test_crm_interval_refuses_what_is_not_a_whole_number(typed: str) -> None:
    with pytest.raises(InvalidValue, match="whole number from 1 to 86399"):
        CRM_INTERVAL.parse(typed)


@pytest.mark.parametrize(("setting", "bad"), [
    (CRM_INTERVAL, True),  # a bool is an int in Python; never a valid interval
    (CRM_INTERVAL, "120"),
    (CRM_INTERVAL, 0),
    (CRM_INTERVAL, 86400),
    (CONTACTS, 1),
    (CONTACTS, "yes"),
    (DIRECTION, "Bidirectional"),  # the label is shown, the value is stored
])
def test_check_accepts_only_stored_values_of_the_right_type(setting, bad) -> None:
    with pytest.raises(InvalidValue):
        setting.check(bad)


def test_settings_are_found_by_full_oro_key_or_short_name_in_any_case() -> None:
    assert lookup("oro_crm_pro_outlook.contacts_sync_direction") is DIRECTION
    assert lookup("ORO_CRM_PRO_OUTLOOK.Contacts_Sync_Direction") is DIRECTION
    assert lookup(" contacts_enabled ") is CONTACTS
    with pytest.raises(KeyError, match="known settings: contacts_sync_direction"):
        lookup("contacts_sync")


def test_catalog_matches_oros_page_order_and_defaults() -> None:
    assert [s.name for s in CATALOG] == [
        "contacts_sync_direction", "contacts_conflict_resolution",
        "contacts_sync_interval_orocrm", "contacts_sync_interval_outlook",
        "contacts_enabled", "tasks_enabled", "calendar_events_enabled",
    ]
    assert {s.name: s.default for s in CATALOG} == {
        "contacts_sync_direction": "Both", "contacts_conflict_resolution": "OroCRMAlwaysWins",
        "contacts_sync_interval_orocrm": 120, "contacts_sync_interval_outlook": 30,
        "contacts_enabled": True, "tasks_enabled": True, "calendar_events_enabled": True,
    }
    for setting in CATALOG:
        assert setting.check(setting.default) == setting.default
