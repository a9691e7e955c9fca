"""System > User Management > Organizations: the grid, its filter, marks and row actions.

What the grid shows (sort, filter, marks, finding an organization) is
:class:`outlook_tui.grid_model.GridModel`; this screen draws it (the table renders only the rows
on screen) and turns keys into its calls and into the app's other screens.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.widgets import Header, Input, Label, Static

from outlook_tui.app.icons import ICONS
from outlook_tui.app.messages import SnapshotChanged
from outlook_tui.app.safe import data
from outlook_tui.app.session import SessionScreen
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.app.widgets.read_only_banner import ReadOnlyBanner, refusal
from outlook_tui.app.widgets.text_input import TextInput
from outlook_tui.app.widgets.virtual_table import Column, VirtualTable
from outlook_tui.grid_model import GridModel
from outlook_tui.store import (
    Capability,
    Change,
    Snapshot,
    StoreError,
)
from outlook_tui.store.snapshot import column_of
from outlook_tui.text import shown_name

COLUMNS = (
    Column("name", "Name", 16, flexible=True),
    Column("status", "Status", 8),
    Column("overrides", "Overrides", 10, align="right"),
    Column("created_at", "Created At", 16),
    Column("updated_at", "Updated At", 16),
)


def when(stamp: str) -> str:
    """``2026-01-15T09:30:00Z`` as ``2026-01-15 09:30`` (UTC, as stored)."""
    return stamp[:16].replace("T", " ")


#: Actions that write: hidden from the footer in read-only mode, explained when pressed anyway.
EDITING_ACTIONS = frozenset({"new", "edit", "toggle_mark", "mark_all", "apply_setting",
                             "reset_overrides"})
#: What each of them would have done, for the refusal a view-only session gets.
REFUSED = {"new": "creating an organization", "edit": "editing an organization",
           "toggle_mark": "marking for a bulk change", "mark_all": "marking for a bulk change",
           "apply_setting": "applying a setting", "reset_overrides": "resetting overrides"}
#: Actions that create or edit organizations: hidden when the store cannot (Oro's database).
ORGANIZATION_EDITING_ACTIONS = frozenset({"new", "edit"})
#: Actions that act on marked organizations: shown only while something is marked.
BULK_ACTIONS = frozenset({"apply_setting", "reset_overrides"})


class OrganizationsScreen(SessionScreen[None]):
    """Oro's organizations grid, with Configuration as the row action."""

    HELP_TITLE = "Organizations"
    # Styles: styles/organizations.tcss, loaded by the app itself (it is the first screen).

    # The footer shows the keys in this order, as many as fit whole (80 columns: the first
    # six or so); the rest are in Help (F1) and the palette. What comes first is what each
    # person needs most. An admin: filter, Configuration, New, Edit, Mark, Mark all; once
    # something is marked, New and Edit step aside for the bulk keys (see footer_omits).
    # Support staff (view only): the editing keys are out, so Effective, Compare and History
    # move up into view.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", id="organizations.filter",
                tooltip="Narrow the organizations by name as you type"),
        Binding("c", "configuration", "Configuration", id="organizations.configuration",
                tooltip="MS Outlook Settings of the highlighted organization (also Enter)"),
        Binding("n", "new", "New", id="organizations.new",
                tooltip="Create an organization"),
        Binding("e", "edit", "Edit", id="organizations.edit",
                tooltip="Edit the highlighted organization's name, status, description"),
        Binding("space", "toggle_mark", "Mark", id="organizations.mark",
                tooltip="Mark or unmark the highlighted organization for a bulk change"),
        Binding("a", "mark_all", "Mark all", id="organizations.mark_all",
                tooltip="Mark every organization the filter shows; again to unmark them"),
        Binding("b", "apply_setting", "Apply", id="organizations.apply_setting",
                tooltip="Apply setting: one value (or Use System) on every marked organization"),
        Binding("x", "reset_overrides", "Reset", id="organizations.reset_overrides",
                tooltip="Reset overrides: marked organizations go back to Use System"),
        Binding("i", "effective", "Effective", id="organizations.effective",
                tooltip="Effective settings of the highlighted organization, and their source"),
        Binding("m", "matrix", "Compare", id="organizations.matrix",
                tooltip="Compare organizations: effective settings side by side (the marked "
                        "ones when some are marked)"),
        Binding("h", "history", "History", id="organizations.history",
                tooltip="Changes saved for the highlighted organization"),
        Binding("s", "system", "System", show=False, id="organizations.system",
                tooltip="System configuration: the values organizations inherit"),
        Binding("o", "sort", "Sort", show=False, id="organizations.sort",
                tooltip="Sort by the focused column (left/right); again to reverse"),
        # q leaves from the top screen, as in k9s, lazygit and htop (ctrl+q everywhere); the
        # filter field takes a typed q as text.
        Binding("q", "app.quit", "Quit", show=False, id="organizations.quit",
                tooltip="Leave outlook-tui (asks first about anything unsaved)"),
        Binding("escape", "clear_filter", "Clear filter", show=False,
                id="organizations.clear_filter", tooltip="Show every organization again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: The rows, their order, the filter and the marks.
        self.grid = GridModel()
        self._reason = ""
        #: An organization to put the cursor on once the snapshot that holds it arrives.
        self._wanted_id: int | None = None
        self._footer_state: tuple[bool, bool] = (False, False)

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon=ICONS.app)
        yield ReadOnlyBanner(id="read-only")
        yield VirtualTable(COLUMNS, self._row, 0, marked=self._is_marked,
                           empty_text="loading…", id="organizations")
        with Horizontal(id="filter-bar"):
            yield Label("Filter:", id="filter-label")
            yield TextInput(placeholder="name contains…", id="filter", compact=True)
            yield Label(f"Enter: first match {ICONS.dot} Esc: clear", id="filter-hint")
        yield Static("loading…", id="status")
        yield KeysFooter(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#filter-bar").display = False
        self._show_read_only()
        table = self.query_one(VirtualTable)
        table.set_sort("name")
        table.focus()
        if self.session.snapshot is not None:
            self._load(self.session.snapshot)

    def _show_read_only(self) -> None:
        self.query_one(ReadOnlyBanner).show_state()

    # -- rows ------------------------------------------------------------------------------

    def _row(self, index: int) -> list[str | Text]:
        record = self.grid.record(index)
        enabled = column_of(record, "enabled")
        count = len(column_of(record, "overrides"))
        status: str | Text = "Active" if enabled else Text("Inactive", style="italic")
        return [
            shown_name(record["name"]),
            status,
            str(count) if count else Text(ICONS.none, style="dim"),
            when(record["created_at"]),
            when(record["updated_at"]),
        ]

    def _is_marked(self, index: int) -> bool:
        return self.grid.is_marked(index)

    @property
    def highlighted(self) -> dict[str, Any] | None:
        """The record under the cursor, or None when no row is shown."""
        table = self.query_one(VirtualTable)
        if not self.grid.view or table.cursor_row >= len(self.grid.view):
            return None
        return self.grid.record(table.cursor_row)

    def _load(self, snapshot: Snapshot) -> None:
        """Take a new snapshot: index it once, keep the sort, filter, marks and the cursor on
        the same organization."""
        current = self.highlighted
        keep_id = current["id"] if current is not None else None
        hint = self.grid.view[self.query_one(VirtualTable).cursor_row] if current else None
        if self._wanted_id is not None:
            keep_id, hint, self._wanted_id = self._wanted_id, None, None
        self.grid.load(snapshot)
        self._show(keep_id, hint=hint)
        # The footer is rebuilt on refresh_bindings: only when what it shows may differ
        # (marks pruned, or read-only found while validating), not on every snapshot.
        footer_state = (bool(self.grid.marks), self.session.read_only)
        if footer_state != self._footer_state:
            self._footer_state = footer_state
            self.refresh_bindings()

    def _show(self, keep_id: int | None = None, *, cursor: int | None = None,
              hint: int | None = None) -> None:
        table = self.query_one(VirtualTable)
        if cursor is None and keep_id is not None:
            cursor = self.grid.find(keep_id, hint)
        if self.grid.snapshot is not None:
            table.empty_text = ("No organization matches the filter." if self.grid.needle
                                else "No organizations.")
        table.set_rows(len(self.grid.view), cursor=cursor)
        self._update_status()

    def _update_status(self) -> None:
        grid = self.grid
        snapshot = grid.snapshot
        parts: list[str] = []
        if snapshot is None or self._reason == "preview":
            # A preview holds only the first screenful of a big store.
            parts.append("loading…")
        else:
            total = len(grid.records)
            parts.append(f"{total:,} organization{'s' if total != 1 else ''}")
            if not snapshot.validated:
                parts.append("checking…")
        if grid.needle:
            parts.append(f"filter “{grid.needle}”: {len(grid.view):,} shown")
        if grid.marks:
            parts.append(f"{len(grid.marks):,} marked")
        column, reverse = grid.sort
        label = next(c.label for c in COLUMNS if c.key == column)
        parts.append(f"sorted by {label} "
                     f"{ICONS.descending if reverse else ICONS.ascending}")
        self.query_one("#status", Static).update(data(f" {ICONS.dot} ".join(parts), width=None))

    def on_snapshot_changed(self, event: SnapshotChanged) -> None:
        self._reason = event.reason
        self._show_read_only()
        self._load(event.snapshot)

    # -- the table -------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#organizations")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        self.action_configuration()

    @on(VirtualTable.HeaderSelected, "#organizations")
    def _header_selected(self, event: VirtualTable.HeaderSelected) -> None:
        self.action_sort()

    def action_sort(self) -> None:
        table = self.query_one(VirtualTable)
        keep = self.highlighted
        self.grid.sort_by(COLUMNS[table.cursor_column].key)
        table.set_sort(*self.grid.sort)
        self._show(keep["id"] if keep else None)

    # -- the filter ------------------------------------------------------------------------

    def action_filter(self) -> None:
        bar = self.query_one("#filter-bar")
        bar.display = True
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self.grid.snapshot is None:
            return
        self.grid.filter(event.value)
        self._show(cursor=0)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        table = self.query_one(VirtualTable)
        table.cursor_row = 0
        table.focus()
        if not event.value:
            self.query_one("#filter-bar").display = False

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        keep = self.highlighted
        self.query_one("#filter-bar").display = False
        self.query_one(VirtualTable).focus()
        if filter_input.value:
            with filter_input.prevent(Input.Changed):
                filter_input.value = ""
            self.grid.filter("")
            self._show(keep["id"] if keep else None)

    def on_key(self, event: events.Key) -> None:
        # Down from the filter goes to the table, as Enter does.
        focused = self.focused
        if event.key == "down" and isinstance(focused, Input) and focused.id == "filter":
            event.stop()
            self.query_one(VirtualTable).focus()

    # -- read-only and bulk visibility -----------------------------------------------------

    def _unavailable(self, action: str) -> tuple[str, str, SeverityLevel] | None:
        """Why ``action`` cannot be used now (a title, what to say, how strongly), or None:
        the one rule both for the footer (the key is left out) and for the key pressed
        anyway (it says this)."""
        store = self.session.store
        if action in EDITING_ACTIONS and self.session.read_only:
            return ("View only", refusal(self.session.read_only_reason, REFUSED[action]),
                    "warning")
        if action in ORGANIZATION_EDITING_ACTIONS and \
                not store.supports(Capability.ORGANIZATION_EDITING):
            return ("Not available", "Organizations cannot be created or edited here: "
                    f"{store.unsupported_reason(Capability.ORGANIZATION_EDITING)}.", "warning")
        if action in BULK_ACTIONS and not self.grid.marks:
            return ("Nothing marked", "Mark organizations first: space marks one, a marks "
                    "every one shown.", "information")
        return None

    def footer_omits(self, action: str) -> bool:
        # New and Edit also step aside for the bulk keys while something is marked.
        return self._unavailable(action) is not None or \
            (action in ORGANIZATION_EDITING_ACTIONS and bool(self.grid.marks))

    def _refused(self, action: str) -> bool:
        """Say why ``action`` cannot be used now (its key is out of the footer then)."""
        why = self._unavailable(action)
        if why is not None:
            title, message, severity = why
            self.notify(message, title=title, severity=severity)
        return why is not None

    # -- row actions -----------------------------------------------------------------------

    def _highlighted_or_say(self) -> dict[str, Any] | None:
        record = self.highlighted
        if record is None:
            self.notify("No organization is highlighted.", severity="warning")
        return record

    def action_configuration(self) -> None:
        record = self._highlighted_or_say()
        if record is not None:
            self.session.open_configuration(record["id"])

    def action_system(self) -> None:
        self.session.open_configuration(None)

    def action_effective(self) -> None:
        record = self._highlighted_or_say()
        if record is None:
            return
        self.session.open_effective(record["id"])

    def action_matrix(self) -> None:
        # With organizations marked, those side by side; else every organization.
        self.session.open_matrix(set(self.grid.marks) or None)

    def action_history(self) -> None:
        record = self._highlighted_or_say()
        if record is None:
            return
        self.session.open_history(record["id"])

    def _ready_to_write(self) -> bool:
        if not self.session.validated or self.grid.snapshot is None:
            self.notify("The store is still loading; try again in a moment.",
                        severity="warning")
            return False
        return True

    def action_new(self) -> None:
        if self._refused("new") or not self._ready_to_write():
            return
        self.session.open_organization_form(None, self._after_form)

    def action_edit(self) -> None:
        if self._refused("edit"):
            return
        record = self._highlighted_or_say()
        if record is None or not self._ready_to_write():
            return
        from outlook_tui.store import Organization

        self.session.open_organization_form(Organization.from_record(record), self._after_form)

    def _after_form(self, organization_id: int | None) -> None:
        """Put the cursor on the organization just saved (now, or when its snapshot comes)."""
        if organization_id is None:
            return
        if self.grid.snapshot is not self.session.snapshot:
            self._wanted_id = organization_id
            return
        if self.grid.needle and self.grid.find(organization_id) is None:
            self.action_clear_filter()
        at = self.grid.find(organization_id)
        if at is not None:
            self.query_one(VirtualTable).cursor_row = at

    # -- marks and bulk changes ------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        if self._refused("toggle_mark"):
            return
        if self.highlighted is None:
            return
        table = self.query_one(VirtualTable)
        self.grid.toggle_mark(table.cursor_row)
        table.refresh_row(table.cursor_row)
        table.action_cursor_down()
        self._marks_changed()

    def action_mark_all(self) -> None:
        if self._refused("mark_all"):
            return
        self.grid.mark_all()
        self.query_one(VirtualTable).refresh_rows()
        self._marks_changed()

    def _marks_changed(self) -> None:
        self._update_status()
        self.refresh_bindings()

    def action_apply_setting(self) -> None:
        if self._refused("apply_setting") or not self._ready_to_write():
            return
        from outlook_tui.app.screens.bulk import ApplySettingModal

        grid = self.grid
        assert grid.snapshot is not None
        self.app.push_screen(ApplySettingModal(grid.marked_records(), grid.snapshot.system,
                                               hidden=grid.hidden_marks()), self._bulk_chosen)

    def action_reset_overrides(self) -> None:
        if self._refused("reset_overrides") or not self._ready_to_write():
            return
        from outlook_tui.app.screens.bulk import ResetOverridesModal

        grid = self.grid
        assert grid.snapshot is not None
        self.app.push_screen(ResetOverridesModal(grid.marked_records(),
                                                 hidden=grid.hidden_marks(),
                                                 damaged=grid.snapshot.damaged),
                             self._bulk_chosen)

    def _bulk_chosen(self, plan: Any) -> None:
        """A bulk modal returned a plan; confirm it, then save it in one revision."""
        if plan is None:
            return
        from outlook_tui.app.screens.bulk import confirm_screen

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._save_bulk(plan.changes, plan.summary),
                                group="bulk-save", exclusive=True, exit_on_error=False,
                                description="Saving the bulk change")

        self.app.push_screen(confirm_screen(plan), confirmed)

    async def _save_bulk(self, changes: list[Change], summary: str) -> None:
        """Save a bulk change in one revision. On a conflict the person keeps theirs or takes
        the other writer's values for the organizations concerned; the rest is saved (there is
        no form to come back to)."""
        from outlook_tui.app.saving import notify_saved, save_changes
        from outlook_tui.store.saving import Outcome

        try:
            saved = await save_changes(self, changes, save_rest_after_theirs=True)
        except StoreError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=15)
            return
        if saved.outcome is Outcome.SAVED and saved.result is not None:
            notify_saved(self, f"{summary} (revision {saved.result.snapshot.revision}).",
                         saved.result, title="Configuration saved")
        elif saved.outcome is Outcome.NOTHING_TO_SAVE:
            self.notify("Nothing to save: every marked organization already had it.")
        elif saved.outcome is Outcome.CANCELLED:
            self.notify("Nothing was saved.", title="Cancelled")


__all__ = ["COLUMNS", "OrganizationsScreen", "when"]
