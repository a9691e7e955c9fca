"""The MS Outlook Settings form without a screen: what a save writes, and what it refuses."""

from __future__ import annotations

from pathlib import Path

from outlook_tui.form_model import FormModel, setting_changes
from outlook_tui.store import Conflict, SettingChange
from outlook_tui.store.damaged import DamagedValue
from outlook_tui.store.saving import Resolution, rebase
from tests.conftest import saved_meanwhile

CRM = "contacts_sync_interval_orocrm"


def model_of(make_store, organization_id=1, **kwargs) -> FormModel:
    snapshot = make_store(**kwargs).load()
    model = FormModel(organization_id)
    assert model.load(snapshot)
    return model


def test_untouched_form_saves_nothing(make_store) -> None:
    model = model_of(make_store, organizations=[{"name": "Acme", "overrides": {CRM: 300}}])
    assert model.changes() == []
    assert not model.dirty


def test_clearing_use_system_starts_from_the_inherited_value_and_stores_it(make_store) -> None:
    model = model_of(make_store, organizations=["Acme"], system={CRM: 600})
    model.set_inherit(CRM, False)
    assert model.fields[CRM].value == 600
    # Equal to System, still stored: the admin cleared the checkbox. And flagged as stale.
    assert model.changes() == [SettingChange(1, CRM, None, 600)]
    assert model.fields[CRM].stale


def test_ticking_use_system_removes_the_override(make_store) -> None:
    model = model_of(make_store, organizations=[{"name": "Acme", "overrides": {CRM: 300}}])
    model.set_inherit(CRM, True)
    assert model.changes() == [SettingChange(1, CRM, 300, None)]


def test_typed_interval_out_of_range_is_an_error_in_words(make_store) -> None:
    model = model_of(make_store, organizations=["Acme"])
    model.set_inherit(CRM, False)
    model.set_value(CRM, "86400")
    assert model.errors() == {CRM: "must be a whole number from 1 to 86399"}
    model.set_value(CRM, "abc")
    assert model.errors() == {CRM: "must be a whole number from 1 to 86399"}
    model.set_inherit(CRM, True)  # an inheriting field is never checked
    assert model.errors() == {}


def test_note_follows_the_unsaved_direction(make_store) -> None:
    model = model_of(make_store, organizations=["Acme"])
    assert model.note() is None
    model.set_inherit("contacts_sync_direction", False)
    model.set_value("contacts_sync_direction", "OutlookToOroCRM")
    assert model.note() == ("Conflict Resolution has no effect unless Sync Direction is "
                            "Bidirectional")


def test_system_level_uses_default_and_writes_the_system_scope(make_store) -> None:
    model = model_of(make_store, organization_id=None, organizations=["Acme"])
    assert model.inherit_label == "Use default"
    model.set_inherit("tasks_enabled", False)
    model.set_value("tasks_enabled", False)
    assert model.changes() == [SettingChange(None, "tasks_enabled", None, False)]


def test_refresh_keeps_edits_and_says_what_was_saved_meanwhile(make_store, store_path: Path):
    store = make_store(["Acme"])
    model = FormModel(1)
    model.load(store.load())
    model.set_inherit(CRM, False)
    model.set_value(CRM, "300")
    result = saved_meanwhile(store_path, SettingChange(1, CRM, None, 500),
                             SettingChange(1, "tasks_enabled", None, False))
    model.refresh(result.snapshot, {CRM: "bob"})
    crm = model.fields[CRM]
    assert (crm.value, crm.stored, crm.latest_stored, crm.meanwhile_by) == ("300", None, 500, "bob")
    assert crm.meanwhile
    # The untouched field follows the store.
    assert model.fields["tasks_enabled"].stored is False
    assert model.changes() == [SettingChange(1, CRM, None, 300)]


def test_conflict_choices(make_store) -> None:
    model = model_of(make_store, organizations=["Acme"])
    model.set_inherit(CRM, False)
    model.set_value(CRM, "300")
    model.set_inherit("tasks_enabled", False)
    conflict = Conflict("Acme", "CRM Sync Interval (In Seconds)", CRM, 1, None, 300, 500)
    kept = rebase(model.changes(), [conflict], Resolution.KEEP_MINE)
    assert kept[0] == SettingChange(1, CRM, 500, 300)
    model.take_theirs([conflict])
    assert model.fields[CRM].value == 500 and not model.fields[CRM].dirty
    assert model.changes() == [SettingChange(1, "tasks_enabled", None, True)]


def test_setting_changes_tells_true_from_one() -> None:
    assert setting_changes(1, {"tasks_enabled": True}, {"tasks_enabled": True}) == []
    assert setting_changes(None, {}, {"tasks_enabled": None}) == []


def test_ticking_and_clearing_use_system_again_is_no_change(make_store) -> None:
    model = model_of(make_store, organizations=[{"name": "Acme", "overrides": {CRM: 300}}],
                     system={CRM: 600})
    model.set_inherit(CRM, True)
    assert model.dirty
    model.set_inherit(CRM, False)
    assert model.fields[CRM].value == 300
    assert not model.dirty and model.changes() == []


def damaged_model(make_store) -> FormModel:
    """Acme (id 1) over a value Oro's database holds and this tool cannot accept."""
    snapshot = make_store(organizations=["Acme"]).load()
    snapshot.document["damaged"] = [DamagedValue(
        17, 1, "Acme", CRM, f"oro_crm_pro_outlook.{CRM}", "90000", "scalar", "out of range")]
    model = FormModel(1)
    assert model.load(snapshot)
    return model


def test_a_damaged_value_is_shown_inherited_and_left_alone(make_store) -> None:
    model = damaged_model(make_store)
    field = model.fields[CRM]
    assert field.inherit and "'90000' (oro_config_value row 17)" in (field.damaged or "")
    assert not model.dirty and model.changes() == []


def test_ticking_use_system_again_on_a_damaged_value_removes_its_row(make_store) -> None:
    model = damaged_model(make_store)
    model.set_inherit(CRM, False)
    model.set_inherit(CRM, True)
    assert model.dirty
    assert model.changes() == [SettingChange(1, CRM, None, None)]
    model.set_inherit(CRM, False)  # and back to a value of its own: that replaces the row
    assert model.changes() == [SettingChange(1, CRM, None, 120)]  # the default
