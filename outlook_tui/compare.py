"""Compare organizations: every organization's effective values side by side, overrides marked.

The data behind the matrix screen and ``outlook-tui diff``. Pure: no Textual, no I/O. With 100k
organizations nothing is resolved up front: :class:`Comparison` filters with a cheap scan of the
raw records and resolves one row's effective values only when that row is asked for.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from outlook_tui.catalog import BY_NAME, CATALOG, Setting, Value, same_value
from outlook_tui.scopes import EffectiveValue, effective
from outlook_tui.store.snapshot import Snapshot, column_of
from outlook_tui.text import cells, printable, shown_name

#: Beside a value the organization stores itself (its Use System checkbox is cleared).
OVERRIDE_MARK = "*"
#: Beside an override equal to the inherited value: it no longer follows system changes.
STALE_MARK = "!"

LEGEND = (
    f"{OVERRIDE_MARK} the organization's own value (Use System cleared)\n"
    f"{STALE_MARK} its own value equals the one it would inherit (a stale override)"
)


@dataclass(frozen=True, slots=True)
class ComparedCell:
    """One setting of one organization in the matrix."""

    effective: EffectiveValue

    @property
    def setting(self) -> Setting:
        return self.effective.setting

    @property
    def value(self) -> Value:
        return self.effective.value

    @property
    def overridden(self) -> bool:
        return self.effective.overridden

    @property
    def stale(self) -> bool:
        return self.effective.stale_override

    @property
    def mark(self) -> str:
        """``*`` for an override, ``!`` for a stale one, a space otherwise (reads without color)."""
        if self.stale:
            return STALE_MARK
        return OVERRIDE_MARK if self.overridden else " "

    @property
    def short(self) -> str:
        """The compact value, without its mark (``Yes``, ``300``, ``Both ways``)."""
        return self.setting.short_label_of(self.value)

    @property
    def text(self) -> str:
        """The compact value followed by its mark: ``300*``, ``Yes!``, ``Both ways ``."""
        return self.short + self.mark


@dataclass(frozen=True, slots=True)
class ComparedRow:
    """One organization: its effective values in catalog order."""

    organization_id: int
    name: str
    enabled: bool
    cells: tuple[ComparedCell, ...]

    @property
    def overrides(self) -> int:
        return sum(1 for cell in self.cells if cell.overridden)

    @property
    def stale_overrides(self) -> int:
        return sum(1 for cell in self.cells if cell.stale)

    def cell(self, name: str) -> ComparedCell:
        for cell in self.cells:
            if cell.setting.name == name:
                return cell
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        """For ``outlook-tui diff --json``: stored values, their source, overridden and stale."""
        return {
            "id": self.organization_id,
            "name": self.name,
            "enabled": self.enabled,
            "settings": {
                cell.setting.name: {
                    "value": cell.value,
                    "source": str(cell.effective.source),
                    "overridden": cell.overridden,
                    "stale": cell.stale,
                    "inherited": cell.effective.inherited,
                }
                for cell in self.cells
            },
        }


def compared_row(record: Mapping[str, Any], system: Mapping[str, Value]) -> ComparedRow:
    """Resolve one raw organization record against the system scope."""
    values = effective(column_of(record, "overrides"), system)
    return ComparedRow(
        organization_id=record["id"],
        name=record["name"],
        enabled=column_of(record, "enabled"),
        cells=tuple(ComparedCell(values[s.name]) for s in CATALOG),
    )


#: Casefolded names per snapshot, built at the first name filter: later keystrokes scan a list
#: of plain strings (a few ms for 100k) instead of folding every name again.
_FOLDED: weakref.WeakKeyDictionary[Snapshot, list[str]] = weakref.WeakKeyDictionary()


def _folded_names(snapshot: Snapshot) -> list[str]:
    names = _FOLDED.get(snapshot)
    if names is None:
        names = _FOLDED[snapshot] = [r["name"].casefold() for r in snapshot.records]
    return names


def has_stale(overrides: Mapping[str, Value], system: Mapping[str, Value]) -> bool:
    """An override equal to the value the organization would inherit (system, else default)."""
    return any(name in BY_NAME and same_value(value, system.get(name, BY_NAME[name].default))
               for name, value in overrides.items())


def matching_positions(
    snapshot: Snapshot, name_filter: str | None = None, only_overrides: bool = False,
    *, only_stale: bool = False, only_ids: Collection[int] | None = None,
) -> list[int]:
    """Positions (in name order) of the organizations kept by the filters: a name containing
    ``name_filter`` (case-insensitive); with ``only_overrides``, at least one override; with
    ``only_stale``, at least one stale override; with ``only_ids``, one of those organizations
    (the marked ones, side by side).

    One list scan of the raw records; no effective value is computed.
    """
    records = snapshot.records
    needle = (name_filter or "").strip().casefold()
    positions: Iterable[int] = range(len(records))
    if only_ids is not None:
        found = (snapshot.position(i) for i in only_ids)
        positions = sorted(at for at in found if at is not None)
    if needle:
        names = _folded_names(snapshot)
        positions = [i for i in positions if needle in names[i]]
    if only_overrides or only_stale:
        positions = [i for i in positions if records[i].get("overrides")]
    if only_stale:
        system = snapshot.system
        positions = [i for i in positions if has_stale(column_of(records[i], "overrides"), system)]
    return list(positions)


class Comparison(Sequence[ComparedRow]):
    """The filtered organizations of one snapshot, resolved lazily row by row.

    ``comparison[i]`` resolves the i-th kept organization when it is asked for (a screen asks
    only for the rows it paints), so building one for 100k organizations costs one list scan.
    """

    def __init__(self, snapshot: Snapshot, name_filter: str | None = None,
                 only_overrides: bool = False, *, only_stale: bool = False,
                 only_ids: Collection[int] | None = None) -> None:
        self.snapshot = snapshot
        self.name_filter = name_filter
        self.only_overrides = only_overrides
        self.positions = matching_positions(snapshot, name_filter, only_overrides,
                                            only_stale=only_stale, only_ids=only_ids)

    def __len__(self) -> int:
        return len(self.positions)

    def __getitem__(self, index: int) -> ComparedRow:  # type: ignore[override]
        return compared_row(self.snapshot.records[self.positions[index]], self.snapshot.system)

    def __iter__(self) -> Iterator[ComparedRow]:
        records, system = self.snapshot.records, self.snapshot.system
        return (compared_row(records[at], system) for at in self.positions)

    def index_of(self, organization_id: int) -> int | None:
        """Where an organization stands among the kept rows, or None if filtered out."""
        at = self.snapshot.position(organization_id)
        if at is None:
            return None
        found = bisect_left(self.positions, at)
        if found < len(self.positions) and self.positions[found] == at:
            return found
        return None


def compare_rows(
    snapshot: Snapshot, name_filter: str | None = None, only_overrides: bool = False
) -> Iterator[ComparedRow]:
    """Every kept organization's effective values, in name order, resolved as iterated."""
    return iter(Comparison(snapshot, name_filter, only_overrides))


def column_width(setting: Setting) -> int:
    """Wide enough for the short label and every compact value plus its mark."""
    if setting.choices:
        widest = max(len(setting.short_label_of(c.value)) for c in setting.choices)
    elif setting.maximum is not None:
        widest = max(len(str(setting.maximum)), len(str(setting.minimum)))
    else:
        widest = max(len(setting.short_label_of(True)), len(setting.short_label_of(False)))
    return max(len(setting.short_label), widest + 1)


def format_table(rows: Iterable[ComparedRow], *, legend: bool = True) -> str:
    """Plain text for a terminal or a ticket: one line per organization, short column labels,
    marks instead of color, then the legend and the full column names."""
    name_header = "Organization"
    materialized = list(rows)
    names = [printable(shown_name(r.name)) for r in materialized]  # escaped, measured in cells
    name_width = max([len(name_header), *(cells(n) for n in names)])
    widths = [column_width(s) for s in CATALOG]
    lines = ["  ".join([name_header.ljust(name_width),
                        *(s.short_label.ljust(w) for s, w in zip(CATALOG, widths, strict=True))])
             .rstrip()]
    for row, name in zip(materialized, names, strict=True):
        values = [cell.text.ljust(w) for cell, w in zip(row.cells, widths, strict=True)]
        lines.append("  ".join([name + " " * (name_width - cells(name)), *values]).rstrip())
    if legend:
        lines.append("")
        lines.append(LEGEND)
        lines.extend(f"{s.short_label}: {s.label}" + (f" ({s.legend()})" if s.short_forms else "")
                     for s in CATALOG if s.short_label != s.label or s.short_forms)
    return "\n".join(lines)  # no final newline: callers print() it
