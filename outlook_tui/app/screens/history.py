"""History: who changed what, when, newest first; for one organization, the system level or
the whole store.

The history can hold millions of lines: the newest page is read (from the end of the file) in a
thread worker, the next page when the table paints rows near the end of what was read, and the
table (a VirtualTable) describes only the rows it paints. Read-only: works in read-only mode.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Static

from outlook_tui.app.icons import ICONS
from outlook_tui.app.messages import SnapshotChanged
from outlook_tui.app.safe import assemble, data
from outlook_tui.app.session import SessionScreen
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.app.widgets.read_only_banner import ReadOnlyBanner
from outlook_tui.app.widgets.virtual_table import Cell, Column, VirtualTable
from outlook_tui.catalog import CATALOG
from outlook_tui.history_text import DescribedEntry, describe
from outlook_tui.store import HistoryEntry, StoreError
from outlook_tui.words import counted

#: Entries read at a time: the first page paints at once; scrolling near its end reads the next.
PAGE = 500


class HistoryScreen(SessionScreen[None]):
    """Entries newest first. ``HistoryScreen()`` shows everything, with an Organization column."""

    CSS_PATH = "../styles/history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history.back",
                tooltip="Back to the previous screen"),
        Binding("e", "effective", "Effective settings", id="history.effective",
                tooltip="Effective settings of the highlighted entry's organization"),
        Binding("r", "reload", "Reload", id="history.reload",
                tooltip="Read the history file again"),
    ]

    def __init__(self, organization_id: int | None = None, *, system: bool = False) -> None:
        super().__init__()
        self.organization_id = organization_id
        self.system = system
        self.entries: list[HistoryEntry] = []
        self._described: dict[int, DescribedEntry] = {}
        self._limit = PAGE  # how many of the newest entries to read
        self.complete = False  # True once the oldest entry has been read
        self.title = "History"

    @property
    def whole_store(self) -> bool:
        return self.organization_id is None and not self.system

    def _heading(self) -> str:
        if self.system:
            return "History of System configuration"
        if self.organization_id is None:
            return "History of all changes"
        snapshot = self.session.snapshot
        organization = snapshot.get(self.organization_id) if snapshot is not None else None
        if organization is None:
            return f"History of organization {self.organization_id}"
        return f"History of {organization.name}"

    def compose(self) -> ComposeResult:
        yield Header(icon=ICONS.app)
        yield ReadOnlyBanner()
        yield Static(data(self._heading()), id="heading")
        # At 80 columns the change gets what is left; the line below shows the entry in full
        # (with the SSH client beside the user).
        columns = [Column("when", "When (UTC)", 16), Column("who", "User", 8)]
        if self.whole_store:
            columns.append(Column("where", "Organization", 12))
        # At 80 columns the change keeps 34 columns; wider, the setting grows to its longest
        # label and the change takes the rest.
        longest = max(len(s.label) for s in CATALOG)
        columns += [Column("what", "Setting", 16 if self.whole_store else 19, flexible=True,
                           max_width=longest),
                    Column("change", "Old -> New", 24 if self.whole_store else 34,
                           flexible=True)]
        yield VirtualTable(columns, self._row, 0, empty_text="Reading the history…",
                           id="entries")
        yield Static("", id="detail", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(VirtualTable).focus()
        self._read()

    # -- reading -------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="history", exit_on_error=False,
          description="Reading the history")
    def _read(self) -> None:
        limit = self._limit
        try:
            entries = self.session.store.history(self.organization_id, system=self.system,
                                                 limit=limit)
        except (StoreError, OSError) as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        self.app.call_from_thread(self._show, entries, len(entries) < limit)

    def _more(self) -> None:
        """The table paints rows near the end of what was read: read the next page."""
        if not self.complete and self._limit <= len(self.entries):
            self._limit = len(self.entries) + PAGE
            self._read()

    def _failed(self, message: str) -> None:
        table = self.query_one(VirtualTable)
        table.empty_text = f"The history could not be read: {message}"
        table.set_rows(0)

    def _show(self, entries: list[HistoryEntry], complete: bool) -> None:
        table = self.query_one(VirtualTable)
        # Keep the cursor on the entry it was on: new entries arrive at the top.
        cursor = table.cursor_row + self._arrived(entries) if self.entries else 0
        self.entries = entries
        self.complete = complete
        self._described.clear()
        table.empty_text = "No changes recorded yet."
        table.set_rows(len(entries), self._row, cursor=max(cursor, 0))
        shown = counted(len(entries), "change") + ("" if complete else " and older ones")
        self.query_one("#heading", Static).update(
            data(f"{self._heading()} {ICONS.dot} {shown}, newest first"))
        self._show_detail(table.cursor_row)

    def _arrived(self, entries: list[HistoryEntry]) -> int:
        """How many of ``entries`` are newer than the newest entry shown so far."""
        newest = self.entries[0]
        for index, entry in enumerate(entries[:PAGE]):
            if entry == newest:
                return index
        return 0

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        if message.reason in ("saved", "external"):
            self._read()

    # -- rows ----------------------------------------------------------------------------------

    def _describe(self, index: int) -> DescribedEntry:
        found = self._described.get(index)
        if found is None:
            found = self._described[index] = describe(self.entries[index])
        return found

    def _row(self, index: int) -> list[Cell]:
        if index >= len(self.entries) - PAGE // 5 and not self.complete:
            self.call_later(self._more)
        entry = self._describe(index)
        cells: list[Cell] = [entry.when[:16], self.entries[index].user]
        if self.whole_store:
            cells.append(entry.where)
        cells += [entry.what, entry.change]
        return cells

    def on_virtual_table_row_highlighted(self, message: VirtualTable.RowHighlighted) -> None:
        self._show_detail(message.index)

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#detail", Static)
        if not 0 <= index < len(self.entries):
            detail.update("")
            return
        entry = self._describe(index)
        revision = self.entries[index].revision
        where = f"{entry.where} {ICONS.dot} " if entry.where else ""
        dot = ICONS.dot
        heading = f"{entry.when} UTC {dot} {entry.who} {dot} revision {revision}"
        detail.update(assemble(data(heading), "\n", data(f"{where}{entry.what}: {entry.change}")))

    # -- actions -------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_reload(self) -> None:
        self._read()

    def on_virtual_table_row_selected(self, message: VirtualTable.RowSelected) -> None:
        self.action_effective()

    def action_effective(self) -> None:
        index = self.query_one(VirtualTable).cursor_row
        if not 0 <= index < len(self.entries):
            return
        organization_id = self.entries[index].organization_id
        snapshot = self.session.snapshot
        if organization_id is None or snapshot is None or snapshot.get(organization_id) is None:
            self.notify("This entry is not about an organization that exists now.",
                        severity="warning")
            return
        self.session.open_effective(organization_id)
