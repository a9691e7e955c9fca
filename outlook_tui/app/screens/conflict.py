"""Another admin saved the same setting meanwhile: show both values and the base, let the
person choose. Nothing is decided for them, and closing the dialog loses nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from rich.table import Table
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from outlook_tui.app.safe import data
from outlook_tui.app.screens.confirm import QuestionModal
from outlook_tui.app.screens.dialog import dialog, message
from outlook_tui.catalog import BY_NAME, Value
from outlook_tui.form_model import shown
from outlook_tui.store import Conflict, HistoryEntry
from outlook_tui.store.saving import Resolution

ConflictChoice = Literal["mine", "theirs"]


def _value(conflict: Conflict, value: object) -> str:
    setting = BY_NAME.get(conflict.key)
    if setting is not None and (value is None or isinstance(value, str | int | bool)):
        plain: Value | None = value
        return shown(setting, plain, conflict.organization_id)
    return "(none)" if value is None else str(value)


def who_saved(conflict: Conflict, entries: Sequence[HistoryEntry]) -> str | None:
    """Who saved the value now stored: the newest history entry for that organization (or the
    system level) and key. ``entries`` newest first."""
    setting = BY_NAME.get(conflict.key)
    key = setting.key if setting is not None else conflict.key
    for entry in entries:
        if entry.key == key and entry.organization_id == conflict.organization_id:
            return entry.who
    return None


def conflict_table(conflicts: Sequence[Conflict],
                   who: Sequence[str | None] | None = None) -> Table:
    table = Table(box=None, expand=True, padding=(0, 1), show_edge=False)
    table.add_column("Setting", ratio=3, overflow="fold")
    table.add_column("When you started", ratio=2, overflow="fold")
    table.add_column("Yours", ratio=2, overflow="fold", style="bold")
    table.add_column("Saved meanwhile", ratio=2, overflow="fold", style="bold")
    for index, conflict in enumerate(conflicts):
        theirs = _value(conflict, conflict.theirs)
        by = who[index] if who is not None else None
        # Rich parses a str cell as markup: every cell is data().
        table.add_row(
            data(f"{conflict.where}: {conflict.field}"),
            data(_value(conflict, conflict.base)),
            data(_value(conflict, conflict.mine)),
            data(f"{theirs} ({by})" if by else theirs),
        )
    return table


class ConflictModal(QuestionModal[ConflictChoice | None]):
    """Keep mine (save over theirs), take theirs (drop my change to those settings), or
    cancel (nothing saved, the form keeps every edit)."""

    ANSWERS = {"mine": "mine", "theirs": "theirs"}
    BINDINGS = [
        Binding("m", "answer('mine')", "Keep mine", id="conflict.mine",
                tooltip="Save your values over the ones saved meanwhile"),
        Binding("t", "answer('theirs')", "Take theirs", id="conflict.theirs",
                tooltip="Drop your change to these settings; your other edits stay in the form"),
        Binding("escape", "answer('cancel')", "Cancel", id="conflict.cancel",
                tooltip="Save nothing now; your edits stay in the form"),
        Binding("right", "app.focus_next", show=False, id="conflict.next"),
        Binding("left", "app.focus_previous", show=False, id="conflict.previous"),
    ]

    def __init__(self, conflicts: Sequence[Conflict], *, saves_rest: bool = False) -> None:
        super().__init__()
        self.conflicts = list(conflicts)
        #: A change with no form behind it (bulk): taking theirs saves the rest at once.
        self.saves_rest = saves_rest

    def compose(self) -> ComposeResult:
        yield from dialog(
            "Saved meanwhile by someone else",
            message("Nothing was saved yet. These settings were changed since you chose the "
                    "organizations (Take theirs saves the rest of your change):"
                    if self.saves_rest else
                    "Nothing was saved. These settings were changed since you opened the form:"),
            VerticalScroll(Static(conflict_table(self.conflicts), id="conflict-table"),
                           classes="conflict-list"),
            buttons=[
                Button("Keep mine (m)", variant="warning", id="conflict-mine", name="mine"),
                Button("Take theirs (t)", variant="primary", id="conflict-theirs",
                       name="theirs"),
                Button("Cancel (Esc)", id="conflict-cancel", name="cancel")],
            title_id="conflict-title")

    def on_mount(self) -> None:
        super().on_mount()
        self._find_who()

    @work(thread=True, exclusive=True, exit_on_error=False,
          description="Finding who saved meanwhile")
    def _find_who(self) -> None:
        """Name the other admins, from the history (read off the UI thread: it can be long)."""
        who = [self._who_saved(conflict) for conflict in self.conflicts]
        self.app.call_from_thread(self._show_who, who)

    def _who_saved(self, conflict: Conflict) -> str | None:
        """Read back from the newest entry of that scope, a growing page at a time: the save
        that conflicts is recent, so this stops after a few lines of a long history."""
        limit = 50
        while True:
            entries = self.session.store.history(
                conflict.organization_id, system=conflict.organization_id is None, limit=limit)
            found = who_saved(conflict, entries)
            if found is not None or len(entries) < limit:
                return found
            limit *= 10

    def _show_who(self, who: list[str | None]) -> None:
        names = sorted({name for name in who if name})
        if names:
            self.query_one("#conflict-title", Static).update(
                data(f"Saved meanwhile by {', '.join(names)}"))
            self.query_one("#conflict-table", Static).update(conflict_table(self.conflicts, who))


async def ask_about_conflict(screen: Screen[Any], conflicts: Sequence[Conflict], *,
                             saves_rest: bool = False) -> Resolution | None:
    """The one way the app asks what to do about a conflict (from a worker: it waits for the
    person)."""
    choice = await screen.app.push_screen_wait(ConflictModal(conflicts, saves_rest=saves_rest))
    return {"mine": Resolution.KEEP_MINE, "theirs": Resolution.TAKE_THEIRS}.get(choice or "")
