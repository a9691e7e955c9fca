"""The command line as scripts and admins use it: a real subprocess on a temp store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from outlook_tui.store import JsonStore
from tests.conftest import write_store


def run(store: Path, *args: str, ok: bool | None = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OUTLOOK_TUI_STORE": str(store), "SSH_CLIENT": "", "SSH_CONNECTION": ""}
    result = subprocess.run([sys.executable, "-m", "outlook_tui", *args], capture_output=True,
                            text=True, env=env, timeout=60)
    if ok is True:
        assert result.returncode == 0, result.stderr
    return result


def snapshot_of(path: Path) -> dict:
    return json.loads(path.read_text())


def overrides_of(path: Path, name: str) -> dict:
    return next(o for o in snapshot_of(path)["organizations"] if o["name"] == name)["overrides"]


def test_first_save_creates_the_store_with_the_default_organization(store_path: Path) -> None:
    run(store_path, "set", "--system", "tasks_enabled", "false")
    out = run(store_path, "orgs", "list", "--json").stdout
    assert [o["name"] for o in json.loads(out)] == ["Default Organization"]
    document = snapshot_of(store_path)
    assert document["system"] == {"tasks_enabled": False} and document["revision"] == 1


def test_admin_adds_renames_and_disables_organizations(acme: Path) -> None:
    run(acme, "orgs", "add", "Initech", "--description", "Office space", "--inactive")
    run(acme, "orgs", "rename", "Initech", "Initrode")
    run(acme, "orgs", "enable", "Initrode")
    run(acme, "orgs", "disable", "Acme")
    listed = {o["name"]: o for o in json.loads(run(acme, "orgs", "list", "--json").stdout)}
    assert listed["Initrode"]["status"] == "Active"
    assert listed["Initrode"]["description"] == "Office space"
    assert listed["Acme"]["status"] == "Inactive"
    assert "Initech" not in listed


def test_a_duplicate_organization_name_is_refused_and_nothing_changes(acme: Path) -> None:
    before = acme.read_bytes()
    result = run(acme, "orgs", "add", "Acme", ok=None)
    assert result.returncode == 1
    assert "already exists" in result.stderr
    assert acme.read_bytes() == before


def test_show_gives_each_effective_value_and_its_source(acme: Path) -> None:
    data = json.loads(run(acme, "show", "Acme", "--json").stdout)
    interval = data["settings"]["oro_crm_pro_outlook.contacts_sync_interval_orocrm"]
    assert (interval["value"], interval["source"], interval["inherited"]) == (300, "organization",
                                                                              120)
    tasks = data["settings"]["oro_crm_pro_outlook.tasks_enabled"]
    assert (tasks["value"], tasks["source"]) == (False, "system")
    direction = data["settings"]["oro_crm_pro_outlook.contacts_sync_direction"]
    assert (direction["value"], direction["source"]) == ("Both", "default")
    text = run(acme, "show", "Acme").stdout
    assert "CRM Sync Interval (In Seconds)" in text and "system: 120" in text


def test_show_system_uses_default_as_its_upstream(acme: Path) -> None:
    data = json.loads(run(acme, "show", "--system", "--json").stdout)
    assert data["settings"]["oro_crm_pro_outlook.tasks_enabled"]["source"] == "system"
    assert data["settings"]["oro_crm_pro_outlook.tasks_enabled"]["inherited"] is True


@pytest.mark.parametrize(("key", "text", "stored"), [
    ("contacts_sync_direction", "bidirectional", "Both"),
    ("oro_crm_pro_outlook.contacts_sync_direction", "Outlook to OroCRM", "OutlookToOroCRM"),
    ("contacts_sync_direction", "orocrmtooutlook", "OroCRMToOutlook"),
    ("contacts_conflict_resolution", "outlook always wins", "OutlookAlwaysWins"),
    ("contacts_sync_interval_outlook", "86399", 86399),
    ("calendar_events_enabled", "no", False),
    ("contacts_enabled", "0", False),
])
def test_set_accepts_keys_and_values_as_oro_names_them(acme: Path, key: str, text: str,
                                                       stored: object) -> None:
    run(acme, "set", "Acme", key, text)
    name = key.rsplit(".", 1)[-1]
    assert overrides_of(acme, "Acme")[name] == stored


@pytest.mark.parametrize(("args", "message"), [
    (("set", "Acme", "contacts_sync_interval_orocrm", "90000"), "from 1 to 86399, got 90000"),
    (("set", "Acme", "contacts_sync_interval_orocrm", "0"), "from 1 to 86399"),
    (("set", "Acme", "contacts_sync_interval_orocrm", "1.5"), "whole number"),
    (("set", "Acme", "contacts_sync_direction", "sideways"), "Bidirectional"),
    (("set", "Acme", "no_such_setting", "1"), "unknown setting"),
    (("set", "Nobody", "tasks_enabled", "yes"), "no organization with id or name 'Nobody'"),
    (("set", "Acme", "tasks_enabled", "maybe"), "true or false"),
    # beyond Python's 4,300-digit limit for int(): one short line, not the number
    (("set", "Acme", "contacts_sync_interval_orocrm", "9" * 5000), "from 1 to 86399, got a "
                                                                   "number of 5,000 digits"),
    (("set", "9" * 5000, "tasks_enabled", "yes"), "no organization with id or name "
                                                  "'9999999999999999999999999999999999999999'… "
                                                  "(5,000 characters)"),
    # a digit to str.isdigit, not to int(): a name
    (("set", "²", "tasks_enabled", "yes"), "no organization with id or name '²'"),
    (("show", "²"), "no organization with id or name '²'"),
])
def test_rejected_input_exits_1_says_why_and_changes_no_byte(acme: Path, args: tuple[str, ...],
                                                            message: str) -> None:
    before = acme.read_bytes()
    result = run(acme, *args, ok=None)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert acme.read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (("frobnicate",), "invalid choice"),
    (("history", "--limit", "many"), "--limit: must be a whole number, got 'many'"),
    (("history", "--limit", "0"), "--limit: must be 1 or more, got 0"),
    (("history", "--limit", "-1"), "--limit: must be 1 or more, got -1"),
    # beyond a database's INT, and beyond the digits Python reads: one message on every store
    (("history", "--limit", "2147483648"), "must be at most 2,147,483,647, got 2147483648"),
    (("history", "--limit", "9" * 5000), "must be at most 2,147,483,647, got a number of 5,000 "
                                          "digits"),
    (("history", "Acme", "--system"), "not both"),
    (("set", "--system", "Acme", "tasks_enabled", "yes"), "not both"),
    (("set", "--system", "--all-orgs", "tasks_enabled", "yes"), "only one of"),
    (("set",), "required"),
    (("set", "Acme"), "VALUE missing"),
    (("set", "Acme", "tasks_enabled"), "name at least one organization"),
    (("set", "--system", "tasks_enabled"), "VALUE missing"),
    (("set", "--where", "tasks_enabled", "tasks_enabled", "no"), "--where takes KEY=VALUE"),
    (("reset", "Acme"), "name at least one organization (ORG) before KEY"),
    (("show",), "name an organization"),
    (("show", "Acme", "--system"), "not both"),
    (("orgs",), "an action is required"),
    (("--store", "", "show", "--system"), "--store: is empty"),
    (("show", "--store", " ", "--system"), "--store: is empty"),
])
def test_usage_errors_exit_2_with_the_usage_and_change_no_byte(
        acme: Path, args: tuple[str, ...], message: str) -> None:
    before = acme.read_bytes()
    result = run(acme, *args, ok=None)
    assert (result.returncode, result.stdout) == (2, "")
    assert "usage: outlook-tui" in result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert acme.read_bytes() == before


def test_set_on_several_organizations_is_one_revision(acme: Path) -> None:
    before = snapshot_of(acme)["revision"]
    run(acme, "set", "Acme", "Globex", "1", "tasks_enabled", "yes")  # 1: an id
    document = snapshot_of(acme)
    assert document["revision"] == before + 1
    assert all(o["overrides"].get("tasks_enabled") is True for o in document["organizations"]
               if o["name"] in ("Acme", "Globex", "Default Organization"))


def test_set_all_orgs_and_where(acme: Path) -> None:
    run(acme, "set", "--all-orgs", "contacts_sync_direction", "Outlook to OroCRM")
    assert all(o["overrides"]["contacts_sync_direction"] == "OutlookToOroCRM"
               for o in snapshot_of(acme)["organizations"])
    run(acme, "set", "--where", "contacts_sync_interval_orocrm=300",
        "contacts_sync_interval_outlook", "60")
    assert overrides_of(acme, "Acme")["contacts_sync_interval_outlook"] == 60
    assert "contacts_sync_interval_outlook" not in overrides_of(acme, "Globex")


def test_reset_returns_to_use_system_and_use_default(acme: Path) -> None:
    run(acme, "set", "Acme", "tasks_enabled", "yes")
    run(acme, "reset", "Acme", "contacts_sync_interval_orocrm")
    assert overrides_of(acme, "Acme") == {"tasks_enabled": True}
    run(acme, "reset", "Acme", "--all")
    assert overrides_of(acme, "Acme") == {}
    run(acme, "reset", "--system", "--all")
    assert snapshot_of(acme)["system"] == {}


def test_set_system_stores_it_at_system_level(acme: Path) -> None:
    run(acme, "set", "--system", "contacts_sync_interval_orocrm", "600")
    assert snapshot_of(acme)["system"]["contacts_sync_interval_orocrm"] == 600
    data = json.loads(run(acme, "show", "Globex", "--json").stdout)
    assert data["settings"]["oro_crm_pro_outlook.contacts_sync_interval_orocrm"]["value"] == 600


def test_export_then_import_into_another_store_recreates_the_settings(acme: Path,
                                                                      tmp_path: Path) -> None:
    exported = tmp_path / "export.json"
    run(acme, "export", str(exported))
    data = json.loads(exported.read_text())
    assert data["system"] == {"oro_crm_pro_outlook.tasks_enabled": False}
    other = tmp_path / "other.json"
    run(other, "import", str(exported))
    document = snapshot_of(other)
    assert document["revision"] == 1, "an import is one revision"
    assert document["system"] == {"tasks_enabled": False}
    assert overrides_of(other, "Acme") == {"contacts_sync_interval_orocrm": 300}
    globex = next(o for o in document["organizations"] if o["name"] == "Globex")
    assert globex["enabled"] is False


def test_an_import_with_one_bad_value_applies_nothing_and_names_each_problem(
        acme: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"organizations": [
        {"name": "Acme", "settings": {"oro_crm_pro_outlook.tasks_enabled": False}},
        {"name": "Globex", "settings": {"oro_crm_pro_outlook.contacts_sync_interval_orocrm": 0}},
        {"name": "Hooli", "settings": {"oro_crm_pro_outlook.teleport": True}},
    ]}))
    before = acme.read_bytes()
    result = run(acme, "import", str(bad), ok=None)
    assert result.returncode == 1
    assert "organizations[1].settings.oro_crm_pro_outlook.contacts_sync_interval_orocrm" \
        in result.stderr
    assert "organizations[2].settings.oro_crm_pro_outlook.teleport" in result.stderr
    assert acme.read_bytes() == before


def test_an_import_with_a_20_mb_description_is_refused_naming_the_organization(
        acme: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps({"organizations": [
        {"name": "Acme", "description": "short"},
        {"name": "Globex", "description": "G" * 20_000_000},
    ]}))
    before = acme.read_bytes()
    result = run(acme, "import", str(huge), ok=None)
    assert result.returncode == 1
    assert "organizations[1].description: 20,000,000 characters, more than the 10,000 " \
        "outlook-tui writes (organization 'Globex')" in result.stderr
    assert acme.read_bytes() == before


def test_an_import_that_is_not_json_names_line_and_column(acme: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "organizations": [\n    {"name": "Acme",,}\n  ]\n}\n')
    result = run(acme, "import", str(bad), ok=None)
    assert result.returncode == 1
    assert f"{bad}:3:" in result.stderr


def test_history_names_who_changed_what_newest_first(acme: Path) -> None:
    run(acme, "set", "Acme", "contacts_sync_direction", "Outlook to OroCRM")
    run(acme, "set", "Globex", "tasks_enabled", "yes")
    entries = json.loads(run(acme, "history", "--json").stdout)
    assert [e["organization_name"] for e in entries] == ["Globex", "Acme"]
    assert entries[1]["old"] is None and entries[1]["new"] == "OutlookToOroCRM"
    assert entries[0]["user"]
    only_acme = run(acme, "history", "Acme").stdout
    assert "Sync Direction" in only_acme and "Outlook to OroCRM" in only_acme
    assert "Globex" not in only_acme
    assert len(json.loads(run(acme, "history", "--limit", "1", "--json").stdout)) == 1


def test_read_only_refuses_every_write_and_changes_no_byte(acme: Path) -> None:
    before = acme.read_bytes()
    for args in (("set", "Acme", "tasks_enabled", "no"), ("reset", "Acme", "--all"),
                 ("orgs", "add", "Initech"), ("restore", "1")):
        result = run(acme, "--read-only", *args, ok=None)
        assert result.returncode == 1, args
        assert "read-only" in result.stderr
    assert run(acme, "show", "Acme", "--read-only").returncode == 0
    assert acme.read_bytes() == before
    assert not acme.with_name("store.json.lock").exists()
    assert not acme.with_name("store.history.jsonl").exists()


def test_a_damaged_store_is_reported_with_its_place_and_left_alone(acme: Path) -> None:
    damaged = acme.read_text().replace('"contacts_sync_interval_orocrm": 300',
                                       '"contacts_sync_interval_orocrm": 90000')
    acme.write_text(damaged)
    before = acme.read_bytes()
    result = run(acme, "set", "Globex", "tasks_enabled", "yes", ok=None)
    assert result.returncode == 1
    assert "organizations[0].overrides.contacts_sync_interval_orocrm: must be <= 86399, got 90000" \
        in result.stderr
    assert acme.read_bytes() == before


def test_schema_describes_the_store_for_editors(acme: Path) -> None:
    schema = json.loads(run(acme, "schema").stdout)
    overrides = schema["$defs"]["Overrides"]
    assert overrides["additionalProperties"] is False
    assert overrides["properties"]["contacts_sync_interval_orocrm"]["maximum"] == 86399


def test_backups_and_restore(acme: Path) -> None:
    run(acme, "set", "Acme", "tasks_enabled", "no")
    run(acme, "set", "Acme", "tasks_enabled", "yes")
    listing = run(acme, "backups").stdout
    assert "valid" in listing
    run(acme, "restore", "1")
    document = snapshot_of(acme)
    assert overrides_of(acme, "Acme")["tasks_enabled"] is False
    assert document["revision"] == 3, "a restore is a new revision"
    assert JsonStore(acme).load().revision == 3


def test_diff_marks_overrides_and_can_show_only_those_organizations(acme: Path) -> None:
    rows = json.loads(run(acme, "diff", "--json").stdout)
    assert [r["name"] for r in rows] == ["Acme", "Default Organization", "Globex"]
    acme_row = rows[0]["settings"]["contacts_sync_interval_orocrm"]
    assert (acme_row["value"], acme_row["overridden"]) == (300, True)
    only = json.loads(run(acme, "diff", "--only-overrides", "--json").stdout)
    assert [r["name"] for r in only] == ["Acme"]
    text = run(acme, "diff").stdout
    assert "300*" in text


def test_names_differing_only_in_case_are_one_name(acme: Path) -> None:
    before = acme.read_bytes()
    result = run(acme, "orgs", "add", "ACME", ok=None)
    assert result.returncode == 1 and "already exists" in result.stderr
    assert acme.read_bytes() == before
    run(acme, "orgs", "rename", "Acme", "ACME")  # its own name in other letters is fine
    assert "ACME" in {o["name"] for o in snapshot_of(acme)["organizations"]}


def test_reset_on_every_or_matching_organization_is_one_revision(acme: Path) -> None:
    run(acme, "set", "--all-orgs", "contacts_sync_interval_outlook", "60")
    run(acme, "set", "Globex", "tasks_enabled", "yes")
    before = snapshot_of(acme)["revision"]
    run(acme, "reset", "--where", "tasks_enabled=true", "--all")
    assert overrides_of(acme, "Globex") == {}
    assert overrides_of(acme, "Acme")["contacts_sync_interval_outlook"] == 60
    run(acme, "reset", "--all-orgs", "contacts_sync_interval_outlook")
    document = snapshot_of(acme)
    assert document["revision"] == before + 2
    assert all("contacts_sync_interval_outlook" not in o["overrides"]
               for o in document["organizations"])


def test_an_organization_named_with_a_digit_int_cannot_read_is_found_by_name(
        store_path: Path) -> None:
    write_store(store_path, ["Default Organization", "²"])
    assert run(store_path, "show", "²").stdout.startswith("² (id 2, Active)")
    run(store_path, "set", "²", "tasks_enabled", "no")
    assert overrides_of(store_path, "²") == {"tasks_enabled": False}
