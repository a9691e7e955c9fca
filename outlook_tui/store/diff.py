"""What replacing one document by another changes, per organization and setting (a restore's
plan): the same :class:`~outlook_tui.store.changes.AppliedChange` a save records. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from outlook_tui.catalog import CATALOG, Scope, same_value
from outlook_tui.store.changes import AppliedChange
from outlook_tui.store.snapshot import column_of

_COLUMNS = ("name", "description", "enabled")


def _settings(scope: Scope, organization_id: int | None, name: str | None,
              old: Mapping[str, Any], new: Mapping[str, Any]) -> list[AppliedChange]:
    return [AppliedChange(scope, organization_id, name, s.key, old.get(s.name), new.get(s.name))
            for s in CATALOG if not same_value(old.get(s.name), new.get(s.name))]


def differences(current: Mapping[str, Any], replacement: Mapping[str, Any]
                ) -> list[AppliedChange]:
    """Every change ``replacement`` makes to ``current``: the system's settings, then each
    organization's (by id, in the replacement's order, then those it no longer has)."""
    found = _settings(Scope.SYSTEM, None, None, current.get("system", {}),
                      replacement.get("system", {}))
    now = {r["id"]: r for r in current.get("organizations", [])}
    seen: set[int] = set()
    for record in replacement.get("organizations", []):
        seen.add(record["id"])
        before = now.get(record["id"])
        name = record["name"]
        if before is None:
            found.append(AppliedChange(Scope.ORGANIZATION, record["id"], name, "organization",
                                       None, name))
            before = {"overrides": {}}
        else:
            found.extend(AppliedChange(Scope.ORGANIZATION, record["id"], name, column,
                                       column_of(before, column), column_of(record, column))
                         for column in _COLUMNS if before.get("name") is not None
                         and not same_value(column_of(before, column), column_of(record, column)))
        found.extend(_settings(Scope.ORGANIZATION, record["id"], name,
                               column_of(before, "overrides"), column_of(record, "overrides")))
    for organization_id, record in now.items():
        if organization_id not in seen:
            found.append(AppliedChange(Scope.ORGANIZATION, organization_id, record["name"],
                                       "organization", record["name"], None))
    return found
