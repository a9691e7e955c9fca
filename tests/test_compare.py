"""Compare organizations: the data behind the matrix screen and ``outlook-tui diff``."""

from __future__ import annotations

import sys
from typing import Any

from outlook_tui.catalog import BY_NAME, CATALOG, Scope
from outlook_tui.compare import (
    OVERRIDE_MARK,
    STALE_MARK,
    Comparison,
    compare_rows,
    format_table,
    matching_positions,
)
from outlook_tui.store.snapshot import Snapshot, sort_key


def snapshot(organizations: list[dict[str, Any]], system: dict[str, Any] | None = None
             ) -> Snapshot:
    records = []
    for number, org in enumerate(organizations, start=1):
        records.append({
            "id": org.get("id", number), "name": org["name"], "description": "",
            "enabled": org.get("enabled", True), "created_at": "2026-01-15T09:30:00Z",
            "updated_at": "2026-01-15T09:30:00Z", "overrides": dict(org.get("overrides", {})),
        })
    records.sort(key=lambda r: sort_key(r["name"]))
    return Snapshot({"schema_version": 1, "store_id": "0" * 32, "revision": 1,
                     "system": dict(system or {}), "organizations": records})


SUPPORT_CASE = snapshot(
    [
        {"name": "Acme", "overrides": {"contacts_sync_interval_orocrm": 300}},
        {"name": "Globex"},
        {"name": "Initech", "overrides": {"tasks_enabled": False,
                                          "contacts_sync_direction": "Both"}},
        {"name": "acme labs"},
    ],
    system={"contacts_sync_interval_orocrm": 600},
)


def test_each_cell_is_the_effective_value_in_catalog_order() -> None:
    rows = {row.name: row for row in compare_rows(SUPPORT_CASE)}
    assert [c.setting for c in rows["Globex"].cells] == list(CATALOG)
    acme = rows["Acme"].cell("contacts_sync_interval_orocrm")
    assert (acme.value, acme.effective.source, acme.overridden) == (300, Scope.ORGANIZATION, True)
    globex = rows["Globex"].cell("contacts_sync_interval_orocrm")
    assert (globex.value, globex.effective.source, globex.overridden) == (600, Scope.SYSTEM, False)
    default = rows["Globex"].cell("tasks_enabled")
    assert (default.value, default.effective.source) == (True, Scope.DEFAULT)


def test_overridden_cells_carry_a_mark_that_reads_without_color() -> None:
    rows = {row.name: row for row in compare_rows(SUPPORT_CASE)}
    assert rows["Acme"].cell("contacts_sync_interval_orocrm").text == "300" + OVERRIDE_MARK
    assert rows["Initech"].cell("tasks_enabled").text == "No" + OVERRIDE_MARK
    assert rows["Globex"].cell("contacts_sync_interval_orocrm").text == "600 "
    assert rows["Acme"].overrides == 1 and rows["Globex"].overrides == 0


def test_an_override_equal_to_the_inherited_value_is_marked_stale() -> None:
    # Initech stores Both, the default: it will not follow a later system change.
    initech = next(r for r in compare_rows(SUPPORT_CASE) if r.name == "Initech")
    direction = initech.cell("contacts_sync_direction")
    assert direction.stale and direction.overridden
    assert direction.text.endswith(STALE_MARK)
    assert initech.stale_overrides == 1
    assert not initech.cell("tasks_enabled").stale


def test_values_are_compact_and_use_oro_labels_not_stored_values() -> None:
    row = next(r for r in compare_rows(SUPPORT_CASE) if r.name == "Globex")
    assert row.cell("contacts_sync_direction").short == "Both ways"
    assert row.cell("contacts_enabled").short == "Yes"
    direction = BY_NAME["contacts_sync_direction"]
    assert direction.label_of("Both") == "Bidirectional"  # full label stays Oro's


def test_name_filter_is_a_case_insensitive_substring_in_name_order() -> None:
    names = [r.name for r in compare_rows(SUPPORT_CASE, name_filter="ACME")]
    assert names == ["Acme", "acme labs"]
    assert [r.name for r in compare_rows(SUPPORT_CASE, name_filter="  ")] == [
        "Acme", "acme labs", "Globex", "Initech"]


def test_only_overrides_keeps_organizations_that_store_a_value() -> None:
    assert [r.name for r in compare_rows(SUPPORT_CASE, only_overrides=True)] == [
        "Acme", "Initech"]
    assert [r.name for r in compare_rows(SUPPORT_CASE, "acme", only_overrides=True)] == ["Acme"]
    assert list(compare_rows(SUPPORT_CASE, "nobody")) == []


def test_comparison_resolves_rows_lazily_and_finds_an_organization() -> None:
    big = snapshot([{"name": f"Org {n:06d}", "overrides": {"tasks_enabled": False}
                     if n % 1000 == 0 else {}} for n in range(20_000)])
    comparison = Comparison(big, only_overrides=True)
    assert len(comparison) == 20
    assert comparison[3].name == "Org 003000"
    assert comparison.index_of(comparison[3].organization_id) == 3
    assert comparison.index_of(2) is None  # filtered out
    assert len(matching_positions(big)) == 20_000


def test_format_table_is_plain_text_with_marks_legend_and_full_labels() -> None:
    text = format_table(compare_rows(SUPPORT_CASE))
    lines = text.splitlines()
    assert lines[0].split()[:2] == ["Organization", "Direction"]
    acme = next(line for line in lines if line.startswith("Acme "))
    assert "300*" in acme
    assert "CRM (s): CRM Sync Interval (In Seconds)" in text
    assert "stale" in text
    assert "\x1b" not in text


def test_to_json_names_source_and_stale() -> None:
    initech = next(r for r in compare_rows(SUPPORT_CASE) if r.name == "Initech").to_json()
    assert initech["settings"]["tasks_enabled"] == {
        "value": False, "source": "organization", "overridden": True, "stale": False,
        "inherited": True}
    assert initech["settings"]["contacts_sync_direction"]["stale"] is True


def test_compare_does_not_import_textual() -> None:
    assert "outlook_tui.compare" in sys.modules
    import subprocess

    code = "import sys, outlook_tui.compare; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
