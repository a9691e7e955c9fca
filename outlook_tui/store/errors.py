"""Errors the store raises. Each message names what is wrong and where, for a person to act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class StoreError(Exception):
    """Base of every error the store reports; ``str()`` is the message for the user."""


class StoreFormatError(StoreError):
    """The store file is not valid JSON or does not match the schema. Nothing was written."""

    def __init__(self, path: Path, problems: list[str], line: int | None = None,
                 column: int | None = None) -> None:
        self.path = path
        self.problems = problems
        self.line = line
        self.column = column
        where = str(path)
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        shown = problems[:10]
        more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        super().__init__(f"{where}: the store is damaged:\n  " + "\n  ".join(shown) + more)


class NewerSchemaError(StoreError):
    """Written by a newer outlook-tui than this one."""


class UnsafeStoreError(StoreError):
    """A store we refuse to trust: a symlink, owned by a stranger, or writable by anyone."""


class ReadOnlyError(StoreError):
    """A write was asked of a store opened read-only."""


class LockTimeout(StoreError):
    """Another writer held the lock for too long."""

    def __init__(self, path: Path | str, holder: str, waited: float) -> None:
        self.holder = holder
        super().__init__(
            f"{path} is locked by {holder}; waited {waited:.0f} s. Nothing was saved: "
            "try again when they are done."
        )


class DatabaseLockTimeout(LockTimeout):
    """A database's lock (rows, outlook-tui's savers' lock) was held for too long."""

    def __init__(self, location: str, what: str, holder: str, waited: float) -> None:
        self.holder = holder
        StoreError.__init__(
            self, f"{location}: waited {waited:.0f} s for {what}, held by {holder}. Nothing "
            "was saved: try again when they are done (OUTLOOK_TUI_LOCK_TIMEOUT sets the wait)")


class TableLockTimeout(StoreError):
    """A read (any statement outside a save's own waits) waited the lock timeout for a table
    another session locked (LOCK TABLE, ALTER TABLE): nothing was read."""

    def __init__(self, location: str, what: str, holders: tuple[str, ...],
                 waited: float) -> None:
        self._made_of = (location, what, holders, waited)
        self.what = what
        #: Who holds it, each in words (``alice (psql, pid 4242)``); none when the database
        #: does not say.
        self.holders = holders
        holder = ", ".join(holders) or "another session (the database does not say whose)"
        super().__init__(
            f"{location}: waited {waited:g} s for {what}, held by {holder}; try again when "
            "they are done (OUTLOOK_TUI_LOCK_TIMEOUT sets the wait)")

    def __reduce__(self) -> tuple[type[TableLockTimeout], tuple[str, str, tuple[str, ...], float]]:
        # Sent whole by the process that reads the app's first rows (store/ahead.py).
        return (type(self), self._made_of)


class StoreWriteError(StoreError):
    """The operating system refused a write; the previous store is intact."""


class InputError(StoreError):
    """A request that the store rejects: an unknown organization, a name already taken...

    ``field`` names the organization column at fault (``"name"``), so a form can put the
    message under that field without reading the text.
    """

    field: str | None = None


class InvalidNameError(InputError):
    """A new organization name with a character no one can see whole (a control character,
    a line break, a bidi override...): ``outlook_tui.text.name_problem``."""

    field = "name"


class DescriptionTooLongError(InputError):
    """A description longer than outlook-tui writes
    (:data:`outlook_tui.store.changes.DESCRIPTION_MAX_LENGTH`)."""

    field = "description"


class DuplicateNameError(InputError):
    """An organization name that another organization already has (names are unique,
    case-insensitively, as Oro's are)."""

    field = "name"

    def __init__(self, name: str, existing_name: str) -> None:
        self.name = name
        self.existing_name = existing_name
        super().__init__(f"an organization named {existing_name!r} already exists")


class UnsupportedError(StoreError):
    """This store lacks an optional part (a :class:`~outlook_tui.store.backend.Capability`);
    the message is the store's own reason."""


@dataclass(frozen=True, slots=True)
class Conflict:
    """Another writer changed the same thing since our base revision."""

    where: str  # "system" or the organization's name
    field: str  # a setting's label, or an organization column
    key: str  # the setting name or column, as stored
    organization_id: int | None
    base: object  # what we started from (None: not stored)
    mine: object  # what we wanted to store (None: remove the override)
    theirs: object  # what is stored now


def _shown(value: object) -> str:
    return "(Use System)" if value is None else repr(value)


class ConflictError(StoreError):
    """Some changes collide with changes committed since the base revision. Nothing was saved."""

    def __init__(self, conflicts: list[Conflict], revision: int) -> None:
        self.conflicts = conflicts
        self.revision = revision
        lines = [
            f"{c.where}: {c.field}: you set {_shown(c.mine)}, but someone else saved "
            f"{_shown(c.theirs)} (it was {_shown(c.base)} when you started)"
            for c in conflicts
        ]
        super().__init__(
            "conflict with a change saved meanwhile (now at revision "
            f"{revision}); nothing was saved:\n  " + "\n  ".join(lines)
        )
