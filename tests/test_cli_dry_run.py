"""--dry-run: an admin sees exactly what a command would change (old -> new, per organization
and setting) before it changes anything; nothing at all is written, not even a lock file."""

from __future__ import annotations

import json
from pathlib import Path

from outlook_tui.store import JsonStore, SettingChange
from tests.conftest import every_byte
from tests.conftest import run_cli as run


def dry(store: Path, *args: str) -> str:
    """The command with --dry-run: exit 0, and every byte of the folder as it was."""
    before = every_byte(store.parent)
    out = run(store, *args, "--dry-run").stdout
    assert every_byte(store.parent) == before, "a dry run wrote something"
    return out


def test_set_on_all_organizations_prints_each_change_and_those_already_so(acme: Path) -> None:
    out = dry(acme, "set", "--all-orgs", "contacts_sync_interval_orocrm", "300")
    assert "dry run: nothing was saved (store at revision 0)" in out
    assert "would save revision 1: 3 organizations: CRM Sync Interval (In Seconds) = 300 " \
        "(2 changes)" in out
    rows = [line.split() for line in out.splitlines()]
    assert ["Default", "Organization", "CRM", "Sync", "Interval", "(In", "Seconds)",
            "(Use", "System)", "300"] in rows
    assert any(r[:1] == ["Globex"] and r[-3:] == ["(Use", "System)", "300"] for r in rows)
    assert "already so: 1 organization (left as they are)" in out


def test_the_json_plan_is_for_scripts(acme: Path) -> None:
    plan = json.loads(dry(acme, "reset", "Acme", "contacts_sync_interval_orocrm", "--json"))
    assert plan == {
        "dry_run": True, "what": "Acme: CRM Sync Interval (In Seconds) back to Use System",
        "revision": 0, "rows": [], "changes": [{
            "scope": "organization", "organization_id": 2, "organization_name": "Acme",
            "key": "oro_crm_pro_outlook.contacts_sync_interval_orocrm", "old": 300,
            "new": None}]}


def test_nothing_to_change_is_said(acme: Path) -> None:
    out = dry(acme, "set", "--system", "tasks_enabled", "false")
    assert "nothing would change" in out


def test_organizations_and_import_plans(acme: Path, tmp_path: Path) -> None:
    assert "Organization created" in dry(acme, "orgs", "add", "Initech")
    out = dry(acme, "orgs", "rename", "Acme", "Acme Corp")
    assert "Name" in out and "Acme -> Acme Corp" not in out and "Acme Corp" in out
    assert "Status" in dry(acme, "orgs", "disable", "Acme")
    exported = tmp_path / "export.json"
    run(acme, "export", str(exported))
    document = json.loads(exported.read_text())
    document["system"]["oro_crm_pro_outlook.tasks_enabled"] = True
    exported.write_text(json.dumps(document))
    out = dry(acme, "import", str(exported))
    assert "Tasks" in out and "No" in out and "Yes" in out


def test_restore_prints_what_the_backup_would_bring_back(acme: Path) -> None:
    store = JsonStore(acme)
    store.commit(store.load(), [SettingChange(2, "contacts_sync_interval_orocrm", 300, 900)])
    out = dry(acme, "restore", "1")
    assert "would save revision 2: restore backup 1" in out
    assert any("Acme" in line and "900" in line and "300" in line for line in out.splitlines())


def test_a_dry_run_on_a_store_not_created_yet_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "data" / "store.json"
    (tmp_path / "data").mkdir()
    refused = run(missing, "set", "--system", "tasks_enabled", "false", "--dry-run", ok=None)
    assert refused.returncode == 1 and "no store" in refused.stderr
    assert every_byte(tmp_path) == {"data": None}
