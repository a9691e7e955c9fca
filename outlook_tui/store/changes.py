"""Changes made against a base revision, and how they apply to a newer one.

Every change carries the value its author saw (``old``) and the value wanted (``new``). Applied to
the store as it is now:

- now == old: the change applies (whatever else changed meanwhile: different keys merge);
- now == new: someone already did the same; nothing to do;
- otherwise: a conflict that names the key and both values. Nothing is ever silently overwritten.

A commit applies all of its changes or none. This module is pure: no I/O, no clock of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from outlook_tui.catalog import BY_NAME, CATALOG, InvalidValue, Scope, Setting, Value, same_value
from outlook_tui.store.errors import (
    Conflict,
    DescriptionTooLongError,
    DuplicateNameError,
    InputError,
    InvalidNameError,
)
from outlook_tui.store.snapshot import column_of, organization_record, sort_key
from outlook_tui.text import name_problem

Column = Literal["name", "description", "enabled"]

#: The longest organization description outlook-tui writes (import, ``orgs add``, the Edit
#: dialog), in characters: a field every key of which stays quick to edit. A longer one
#: already stored is read, shown cut and kept as it is.
DESCRIPTION_MAX_LENGTH = 10_000


def description_problem(description: str) -> str | None:
    """Why ``description`` is too long to write, or None."""
    if len(description) <= DESCRIPTION_MAX_LENGTH:
        return None
    return (f"{len(description):,} characters, more than the {DESCRIPTION_MAX_LENGTH:,} "
            "outlook-tui writes")


@dataclass(frozen=True, slots=True)
class SettingChange:
    """Set or clear one setting at one scope. ``None`` means not stored: Use System (or Use
    default at system level)."""

    organization_id: int | None  # None: the system scope
    name: str  # the setting's name in the catalog
    old: Value | None
    new: Value | None


@dataclass(frozen=True, slots=True)
class OrganizationChange:
    """Change one column of an organization (Name, Description, Status)."""

    organization_id: int
    column: Column
    old: str | bool
    new: str | bool


@dataclass(frozen=True, slots=True)
class NewOrganization:
    name: str
    description: str = ""
    enabled: bool = True
    #: Settings the new organization overrides from the start (an import creates these).
    overrides: tuple[tuple[str, Value], ...] = ()


Change = SettingChange | OrganizationChange | NewOrganization


@dataclass(frozen=True, slots=True)
class AppliedChange:
    """A change as committed: what the history records."""

    scope: Scope  # organization or system
    organization_id: int | None
    organization_name: str | None
    key: str  # the full Oro key of a setting, or an organization column, or "organization"
    old: Any
    new: Any


@dataclass
class Outcome:
    document: dict[str, Any]
    applied: list[AppliedChange]
    conflicts: list[Conflict]
    #: Organizations were added or renamed: positions in name order changed.
    reordered: bool = False


def _checked(setting: Setting, value: object) -> Value:
    try:
        return setting.check(value)
    except InvalidValue as error:
        raise InputError(f"{setting.label}: {error}") from None


def _check_new_name(name: str) -> None:
    # Only names being made are checked: a store edited by hand that holds one still loads.
    problem = name_problem(name)
    if problem is not None:
        raise InvalidNameError(f"Name: {problem}")


def _check_description(organization: str, description: object) -> None:
    problem = description_problem(description) if isinstance(description, str) else None
    if problem is not None:
        raise DescriptionTooLongError(f"the description of {organization!r}: {problem}; "
                                      "nothing was saved")


def _ordered(overrides: dict[str, Any]) -> dict[str, Any]:
    return {s.name: overrides[s.name] for s in CATALOG if s.name in overrides}


def apply(document: dict[str, Any], changes: Sequence[Change], now: str,
          positions: Mapping[int, int] | None = None) -> Outcome:
    """Apply ``changes`` to ``document`` (never modified) and return the new document.

    Only the records touched are copied, so a change to one of 100k organizations costs a list
    copy, not a deep copy. Raises InputError for requests no merge can fix (an unknown setting or
    organization, a duplicate name); returns conflicts for values changed meanwhile.
    """
    new = dict(document)
    records: list[dict[str, Any]] = list(document.get("organizations", []))
    new["organizations"] = records
    # Indexes of 100k organizations cost tens of milliseconds: the caller's (a snapshot caches
    # its id positions) is reused, and the name set is only built for a new or renamed one.
    by_id: Mapping[int, int] = positions if positions is not None else \
        {r["id"]: i for i, r in enumerate(records)}
    added: dict[int, int] = {}
    name_map: dict[str, str] | None = None

    def names() -> dict[str, str]:
        """Each name folded to its case -> the name as it is spelled in the store."""
        # Compared ignoring case, as Oro's database collation does: "ACME" next to "Acme"
        # would be two organizations no admin can tell apart in a list.
        nonlocal name_map
        if name_map is None:
            name_map = {r["name"].casefold(): r["name"] for r in records}
        return name_map

    copied: set[int] = set()
    system = dict(document.get("system", {}))
    applied: list[AppliedChange] = []
    conflicts: list[Conflict] = []
    resort = False

    def record(organization_id: int) -> dict[str, Any]:
        at = added.get(organization_id, by_id.get(organization_id))
        if at is None:
            raise InputError(f"no organization with id {organization_id}")
        if at not in copied:
            records[at] = dict(records[at])
            records[at]["overrides"] = dict(records[at].get("overrides", {}))
            copied.add(at)
        return records[at]

    for change in changes:
        if isinstance(change, NewOrganization):
            _check_new_name(change.name)
            _check_description(change.name, change.description)
            if change.name.casefold() in names():
                raise DuplicateNameError(change.name, names()[change.name.casefold()])
            next_id = max((r["id"] for r in records), default=0) + 1
            added[next_id] = len(records)
            copied.add(len(records))
            overrides = {}
            for name, value in change.overrides:
                if name not in BY_NAME:
                    raise InputError(f"unknown setting {name!r}")
                overrides[name] = _checked(BY_NAME[name], value)
            records.append(organization_record(
                next_id, change.name, now, description=change.description,
                enabled=change.enabled, overrides=_ordered(overrides)))
            names()[change.name.casefold()] = change.name
            resort = True
            applied.append(AppliedChange(
                Scope.ORGANIZATION, next_id, change.name, "organization", None, change.name))
            applied.extend(
                AppliedChange(Scope.ORGANIZATION, next_id, change.name, BY_NAME[name].key, None,
                              value)
                for name, value in _ordered(overrides).items())
            continue

        if isinstance(change, OrganizationChange):
            target = record(change.organization_id)
            current = column_of(target, change.column)
            if same_value(current, change.new):
                continue
            if not same_value(current, change.old):
                conflicts.append(Conflict(
                    target["name"], change.column.capitalize(), change.column,
                    change.organization_id, change.old, change.new, current))
                continue
            if change.column == "name":
                assert isinstance(change.new, str)
                _check_new_name(change.new)
                if change.new.casefold() in names() and \
                        change.new.casefold() != str(current).casefold():
                    raise DuplicateNameError(change.new, names()[change.new.casefold()])
                names().pop(str(current).casefold(), None)
                names()[change.new.casefold()] = change.new
                resort = True
            if change.column == "description":
                _check_description(target["name"], change.new)
            target[change.column] = change.new
            target["updated_at"] = now
            applied.append(AppliedChange(
                Scope.ORGANIZATION, change.organization_id, target["name"], change.column,
                current, change.new))
            continue

        setting = BY_NAME.get(change.name)
        if setting is None:
            raise InputError(f"unknown setting {change.name!r}")
        if change.new is not None:
            _checked(setting, change.new)
        if change.organization_id is None:
            values, where, org_name = system, "System", None
        else:
            target = record(change.organization_id)
            values, where, org_name = target["overrides"], target["name"], target["name"]
        current = values.get(change.name)
        if same_value(current, change.new):
            continue
        if not same_value(current, change.old):
            conflicts.append(Conflict(
                where, setting.label, setting.name, change.organization_id,
                change.old, change.new, current))
            continue
        if change.new is None:
            del values[change.name]
        else:
            values[change.name] = change.new
        if change.organization_id is not None:
            target["overrides"] = _ordered(values)
            target["updated_at"] = now
        applied.append(AppliedChange(
            Scope.SYSTEM if change.organization_id is None else Scope.ORGANIZATION,
            change.organization_id, org_name, setting.key, current, change.new))

    new["system"] = _ordered(system)
    if resort:
        records.sort(key=lambda r: sort_key(r["name"]))
    return Outcome(new, applied, conflicts, reordered=resort)
