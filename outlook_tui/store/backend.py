"""The interface the app and the command line use, so that another backend (Oro's own
PostgreSQL tables ``oro_config``/``oro_config_value``/``oro_organization``) can be added later
without touching them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from outlook_tui.store.changes import Change
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.json_store import CommitResult
from outlook_tui.store.snapshot import Snapshot


class StoreBackend(Protocol):
    @property
    def location(self) -> str: ...

    @property
    def read_only(self) -> bool: ...

    read_only_reason: str | None

    def load(self) -> Snapshot:
        """The current revision, validated."""

    def commit(self, base: Snapshot, changes: Sequence[Change]) -> CommitResult:
        """Save changes made against ``base`` as one revision (merge or ConflictError)."""

    def changed_since(self, snapshot: Snapshot) -> bool:
        """Whether someone saved (or edited the file) since ``snapshot`` was read."""

    def history(self, organization_id: int | None = None, *, system: bool = False,
                limit: int | None = None) -> list[HistoryEntry]:
        """History entries, newest first."""
