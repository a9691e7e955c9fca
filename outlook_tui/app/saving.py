"""Saving a person's changes from a screen: the one save path
(:func:`outlook_tui.store.saving.save`, which merges with what others saved) with the conflict
dialog asking what to do when the same setting was changed meanwhile."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from textual.screen import Screen

from outlook_tui.app.screens.conflict import ask_about_conflict
from outlook_tui.app.session import session_of
from outlook_tui.store import Change, CommitResult, Conflict, Snapshot
from outlook_tui.store.saving import MAX_ROUNDS, Outcome, Resolution, SaveResult, save


async def save_changes(
    screen: Screen[Any], changes: Sequence[Change], *, save_rest_after_theirs: bool,
    ask: Callable[[list[Conflict]], Awaitable[Resolution | None]] | None = None,
    base: Snapshot | None = None,
) -> SaveResult:
    """Save through :func:`outlook_tui.store.saving.save` with the conflict dialog: every
    screen that saves a person's changes comes here (run it in a worker). ``ask`` wraps
    :func:`ask_about_conflict` for a screen with something to do around the dialog. Errors
    other than conflicts are raised for the screen to show where they belong. ``base``: the
    changes were made against it (one organization read on its own), not the app's snapshot."""
    session = session_of(screen)

    async def asked(conflicts: list[Conflict]) -> Resolution | None:
        return await ask_about_conflict(screen, conflicts, saves_rest=save_rest_after_theirs)

    commit = session.commit if base is None else \
        (lambda pending: session.commit(pending, base))
    result = await save(commit, changes, ask or asked,
                        save_rest_after_theirs=save_rest_after_theirs)
    if result.outcome is Outcome.GAVE_UP:
        screen.notify(f"Others saved the same values {MAX_ROUNDS} times while you chose; "
                      "nothing was saved. Try again in a moment.", title="Not saved",
                      severity="error", timeout=10)
    return result


def notify_saved(screen: Screen[Any], message: str, result: CommitResult | None, *,
                 title: str = "Saved") -> None:
    """The one notice of a save: ``message`` (what the screen saved), then what the store
    said about it (the result's notices: a merge, Oro's configuration cache; its warnings),
    so that one save never stacks several notices."""
    notes = [*result.notices, *result.warnings] if result is not None else []
    screen.notify("\n".join([message, *notes]), title=title,
                  severity="warning" if result is not None and result.warnings else "information",
                  timeout=15 if notes else None)
