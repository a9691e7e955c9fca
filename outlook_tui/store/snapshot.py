"""A read-only view of one committed revision of the store."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outlook_tui.catalog import Value
from outlook_tui.scopes import EffectiveValue, effective, system_effective
from outlook_tui.store.damaged import DamagedValue
from outlook_tui.store.errors import InputError
from outlook_tui.text import quoted

#: (device, inode, size, mtime in ns) of the file a snapshot was read from. Every commit replaces
#: the file (a new inode), and a hand edit changes size or mtime: a cheap "has it changed?" test.
Fingerprint = tuple[int, int, int, int]
#: What a snapshot was read at: a file's :data:`Fingerprint`, or a database's change token.
Token = tuple[int, ...]


#: The columns an organization record may leave out, and what they then mean.
ORGANIZATION_DEFAULTS: Mapping[str, Any] = {"description": "", "enabled": True, "overrides": {}}


def organization_record(organization_id: int, name: str, now: str, *, description: str = "",
                        enabled: bool = True, overrides: Mapping[str, Value] | None = None,
                        ) -> dict[str, Any]:
    """A new organization as the store holds it: every column, in the written order."""
    return {"id": organization_id, "name": name, "description": description,
            "enabled": enabled, "created_at": now, "updated_at": now,
            "overrides": dict(overrides or {})}


def column_of(record: Mapping[str, Any], column: str) -> Any:
    """A column of an organization record, with its default when the record leaves it out."""
    return record.get(column, ORGANIZATION_DEFAULTS.get(column))


def sort_key(name: str) -> tuple[str, str]:
    """Organizations are kept in name order, case-insensitively, as Oro's grid sorts them."""
    return (name.casefold(), name)


@dataclass(frozen=True, slots=True)
class Organization:
    id: int
    name: str
    description: str
    enabled: bool
    created_at: str
    updated_at: str
    overrides: Mapping[str, Value]

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Organization:
        return cls(
            id=record["id"],
            name=record["name"],
            description=column_of(record, "description"),
            enabled=column_of(record, "enabled"),
            created_at=record["created_at"],
            updated_at=record["updated_at"],
            overrides=column_of(record, "overrides"),
        )

    @property
    def status(self) -> str:
        return "Active" if self.enabled else "Inactive"


#: An organization id as typed: ASCII digits only (``²`` is a digit to str.isdigit, not to
#: int), and no more than a 64-bit id has (a 5,000-digit argument is a name not found).
_ID = re.compile(r"[0-9]{1,19}")

class Snapshot:
    """One revision: the header, the system scope and the organizations, in name order.

    ``validated`` is False for a document the app has parsed but not yet checked; the store never
    writes on top of such a snapshot (it re-reads and validates under the lock instead).
    """

    def __init__(
        self,
        document: dict[str, Any],
        *,
        path: Path | None = None,
        fingerprint: Token | None = None,
        validated: bool = True,
        id_positions: dict[int, int] | None = None,
    ) -> None:
        self.document = document
        self.path = path
        self.fingerprint = fingerprint
        self.validated = validated
        #: Given when known already (a commit that moved no organization keeps its base's).
        self._by_id: dict[int, int] | None = id_positions
        self._by_name: dict[str, int] | None = None
        self._folded: list[str] | None = None

    @property
    def schema_version(self) -> int:
        return int(self.document["schema_version"])

    @property
    def store_id(self) -> str:
        return str(self.document["store_id"])

    @property
    def revision(self) -> int:
        return int(self.document["revision"])

    @property
    def system(self) -> Mapping[str, Value]:
        return self.document.get("system", {})

    @property
    def records(self) -> list[dict[str, Any]]:
        """The raw organization records, in name order. Do not modify them."""
        return self.document.get("organizations", [])

    @property
    def damaged(self) -> list[DamagedValue]:
        """Stored values this tool cannot accept (Oro's database: out of range, an unknown
        choice...), each naming its row. They are shown, never silently replaced."""
        return self.document.get("damaged", [])

    def __len__(self) -> int:
        return len(self.records)

    def organizations(self) -> Iterator[Organization]:
        return (Organization.from_record(r) for r in self.records)

    def id_positions(self) -> dict[int, int]:
        """Organization id -> position in name order; built once per snapshot. Do not modify."""
        if self._by_id is None:
            self._by_id = {r["id"]: i for i, r in enumerate(self.records)}
        return self._by_id

    def folded_names(self, pause: Callable[[], None] | None = None) -> list[str]:
        """Each organization's name casefolded (what the filter matches), in name order;
        built once per snapshot (at 100k, ~20 ms: a background read builds it before the
        snapshot is shown, ``pause()`` every 1,000). Do not modify."""
        if self._folded is None:
            folded: list[str] = []
            records = self.records
            for start in range(0, len(records), 1000):
                folded += [r["name"].casefold() for r in records[start:start + 1000]]
                if pause is not None:
                    pause()
            self._folded = folded
        return self._folded

    def position(self, organization_id: int) -> int | None:
        """Where the organization stands in name order, or None."""
        return self.id_positions().get(organization_id)

    def get(self, organization_id: int) -> Organization | None:
        at = self.position(organization_id)
        return None if at is None else Organization.from_record(self.records[at])

    def by_name(self, name: str) -> Organization | None:
        if self._by_name is None:
            self._by_name = {r["name"]: i for i, r in enumerate(self.records)}
        at = self._by_name.get(name)
        return None if at is None else Organization.from_record(self.records[at])

    def find(self, ref: str | int) -> Organization:
        """An organization by its id or its exact name; InputError names what was not found."""
        if isinstance(ref, int) or (isinstance(ref, str) and _ID.fullmatch(ref.strip())):
            found = self.get(int(ref))
            if found is not None:
                named = self.by_name(ref) if isinstance(ref, str) else None
                if named is not None and named.id != found.id:
                    raise InputError(
                        f"{quoted(str(ref))} is ambiguous: it is the id of {found.name!r} and the "
                        f"name of the organization with id {named.id}; name {found.name!r} or "
                        f"use id "
                        f"{named.id} instead")
                return found
        if isinstance(ref, str):
            found = self.by_name(ref)
            if found is not None:
                return found
            lowered = ref.casefold()
            near = [r["name"] for r in self.records if lowered in r["name"].casefold()][:5]
            hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
            raise InputError(f"no organization with id or name {quoted(ref)}{hint}")
        raise InputError(f"no organization with id {ref}")

    def effective(self, organization_id: int | None) -> dict[str, EffectiveValue]:
        """Every setting's effective value and source for an organization, or the system level."""
        if organization_id is None:
            return system_effective(self.system)
        org = self.get(organization_id)
        if org is None:
            raise InputError(f"no organization with id {organization_id}")
        return effective(org.overrides, self.system)
