"""Scope resolution: organization -> system -> default, as Oro's ConfigManager does it.

The first scope that stores a value wins; defaults are never stored. An organization stores only
its overrides (a missing key is "Use System"); the system scope stores only what differs from the
code default ("Use default").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from outlook_tui.catalog import CATALOG, Scope, Setting, Value


@dataclass(frozen=True, slots=True)
class EffectiveValue:
    """One setting's value as Oro would use it, and why."""

    setting: Setting
    value: Value
    source: Scope
    #: What the value would be without this scope's own override: the system value (or default)
    #: for an organization, the default for the system scope.
    inherited: Value
    inherited_source: Scope

    @property
    def overridden(self) -> bool:
        """True when the scope being looked at stores its own value (its checkbox is cleared)."""
        return self.source is not self.inherited_source

    @property
    def stale_override(self) -> bool:
        """An override equal to the inherited value: it no longer follows changes upstream.

        Oro stores such a value silently; from then on the organization ignores later system
        changes. We flag it so people see the trap.
        """
        return self.overridden and self.value == self.inherited

    @property
    def label(self) -> str:
        return self.setting.label_of(self.value)


def system_effective(system: Mapping[str, Value]) -> dict[str, EffectiveValue]:
    """Every setting at system level: the system's stored value, else the default."""
    result: dict[str, EffectiveValue] = {}
    for setting in CATALOG:
        if setting.name in system:
            value, source = system[setting.name], Scope.SYSTEM
        else:
            value, source = setting.default, Scope.DEFAULT
        result[setting.name] = EffectiveValue(
            setting, value, source, setting.default, Scope.DEFAULT)
    return result


def effective(
    overrides: Mapping[str, Value], system: Mapping[str, Value]
) -> dict[str, EffectiveValue]:
    """Every setting for one organization, with its source and the inherited value beside it."""
    result: dict[str, EffectiveValue] = {}
    for setting in CATALOG:
        if setting.name in system:
            inherited, inherited_source = system[setting.name], Scope.SYSTEM
        else:
            inherited, inherited_source = setting.default, Scope.DEFAULT
        if setting.name in overrides:
            value, source = overrides[setting.name], Scope.ORGANIZATION
        else:
            value, source = inherited, inherited_source
        result[setting.name] = EffectiveValue(setting, value, source, inherited, inherited_source)
    return result


def conflict_resolution_note(values: Mapping[str, EffectiveValue]) -> str | None:
    """Oro's form lets Conflict Resolution be set whatever the direction; it only matters when
    synchronization runs both ways. Returns the note to show, or None."""
    for ev in values.values():
        condition = ev.setting.effective_when
        if condition is None:
            continue
        other, wanted = condition
        if other in values and values[other].value != wanted:
            needed = values[other].setting.label_of(wanted)
            return (
                f"{ev.setting.label} has no effect unless "
                f"{values[other].setting.label} is {needed}"
            )
    return None
