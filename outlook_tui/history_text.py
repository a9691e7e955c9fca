"""History entries in words, as the History screen and the command line show them.

Setting keys become the catalog's labels, stored values Oro's labels (``Both`` -> Bidirectional),
a missing value "(Use System)" (or "(Use default)" at system level, as Oro's checkbox says), and
the store's own events (a history gap, a restored backup) a sentence. Pure: no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from outlook_tui.catalog import SECTION, lookup
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.outside import OUTSIDE
from outlook_tui.text import shown_name
from outlook_tui.words import counted

USE_SYSTEM = "(Use System)"
USE_DEFAULT = "(Use default)"

_COLUMNS = {"name": "Name", "description": "Description", "enabled": "Status"}
_EVENTS = {
    "history_gap": "History gap",
    "history_ahead": "History ahead of store",
    "restore": "Backup restored",
    "unreadable": "Unreadable line",
    "not_compared": "Changed outside outlook-tui, not compared",
}


@dataclass(frozen=True, slots=True)
class DescribedEntry:
    when: str  # "2026-01-15 09:30:00" (UTC)
    who: str  # user, and @ssh-client over SSH
    where: str  # the organization's name, "System", or "" for a store event
    what: str  # a setting's label, an organization column, or the event
    old: str
    new: str
    detail: str = ""  # the store's explanation of an event

    @property
    def change(self) -> str:
        """``old -> new``, or the event's detail."""
        if self.detail:
            return self.detail
        if not self.old:
            return self.new
        return f"{self.old} -> {self.new}"


#: The time of a change nobody recorded and no row dates (a row deleted outside outlook-tui).
UNKNOWN_TIME = "time unknown"


def when(time: str) -> str:
    """``2026-01-15T09:30:00Z`` -> ``2026-01-15 09:30:00`` (the history is in UTC)."""
    return time.replace("T", " ").removesuffix("Z")


def _value(entry: HistoryEntry, value: Any) -> str:
    key = entry.key or ""
    if key.startswith(SECTION + "."):
        if isinstance(value, dict) and "damaged" in value:
            return f"damaged {value['damaged']!r}"
        if value is None:
            return USE_DEFAULT if entry.scope == "system" else USE_SYSTEM
        try:
            return lookup(key).label_of(value)
        except KeyError:
            return str(value)
    if key == "enabled" and isinstance(value, bool):
        return "Active" if value else "Inactive"
    if value is None:
        return ""
    return str(value)


def describe(entry: HistoryEntry) -> DescribedEntry:
    """One history line in words."""
    if entry.event:
        return DescribedEntry(when(entry.time), entry.who, "", _EVENTS.get(entry.event,
                              entry.event.replace("_", " ").capitalize()), "", "",
                              entry.detail or "")
    if entry.scope == "system":
        where = "System"
    else:
        where = shown_name(entry.organization_name) if entry.organization_name is not None \
            else f"organization {entry.organization_id}" if entry.organization_id is not None \
            else ""
    key = entry.key or ""
    if key == "organization":
        if entry.new is None:  # a restore's plan: a backup without this organization
            return DescribedEntry(when(entry.time), entry.who, where, "Organization removed",
                                  _value(entry, entry.old), "")
        return DescribedEntry(when(entry.time), entry.who, where, "Organization created", "",
                              _value(entry, entry.new))
    if key.startswith(SECTION + "."):
        try:
            what = lookup(key).label
        except KeyError:
            what = key  # a setting this version does not know: show the key as stored
    else:
        what = _COLUMNS.get(key, key)
    # Only a change outside outlook-tui has no time: a row deleted in Oro leaves none.
    return DescribedEntry(when(entry.time) or UNKNOWN_TIME, entry.who, where, what,
                          _value(entry, entry.old),
                          _value(entry, entry.new))


def changes_by(entries: list[HistoryEntry]) -> str:
    """Who made ``entries`` (newest first), for the notice of changes by others: "2 changes
    saved by alice", "1 change made outside outlook-tui", or both joined by "and"."""
    who = {entry.who for entry in entries}
    said = []
    if who - {OUTSIDE}:
        said.append(f"saved by {', '.join(sorted(who - {OUTSIDE}))}")
    if OUTSIDE in who:
        said.append(f"made {OUTSIDE}")
    return f"{counted(len(entries), 'change')} {' and '.join(said)}"
