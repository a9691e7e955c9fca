"""History lines in words: catalog labels, Oro's value labels, Use System, the store's events."""

from __future__ import annotations

from typing import Any

from outlook_tui.history_text import describe
from outlook_tui.store.history import HistoryEntry


def entry(**fields: Any) -> HistoryEntry:
    base: dict[str, Any] = {
        "time": "2026-01-15T09:30:00Z", "user": "alice", "ssh_client": "10.0.0.5",
        "revision": 4, "scope": "organization", "organization_id": 1,
        "organization_name": "Acme", "key": None, "old": None, "new": None}
    base.update(fields)
    return HistoryEntry(**base)


def test_a_setting_change_reads_with_labels_and_use_system_for_no_value() -> None:
    line = describe(entry(key="oro_crm_pro_outlook.contacts_sync_direction", old=None,
                          new="Both"))
    assert (line.when, line.who, line.where) == ("2026-01-15 09:30:00", "alice@10.0.0.5", "Acme")
    assert line.what == "Sync Direction"
    assert line.change == "(Use System) -> Bidirectional"


def test_at_system_level_no_value_is_use_default() -> None:
    line = describe(entry(scope="system", organization_id=None, organization_name=None,
                          key="oro_crm_pro_outlook.tasks_enabled", old=False, new=None))
    assert (line.where, line.what, line.change) == ("System", "Tasks", "No -> (Use default)")


def test_organization_columns_and_creation_read_in_words() -> None:
    status = describe(entry(key="enabled", old=True, new=False))
    assert (status.what, status.change) == ("Status", "Active -> Inactive")
    created = describe(entry(key="organization", old=None, new="Acme"))
    assert (created.what, created.change) == ("Organization created", "Acme")


def test_store_events_read_as_sentences() -> None:
    gap = describe(entry(scope=None, organization_id=None, organization_name=None,
                         event="history_gap", detail="revisions 2 to 3 were committed"))
    assert (gap.where, gap.what, gap.change) == ("", "History gap",
                                                 "revisions 2 to 3 were committed")
    restore = describe(entry(scope=None, event="restore", detail="restored backup r3"))
    assert restore.what == "Backup restored"


def test_an_unknown_key_is_shown_as_stored() -> None:
    line = describe(entry(key="oro_crm_pro_outlook.future_setting", old=1, new=2))
    assert (line.what, line.change) == ("oro_crm_pro_outlook.future_setting", "1 -> 2")
