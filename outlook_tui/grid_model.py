"""The organizations grid without a screen: which organizations are shown, in which order, and
which are marked. What the grid shows stays true whatever draws it (the Textual screen,
``screens/organizations.py``, reads and drives this), and is tested on its own, as
:mod:`outlook_tui.form_model` is for the settings form.

Rows are positions into ``snapshot.records`` (already in name order), so sorting and filtering
100k organizations is list work on integers; names are casefolded once per snapshot
(``Snapshot.folded_names``: the app's background read does it before the snapshot shows), not
on every key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from outlook_tui.store.snapshot import Snapshot, column_of


def _sort_key(column: str, records: list[dict[str, Any]]) -> Callable[[int], Any]:
    if column == "status":
        return lambda i: not column_of(records[i], "enabled")  # Active first
    if column == "overrides":
        return lambda i: len(column_of(records[i], "overrides"))
    return lambda i: records[i][column]


class GridModel:
    """The grid's rows (``view``: record positions, in order, after the filter), its sort, its
    filter text and the marked organizations (by id: they outlive a new snapshot)."""

    def __init__(self) -> None:
        self.snapshot: Snapshot | None = None
        self.records: list[dict[str, Any]] = []
        #: Record positions in the current sort order (None: name order, the records' own).
        self._order: list[int] | None = None
        #: Record positions shown, after the filter.
        self.view: Sequence[int] = range(0)
        self.needle = ""
        self.sort: tuple[str, bool] = ("name", False)
        self.marks: set[int] = set()

    # -- what is shown -------------------------------------------------------------------------

    def load(self, snapshot: Snapshot) -> None:
        """Take a new snapshot, keeping the sort, the filter and the marks of organizations
        still there."""
        self.snapshot = snapshot
        self.records = snapshot.records
        if self.marks:
            self.marks &= {r["id"] for r in self.records}
        self._apply_sort()
        self.filter(self.needle, incremental=False)

    def record(self, row: int) -> dict[str, Any]:
        return self.records[self.view[row]]

    def sort_by(self, column: str) -> None:
        """Sort by ``column``; the column sorted already is reversed."""
        current, reverse = self.sort
        self.sort = (column, not reverse if column == current else False)
        self._apply_sort()
        self.filter(self.needle, incremental=False)

    def _apply_sort(self) -> None:
        column, reverse = self.sort
        if column == "name" and not reverse:
            self._order = None
        elif column == "name":
            self._order = list(range(len(self.records) - 1, -1, -1))
        else:
            # Stable on the name order underneath, so ties stay alphabetical.
            self._order = sorted(range(len(self.records)),
                                 key=_sort_key(column, self.records), reverse=reverse)

    @property
    def _folded(self) -> list[str]:
        return [] if self.snapshot is None else self.snapshot.folded_names()

    def filter(self, needle: str, *, incremental: bool = True) -> None:
        """Show the organizations whose name holds ``needle`` (ignoring case). A needle that
        extends the last one narrows the rows already shown."""
        needle = needle.casefold()
        if not needle:
            self.view = self._order if self._order is not None else range(len(self.records))
            self.needle = needle
            return
        folded = self._folded
        if incremental and self.needle and needle.startswith(self.needle):
            self.view = [i for i in self.view if needle in folded[i]]
        else:
            source = self._order if self._order is not None else range(len(folded))
            self.view = [i for i in source if needle in folded[i]]
        self.needle = needle

    def find(self, organization_id: int, hint: int | None = None) -> int | None:
        """The organization's row, or None when it is not shown. ``hint``: the record
        position it had (usually still right: no index to build)."""
        if self.snapshot is None:
            return None
        if hint is not None and hint < len(self.records) and \
                self.records[hint]["id"] == organization_id:
            at: int | None = hint
        else:
            at = self.snapshot.position(organization_id)
        if at is None:
            return None
        if isinstance(self.view, range):
            return self.view.index(at) if at in self.view else None
        try:
            return self.view.index(at)
        except ValueError:
            return None

    # -- marks -----------------------------------------------------------------------------------

    def is_marked(self, row: int) -> bool:
        return self.record(row)["id"] in self.marks

    def toggle_mark(self, row: int) -> None:
        self.marks ^= {self.record(row)["id"]}

    def mark_all(self) -> None:
        """Mark every organization shown; when all of them are marked already, unmark them."""
        ids = {self.records[i]["id"] for i in self.view}
        if ids and ids <= self.marks:
            self.marks -= ids
        else:
            self.marks |= ids

    def marked_records(self) -> list[dict[str, Any]]:
        """The marked organizations, in name order."""
        return [r for r in self.records if r["id"] in self.marks]

    def hidden_marks(self) -> int:
        """Marked organizations the filter does not show (a bulk change names them)."""
        if not self.needle:
            return 0
        shown = sum(1 for i in self.view if self.records[i]["id"] in self.marks)
        return len(self.marks) - shown


__all__ = ["GridModel"]
