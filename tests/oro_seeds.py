"""Seeding a store on Oro's database for the contract suite, whatever the database: the
organizations are inserted as Oro would (the store cannot create them), then their overrides
and the system values are saved through the store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from outlook_tui.store import SettingChange, StoreBackend

#: Ids the seeded organizations get: Oro's Default Organization is 1.
FIRST_ID = 2


def seeds_of(organizations: Sequence[str | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each organization as a partial record (name, description, enabled, overrides)."""
    return [{"name": s} if isinstance(s, str) else dict(s) for s in organizations]


def save_settings(store: StoreBackend, seeds: Sequence[Mapping[str, Any]],
                  system: Mapping[str, Any] | None) -> None:
    """The seeds' overrides and the system values, saved as one revision."""
    changes = [SettingChange(None, n, None, v) for n, v in dict(system or {}).items()]
    changes += [SettingChange(number, n, None, v)
                for number, seed in enumerate(seeds, start=FIRST_ID)
                for n, v in dict(seed.get("overrides", {})).items()]
    if changes:
        store.commit(store.load(), changes)
