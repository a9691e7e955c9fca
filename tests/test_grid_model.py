"""The organizations grid's model, without a screen: support staff narrow 100k organizations
by name, sort them by a column, mark some for a bulk change, and a new snapshot (someone
saved) keeps all of that."""

from __future__ import annotations

from typing import Any

from outlook_tui.grid_model import GridModel
from outlook_tui.store import JsonStore, NewOrganization, OrganizationChange
from tests.conftest import StoreFactory

ORGS: list[Any] = [
    "Acme",
    {"name": "Globex", "enabled": False},
    {"name": "Initech", "overrides": {"tasks_enabled": False,
                                      "contacts_sync_interval_orocrm": 300}},
    {"name": "Umbrella", "overrides": {"tasks_enabled": False}},
    "Acme Europe",
]


def names(grid: GridModel) -> list[str]:
    return [grid.record(row)["name"] for row in range(len(grid.view))]


def loaded(store: JsonStore) -> GridModel:
    grid = GridModel()
    grid.load(store.load())
    return grid


def test_rows_come_in_name_order_and_the_filter_ignores_case(make_store: StoreFactory) -> None:
    grid = loaded(make_store(ORGS))
    assert names(grid) == ["Acme", "Acme Europe", "Globex", "Initech", "Umbrella"]
    grid.filter("AC")
    assert names(grid) == ["Acme", "Acme Europe"]
    grid.filter("ACME e")  # typed on: narrows what is shown
    assert names(grid) == ["Acme Europe"]
    grid.filter("a")  # a shorter needle looks at every organization again
    assert names(grid) == ["Acme", "Acme Europe", "Umbrella"]
    grid.filter("")
    assert len(grid.view) == 5


def test_sorting_by_a_column_keeps_ties_in_name_order_and_again_reverses(
        make_store: StoreFactory) -> None:
    grid = loaded(make_store(ORGS))
    grid.sort_by("overrides")
    assert names(grid) == ["Acme", "Acme Europe", "Globex", "Umbrella", "Initech"]
    grid.sort_by("overrides")
    assert grid.sort == ("overrides", True)
    assert names(grid)[0] == "Initech"
    grid.sort_by("status")  # Active first
    assert names(grid)[-1] == "Globex"
    grid.sort_by("name")
    grid.sort_by("name")
    assert names(grid) == ["Umbrella", "Initech", "Globex", "Acme Europe", "Acme"]
    grid.filter("acme")  # the filter keeps the sort
    assert names(grid) == ["Acme Europe", "Acme"]


def test_mark_all_marks_what_the_filter_shows_and_again_unmarks_it(
        make_store: StoreFactory) -> None:
    grid = loaded(make_store(ORGS))
    grid.toggle_mark(2)  # Globex
    grid.filter("acme")
    grid.mark_all()
    assert [r["name"] for r in grid.marked_records()] == ["Acme", "Acme Europe", "Globex"]
    assert grid.hidden_marks() == 1  # Globex, marked but filtered out
    assert grid.is_marked(0) and grid.is_marked(1)
    grid.mark_all()
    assert [r["name"] for r in grid.marked_records()] == ["Globex"]
    grid.filter("")
    assert grid.hidden_marks() == 0


def test_a_new_snapshot_keeps_sort_filter_and_the_marks_of_organizations_still_there(
        make_store: StoreFactory) -> None:
    store = make_store(ORGS)
    grid = loaded(store)
    grid.sort_by("name")  # sorted by name already: now Z to A
    grid.filter("e")
    grid.mark_all()
    snapshot = store.load()
    acme = snapshot.by_name("Acme Europe")
    assert acme is not None
    result = store.commit(snapshot, [NewOrganization("Hooli Europe"),
                                     OrganizationChange(acme.id, "name", "Acme Europe",
                                                        "Acme EU")])
    grid.load(result.snapshot)
    assert grid.sort == ("name", True) and grid.needle == "e"
    assert names(grid) == ["Umbrella", "Initech", "Hooli Europe", "Globex", "Acme EU", "Acme"]
    assert not grid.is_marked(2)  # new: not marked
    assert grid.is_marked(4)  # renamed: still marked (by id)
    row = grid.find(acme.id)
    assert row == 4 and grid.record(row)["name"] == "Acme EU"
    grid.filter("hooli")
    assert grid.find(acme.id) is None  # not shown
