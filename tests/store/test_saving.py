"""The one save path (``outlook_tui.store.saving``): a person's changes meet changes saved
meanwhile; they keep theirs or take the other's, a bounded number of times, and nothing is
saved that they did not choose."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

from outlook_tui.store import (
    Change,
    CommitResult,
    Conflict,
    DuplicateNameError,
    InputError,
    JsonStore,
    NewOrganization,
    OrganizationChange,
    SettingChange,
)
from outlook_tui.store.saving import MAX_ROUNDS, Outcome, Resolution, SaveResult, save
from tests.store.conftest import CRM_INTERVAL


def committer(store: JsonStore, meanwhile: list[list[Change]] | None = None):  # type: ignore[no-untyped-def]
    """The store's commit against the revision the person started from; before each attempt,
    another admin saves the next of ``meanwhile`` (if any)."""
    base = store.load()
    others = list(meanwhile or [])

    async def commit(changes: list[Change]) -> CommitResult:
        if others:
            other = JsonStore(store.path)
            other.commit(other.load(), others.pop(0))
        return store.commit(base, changes)

    return commit


def answers(*choices: Resolution | None):  # type: ignore[no-untyped-def]
    asked: list[list[Conflict]] = []
    queue = list(choices)

    async def ask(conflicts: list[Conflict]) -> Resolution | None:
        asked.append(conflicts)
        return queue.pop(0)

    ask.asked = asked  # type: ignore[attr-defined]
    return ask


def run(store: JsonStore, mine: Sequence[Change], ask, meanwhile=None,  # type: ignore[no-untyped-def]
        save_rest: bool = False) -> SaveResult:
    return asyncio.run(save(committer(store, meanwhile), mine, ask,
                            save_rest_after_theirs=save_rest))


@pytest.fixture
def acme_store(acme: Path) -> JsonStore:
    """The store of Acme (id 2, its own CRM Sync Interval 300) and Globex: tests/conftest.py."""
    return JsonStore(acme, lock_timeout=2.0)


def overrides(store: JsonStore) -> dict:
    org = store.load().by_name("Acme")
    assert org is not None
    return dict(org.overrides)


MINE = [SettingChange(2, CRM_INTERVAL, 300, 400), SettingChange(2, "tasks_enabled", None, False)]
THEIRS = [SettingChange(2, CRM_INTERVAL, 300, 500)]


def test_without_a_conflict_nothing_is_asked(acme_store: JsonStore) -> None:
    ask = answers()
    saved = run(acme_store, MINE, ask)
    assert saved.outcome is Outcome.SAVED and not ask.asked
    assert overrides(acme_store) == {CRM_INTERVAL: 400, "tasks_enabled": False}


def test_keep_mine_saves_mine_over_theirs(acme_store: JsonStore) -> None:
    ask = answers(Resolution.KEEP_MINE)
    saved = run(acme_store, MINE, ask, meanwhile=[THEIRS])
    assert saved.outcome is Outcome.SAVED
    assert [(c.key, c.mine, c.theirs) for c in ask.asked[0]] == [(CRM_INTERVAL, 400, 500)]
    assert overrides(acme_store) == {CRM_INTERVAL: 400, "tasks_enabled": False}


def test_take_theirs_in_a_form_saves_nothing_and_hands_back_the_rest(
        acme_store: JsonStore) -> None:
    saved = run(acme_store, MINE, answers(Resolution.TAKE_THEIRS), meanwhile=[THEIRS])
    assert saved.outcome is Outcome.TOOK_THEIRS and saved.result is None
    assert saved.remaining == [MINE[1]]
    assert [c.theirs for c in saved.conflicts] == [500]
    assert overrides(acme_store) == {CRM_INTERVAL: 500}


def test_take_theirs_in_a_bulk_change_saves_the_rest(acme_store: JsonStore) -> None:
    saved = run(acme_store, MINE, answers(Resolution.TAKE_THEIRS), meanwhile=[THEIRS],
                save_rest=True)
    assert saved.outcome is Outcome.SAVED
    assert overrides(acme_store) == {CRM_INTERVAL: 500, "tasks_enabled": False}


def test_closing_the_dialog_saves_nothing(acme_store: JsonStore) -> None:
    saved = run(acme_store, MINE, answers(None), meanwhile=[THEIRS])
    assert saved.outcome is Outcome.CANCELLED and saved.remaining == MINE
    assert overrides(acme_store) == {CRM_INTERVAL: 500}


def test_others_saving_the_same_value_every_round_end_it_after_max_rounds(
        acme_store: JsonStore) -> None:
    racing = [[SettingChange(2, CRM_INTERVAL, old, new)]
              for old, new in zip([300, 500, 501], [500, 501, 502], strict=True)]
    ask = answers(*[Resolution.KEEP_MINE] * MAX_ROUNDS)
    before = acme_store.path.read_bytes()
    saved = run(acme_store, MINE, ask, meanwhile=racing)
    assert saved.outcome is Outcome.GAVE_UP
    assert len(ask.asked) == MAX_ROUNDS - 1  # never asked a question whose answer is lost
    assert overrides(acme_store) == {CRM_INTERVAL: 502}
    assert acme_store.path.read_bytes() != before  # the others' saves, not ours


def test_a_rename_meets_a_rename_and_keeps_mine(acme_store: JsonStore) -> None:
    mine = [OrganizationChange(2, "name", "Acme", "Acme Corp"),
            OrganizationChange(2, "enabled", True, False)]
    saved = run(acme_store, mine, answers(Resolution.KEEP_MINE),
                meanwhile=[[OrganizationChange(2, "name", "Acme", "Acme Inc")]])
    assert saved.outcome is Outcome.SAVED
    org = acme_store.load().get(2)
    assert org is not None and (org.name, org.enabled) == ("Acme Corp", False)


def test_a_taken_name_is_a_typed_error_naming_the_field(acme_store: JsonStore) -> None:
    before = acme_store.path.read_bytes()
    with pytest.raises(DuplicateNameError) as raised:
        run(acme_store, [NewOrganization("ACME")], answers())
    assert isinstance(raised.value, InputError)
    assert (raised.value.field, raised.value.name, raised.value.existing_name) == (
        "name", "ACME", "Acme")
    assert acme_store.path.read_bytes() == before
