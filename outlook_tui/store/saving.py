"""The one way a person's changes are saved when others may save meanwhile (the configuration
form, a bulk change, the organization form): commit; on a conflict ask the person once per
round, rebuild the changes on what is stored now, and commit again, a bounded number of times.

Textual-free: the app passes its own ``commit`` (off the UI thread) and ``ask`` (the conflict
dialog); tests pass a store's commit and scripted answers.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from outlook_tui.catalog import Value, same_value
from outlook_tui.store.backend import CommitResult
from outlook_tui.store.changes import Change, OrganizationChange, SettingChange
from outlook_tui.store.errors import Conflict, ConflictError

#: Rounds of "someone saved meanwhile" before giving up: each round the person has chosen, so
#: more means others keep saving the same values right now, and it is time to talk to them.
MAX_ROUNDS = 3


class Resolution(enum.Enum):
    #: Save my values over the ones saved meanwhile.
    KEEP_MINE = "mine"
    #: Leave the values saved meanwhile; drop my changes to them.
    TAKE_THEIRS = "theirs"


class Outcome(enum.Enum):
    SAVED = "saved"
    #: Every change was already in the store (or nothing was left after taking theirs).
    NOTHING_TO_SAVE = "nothing to save"
    #: The person closed the conflict dialog: nothing saved.
    CANCELLED = "cancelled"
    #: The person took theirs, and the caller keeps the rest for the person to look at.
    TOOK_THEIRS = "took theirs"
    #: Others kept saving the same values: nothing saved after MAX_ROUNDS.
    GAVE_UP = "gave up"


@dataclass(frozen=True)
class SaveResult:
    outcome: Outcome
    result: CommitResult | None = None
    #: The conflicts of the last question (for TOOK_THEIRS: the values to show as saved).
    conflicts: list[Conflict] = field(default_factory=list)
    #: The changes not saved, rebuilt on the latest revision (TOOK_THEIRS, CANCELLED, GAVE_UP).
    remaining: list[Change] = field(default_factory=list)


def _key(change: Change) -> tuple[int | None, str] | None:
    if isinstance(change, SettingChange):
        return (change.organization_id, change.name)
    if isinstance(change, OrganizationChange):
        return (change.organization_id, change.column)
    return None  # a new organization never conflicts (a taken name is an input error)


def rebase(changes: Sequence[Change], conflicts: Sequence[Conflict],
           resolution: Resolution) -> list[Change]:
    """``changes`` rebuilt on the revision the conflicts were found in: with KEEP_MINE each
    conflicting change is made against the value saved meanwhile; with TAKE_THEIRS it is
    dropped. Changes that did not collide stay as they were (they merge)."""
    theirs = {(c.organization_id, c.key): c.theirs for c in conflicts}
    rebased: list[Change] = []
    for change in changes:
        key = _key(change)
        if key is None or key not in theirs:
            rebased.append(change)
        elif resolution is Resolution.TAKE_THEIRS:
            continue
        elif isinstance(change, SettingChange) and not same_value(change.new, theirs[key]):
            rebased.append(replace(change, old=cast("Value | None", theirs[key])))
        elif isinstance(change, OrganizationChange) and not same_value(change.new, theirs[key]):
            rebased.append(replace(change, old=cast("str | bool", theirs[key])))
    return rebased


async def save(
    commit: Callable[[list[Change]], Awaitable[CommitResult]],
    changes: Sequence[Change],
    ask: Callable[[list[Conflict]], Awaitable[Resolution | None]],
    *,
    save_rest_after_theirs: bool,
    rounds: int = MAX_ROUNDS,
) -> SaveResult:
    """Commit ``changes``; on each conflict ask, rebase and try again, at most ``rounds`` times.

    ``save_rest_after_theirs``: after TAKE_THEIRS, commit the changes left (a bulk change, with
    no form to come back to) or hand them back for the person to save (a form: TOOK_THEIRS).
    Errors other than conflicts (InputError, ReadOnlyError...) are raised: nothing was saved.
    """
    pending = list(changes)
    resolved: list[Conflict] = []
    for attempt in range(1, rounds + 1):
        if not pending:
            return SaveResult(Outcome.NOTHING_TO_SAVE, conflicts=resolved)
        try:
            result = await commit(pending)
        except ConflictError as error:
            if attempt == rounds:  # no question the answer to which could still be saved
                break
            choice = await ask(error.conflicts)
            if choice is None:
                return SaveResult(Outcome.CANCELLED, conflicts=resolved, remaining=pending)
            resolved = list(error.conflicts)
            pending = rebase(pending, error.conflicts, choice)
            if choice is Resolution.TAKE_THEIRS and not save_rest_after_theirs:
                return SaveResult(Outcome.TOOK_THEIRS, conflicts=resolved, remaining=pending)
            continue
        outcome = Outcome.SAVED if result.applied else Outcome.NOTHING_TO_SAVE
        return SaveResult(outcome, result, resolved)
    return SaveResult(Outcome.GAVE_UP, conflicts=resolved, remaining=pending)


__all__ = ["MAX_ROUNDS", "Outcome", "Resolution", "SaveResult", "rebase", "save"]
