"""The one interface every caller of a store uses: the app, the command line, import/export and
the benchmarks. Two backends implement it: the JSON file (``outlook_tui.store.json``, the
default) and Oro's own PostgreSQL database (``outlook_tui.store.postgres``).

Every backend hands out the same :class:`~outlook_tui.store.snapshot.Snapshot` (one revision:
the system scope and the organizations in name order) and takes the same changes
(:mod:`outlook_tui.store.changes`), merged or refused with the same
:class:`~outlook_tui.store.errors.ConflictError`. What only some backends can do is a
:class:`Capability`: callers ask ``store.supports(...)`` and show ``store.unsupported_reason(...)``
instead of the key, never ``isinstance`` on a concrete backend.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from outlook_tui.store.changes import AppliedChange, Change
    from outlook_tui.store.history import HistoryEntry
    from outlook_tui.store.snapshot import Snapshot
    from outlook_tui.store.waiting import SaveControl


#: The read-only reason of a store opened with ``--read-only``: asked for, not a fault (the
#: app words it for someone whose SSH login chose it for them).
ASKED_READ_ONLY = "opened with --read-only"


class Capability(enum.Enum):
    """Optional parts of a store, asked about by the UI and the command line."""

    #: Create organizations, rename them, change their status (``NewOrganization``,
    #: ``OrganizationChange``). Oro's database: managed in Oro, not here.
    ORGANIZATION_EDITING = "organization editing"
    #: ``backups()``, ``load_backup()``, ``restore()`` (:class:`BackupStore`).
    BACKUPS = "backups"
    #: Saves reach Oro, whose configuration cache must be cleared after them: the caller runs
    #: the config file's ``after_save_command`` (:mod:`outlook_tui.after_save`) after each save.
    AFTER_SAVE_COMMAND = "after_save_command"


@dataclass(frozen=True)
class CommitResult:
    snapshot: Snapshot
    applied: list[AppliedChange]
    #: Someone else committed between the base revision and ours; their changes were kept.
    merged_over: int = 0
    warnings: list[str] = field(default_factory=list)
    #: Said after every save (Oro's database: "Oro needs its configuration cache cleared").
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RowChange:
    """One row a save to Oro's database would insert, update or delete."""

    action: str  # "insert", "update", "delete"
    table: str
    #: The row's id; None for a row not inserted yet (the database numbers it).
    id: int | None
    #: What identifies the row without its id, and the columns written (Oro's names).
    columns: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class SavePlan:
    """What a save would do now (``--dry-run``), from the same merge as the save itself."""

    #: The revision the plan was made against (the store's, not the caller's base).
    revision: int
    applied: list[AppliedChange]
    #: Oro's database: the rows written; empty for the JSON file.
    rows: list[RowChange]


@dataclass(frozen=True)
class Backup:
    number: int  # 1 = newest
    path: Path
    revision: int | None
    saved_at: str  # when it was replaced, UTC
    size: int


@runtime_checkable
class StoreBackend(Protocol):
    #: What kind of store this is, in words: "JSON file", "Oro database (PostgreSQL)".
    kind: str

    @property
    def location(self) -> str:
        """Where it is, for the header and messages: a path, or a URI without its password."""

    @property
    def read_only(self) -> bool: ...

    @property
    def read_only_reason(self) -> str | None:
        """Why writes are refused (``--read-only``, no write permission, ...), or None."""

    def supports(self, capability: Capability) -> bool: ...

    def unsupported_reason(self, capability: Capability) -> str:
        """Why ``capability`` is missing, for the footer and the message a key gives."""

    def exists(self) -> bool:
        """False for a JSON store not created yet (the app creates it on first use)."""

    def peek(self, limit: int) -> Snapshot | None:
        """The first ``limit`` organizations in name order, each validated, for a first paint
        before the whole store is loaded; None when the backend cannot do it cheaply."""

    def load(self, pause: Callable[[], None] | None = None) -> Snapshot:
        """The current revision, validated (``pause`` is called between chunks of work so a UI
        thread keeps painting)."""

    def load_named(self, refs: Sequence[str | int]) -> Snapshot:
        """A validated snapshot holding at least the system and the organizations ``refs``
        name (ids or exact names; ``find`` on it answers as on :meth:`load`'s), for a command
        about a few organizations: on Oro's database only those are read."""

    def change_token(self) -> Hashable | None:
        """Cheap: changes whenever anyone (another admin, Oro, a hand edit) changed the store."""

    def changed_since(self, snapshot: Snapshot) -> bool: ...

    def commit(self, base: Snapshot, changes: Sequence[Change],
               control: SaveControl | None = None) -> CommitResult:
        """Save ``changes`` made against ``base`` as one revision: changes to settings nobody
        else changed merge; otherwise ConflictError, and nothing of the save is written.

        Every wait is bounded (``$OUTLOOK_TUI_LOCK_TIMEOUT``: LockTimeout naming the holder),
        reported to ``control`` while it lasts, and ended by ``control.cancel()``: then
        Cancelled, and nothing is written (:mod:`outlook_tui.store.waiting`)."""

    def plan(self, base: Snapshot, changes: Sequence[Change]) -> SavePlan:
        """What :meth:`commit` would save now, writing nothing at all (``--dry-run``); the
        same ConflictError and InputError as the save."""

    def history(self, organization_id: int | None = None, *, system: bool = False,
                limit: int | None = None, after_revision: int | None = None,
                ) -> list[HistoryEntry]:
        """History entries, newest first, in time and memory proportional to what is asked."""

    def close(self) -> None: ...

    def interrupt(self) -> None:
        """End the reads other threads run in the background now (the whole store's, the
        change check), from any thread: the app is ending, and a read waiting for a lock
        must not keep its process alive until the lock timeout. They fail; nothing is
        written. A save is cancelled through its own SaveControl, never by this."""


@runtime_checkable
class BackupStore(StoreBackend, Protocol):
    """A store with :attr:`Capability.BACKUPS`."""

    def backups(self) -> list[Backup]: ...

    def load_backup(self, backup: Backup) -> Snapshot: ...

    def restore(self, number: int) -> Snapshot: ...


def require(store: StoreBackend, capability: Capability) -> None:
    """Refuse, with the store's own reason, an operation it lacks (UnsupportedError)."""
    if not store.supports(capability):
        from outlook_tui.store.errors import UnsupportedError

        raise UnsupportedError(store.unsupported_reason(capability))


def backups_of(store: StoreBackend) -> BackupStore:
    """The store's backups, or UnsupportedError with its reason for having none."""
    require(store, Capability.BACKUPS)
    assert isinstance(store, BackupStore)
    return store
