"""Compare organizations: organizations as rows, settings as columns, each cell the effective
value; a cell the organization overrides is bold, colored and marked ``*`` (``!`` when the
override equals the inherited value), so it reads without color too.

Built for 100k organizations: the rows are a lazy :class:`outlook_tui.compare.Comparison` (one
list scan per filter change) shown in a VirtualTable that resolves only the rows it paints.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from outlook_tui.app.icons import ICONS
from outlook_tui.app.messages import SnapshotChanged
from outlook_tui.app.safe import data, plain
from outlook_tui.app.session import SessionScreen
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.app.widgets.read_only_banner import ReadOnlyBanner
from outlook_tui.app.widgets.text_input import TextInput
from outlook_tui.app.widgets.virtual_table import Cell, Column, VirtualTable
from outlook_tui.catalog import CATALOG
from outlook_tui.compare import OVERRIDE_MARK, STALE_MARK, Comparison, column_width
from outlook_tui.text import shown_name
from outlook_tui.words import counted

#: Wait this long after the last key in the filter before scanning (100k names: ~30 ms).
FILTER_DELAY = 0.15


class MatrixTable(VirtualTable):
    """The matrix's table: adds the looks of overridden and stale cells (styled in matrix.tcss)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = VirtualTable.COMPONENT_CLASSES | {
        "matrix--override", "matrix--stale"}


class MatrixScreen(SessionScreen[None]):
    """Compare organizations: every organization's effective values side by side."""

    CSS_PATH = "../styles/matrix.tcss"
    HELP_TITLE = "Compare organizations"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="matrix.back",
                tooltip="Back (in the filter: clear it)"),
        Binding("slash", "filter", "Filter", id="matrix.filter",
                tooltip="Show only organizations whose name contains the text typed"),
        Binding("o", "only_overrides", "Overrides", id="matrix.only_overrides",
                tooltip="Show only organizations that override a setting, or all again"),
        Binding("s", "only_stale", "Stale", id="matrix.only_stale",
                tooltip="Show only organizations with a stale override (same as inherited), "
                        "or all again"),
        # Enter does the same (the table's own Enter, handled in on_virtual_table_row_selected).
        Binding("i", "effective", "Effective", id="matrix.effective",
                tooltip="Effective settings of the highlighted organization (or Enter)"),
        # Not in the footer (it would be cut at 80 columns); in the palette and Help.
        Binding("h", "history", "History", show=False, id="matrix.history",
                tooltip="History of the highlighted organization"),
    ]

    def __init__(self, chosen: Collection[int] | None = None) -> None:
        """``chosen``: the organizations to compare side by side (the marked ones); None for
        every organization."""
        super().__init__()
        self.chosen = frozenset(chosen) if chosen else None
        self.title = ("Compare organizations" if self.chosen is None
                      else f"Compare {counted(len(self.chosen), 'marked organization')}")
        self.name_filter = ""
        self.only_overrides = False
        self.only_stale = False
        self.comparison: Comparison | None = None
        self._filter_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon=ICONS.app)
        yield ReadOnlyBanner()
        yield TextInput(placeholder="Filter by name (Enter: keep, Escape: clear)", id="filter",
                    compact=True)
        yield Static("", id="status", markup=False)
        columns = [Column("name", "Organization", 14, flexible=True, cut="middle")]
        columns += [Column(s.name, s.short_label, column_width(s)) for s in CATALOG]
        yield MatrixTable(columns, self._row, 0, empty_text="Loading…", id="matrix")
        yield Static("", id="detail", markup=False)
        yield Static("", id="legend", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#filter").display = False
        table = self.query_one(MatrixTable)
        table.focus()
        self.watch(table, "cursor_column", lambda: self._show_detail(), init=False)
        self._rebuild()

    # -- rows ----------------------------------------------------------------------------------

    def _rebuild(self, keep_id: int | None = None) -> None:
        """Filter again (one list scan) and keep the cursor on ``keep_id`` if still shown."""
        table = self.query_one(MatrixTable)
        snapshot = self.session.snapshot
        if snapshot is None:
            self.comparison = None
            table.set_rows(0)
            self._show_status()
            return
        if keep_id is None and self.comparison is not None and len(self.comparison):
            keep_id = self._highlighted_id()
        self.comparison = Comparison(snapshot, self.name_filter, self.only_overrides,
                                     only_stale=self.only_stale, only_ids=self.chosen)
        cursor = self.comparison.index_of(keep_id) if keep_id is not None else None
        table.empty_text = ("No organization matches." if self.name_filter or
                            self.only_overrides or self.only_stale or self.chosen
                            else "No organizations yet.")
        table.set_rows(len(self.comparison), self._row, cursor=cursor or 0)
        self._show_status()
        self._show_detail()

    def _row(self, index: int) -> list[Cell]:
        assert self.comparison is not None
        table = self.query_one(MatrixTable)
        row = self.comparison[index]
        override = table.get_component_rich_style("matrix--override", partial=True)
        stale = table.get_component_rich_style("matrix--stale", partial=True)
        cells: list[Cell] = [shown_name(row.name)]
        for cell in row.cells:
            if cell.stale:
                cells.append(Text(cell.text, style=stale))
            elif cell.overridden:
                cells.append(Text(cell.text, style=override))
            else:
                cells.append(cell.text)
        return cells

    def _highlighted_id(self) -> int | None:
        if self.comparison is None or not len(self.comparison):
            return None
        index = self.query_one(MatrixTable).cursor_row
        if not 0 <= index < len(self.comparison):
            return None
        organization_id: int = self.comparison[index].organization_id
        return organization_id

    def _show_status(self) -> None:
        snapshot = self.session.snapshot
        total = len(snapshot) if snapshot is not None else 0
        shown = len(self.comparison) if self.comparison is not None else 0
        parts = [f"{shown} of {total} organizations" if shown != total else
                 f"{total} organizations"]
        if self.name_filter:
            parts.append(f"name contains {self.name_filter!r}")
        if self.chosen is not None:
            parts.append("marked ones only")
        if self.only_stale:
            parts.append("only those with a stale override")
        elif self.only_overrides:
            parts.append("only those with overrides")
        if snapshot is not None and not snapshot.validated:
            parts.append("loading…")
        self.query_one("#status", Static).update(data(f" {ICONS.dot} ".join(parts)))

    def _show_detail(self) -> None:
        """The highlighted organization's overrides with full labels, and the focused column."""
        detail = self.query_one("#detail", Static)
        legend = self.query_one("#legend", Static)
        table = self.query_one(MatrixTable)
        column = table.columns[table.cursor_column]
        # The column's full name, and what its compact values stand for in Oro's words.
        setting = CATALOG[table.cursor_column - 1] if table.cursor_column else None
        legend.update(
            f"{OVERRIDE_MARK} own value  {STALE_MARK} stale override  {ICONS.dot}  "
            + (f"{column.label}: {setting.label}" if setting is not None
               else "left/right: full column names and values")
            + (f"\n{setting.legend()}" if setting is not None and setting.short_forms else ""))
        if self.comparison is None or not len(self.comparison):
            detail.update("")
            return
        row = self.comparison[min(table.cursor_row, len(self.comparison) - 1)]
        overridden = [c for c in row.cells if c.overridden]
        if not overridden:
            detail.update(data(f"{row.name}: no overrides; every setting follows the system."))
            return
        detail.update(data(f"{plain(row.name, width=40)}: " + "; ".join(
            f"{c.setting.label} {c.setting.label_of(c.value)}"
            + (" (same as inherited)" if c.stale
               else f" (inherits {c.setting.label_of(c.effective.inherited)})")
            for c in overridden), width=None))

    def on_virtual_table_row_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        self._show_detail()

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        self._rebuild()

    # -- filter --------------------------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._apply_filter)

    def _apply_filter(self) -> None:
        value = self.query_one("#filter", Input).value
        if value != self.name_filter:
            self.name_filter = value
            self._rebuild()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._apply_filter()
        field = self.query_one("#filter", Input)
        field.display = bool(self.name_filter)
        self.query_one(MatrixTable).focus()

    def action_back(self) -> None:
        field = self.query_one("#filter", Input)
        if field.has_focus:
            field.value = ""
            self._apply_filter()
            field.display = False
            self.query_one(MatrixTable).focus()
            return
        self.dismiss()

    def action_only_overrides(self) -> None:
        self.only_overrides = not self.only_overrides
        self._rebuild()

    def action_only_stale(self) -> None:
        self.only_stale = not self.only_stale
        self._rebuild()

    # -- opening -------------------------------------------------------------------------------

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        message.stop()
        self.action_effective()

    def action_effective(self) -> None:
        organization_id = self._highlighted_id()
        if organization_id is not None:
            self.session.open_effective(organization_id)

    def action_history(self) -> None:
        organization_id = self._highlighted_id()
        if organization_id is not None:
            self.session.open_history(organization_id)
