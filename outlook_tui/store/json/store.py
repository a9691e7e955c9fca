"""The JSON file store: one document, shared by several admins, safe against concurrent writers
and crashes (the files are described in :mod:`outlook_tui.store.json.files`).

A save (``commit``) takes the lock, re-reads the file (or reuses the caller's validated snapshot
when the file's fingerprint has not changed), merges the changes against what is there now,
writes it atomically (:mod:`~outlook_tui.store.json.commit`), appends the history, and only
then reports success.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from outlook_tui.store import history as history_file
from outlook_tui.store.backend import ASKED_READ_ONLY, Backup, Capability, CommitResult, SavePlan
from outlook_tui.store.changes import Change, Outcome, apply
from outlook_tui.store.diff import differences
from outlook_tui.store.errors import (
    ConflictError,
    InputError,
    ReadOnlyError,
    StoreError,
    StoreFormatError,
    StoreWriteError,
)
from outlook_tui.store.fileops import FileOps
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.identity import current_user, ssh_client
from outlook_tui.store.json import backups, commit, reading, repair
from outlook_tui.store.json.document import initial_document, serialize, utc_now
from outlook_tui.store.json.files import BACKUPS_KEPT, StoreFiles, fingerprint_of
from outlook_tui.store.json.hand_edits import hand_edits
from outlook_tui.store.json.trust import check_safe, why_not_writable
from outlook_tui.store.lock import Lock, locked
from outlook_tui.store.outside import merged
from outlook_tui.store.snapshot import Fingerprint, Snapshot, Token
from outlook_tui.store.waiting import SaveControl


class JsonStore:
    """The store behind :class:`outlook_tui.store.backend.StoreBackend`, as one JSON file."""

    kind = "JSON file"

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        lock_timeout: float | None = None,
        fileops: FileOps | None = None,
        backups_kept: int = BACKUPS_KEPT,
    ) -> None:
        self.files = StoreFiles(Path(os.path.abspath(path)), lock_timeout, fileops or FileOps(),
                                backups_kept)
        self.path = self.files.path
        self.lock_path = self.files.lock_path
        self.history_path = self.files.history_path
        self.backups_path = self.files.backups_path
        check_safe(self.path)
        self._read_only_reason: str | None = ASKED_READ_ONLY if read_only else None
        if not read_only:
            self._read_only_reason = why_not_writable(self.path)

    # -- what it is ----------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def read_only(self) -> bool:
        return self._read_only_reason is not None

    @property
    def read_only_reason(self) -> str | None:
        return self._read_only_reason

    def supports(self, capability: Capability) -> bool:
        return capability in (Capability.ORGANIZATION_EDITING, Capability.BACKUPS)

    def unsupported_reason(self, capability: Capability) -> str:
        if capability is Capability.AFTER_SAVE_COMMAND:
            return "a JSON file has no Oro cache to clear"
        return f"a {self.kind} store has no {capability.value}"

    def close(self) -> None:
        """Nothing stays open between calls: each read and save opens and closes its files."""

    def interrupt(self) -> None:
        """A read of the file waits for no lock: nothing to end."""

    # -- reading -------------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.exists()

    def fingerprint(self) -> Fingerprint | None:
        """The file's identity now, or None if it is gone. Cheap: one stat."""
        try:
            return fingerprint_of(os.stat(self.path))
        except FileNotFoundError:
            return None

    def change_token(self) -> Hashable | None:
        return self.fingerprint()

    def changed_since(self, snapshot: Snapshot) -> bool:
        return self.fingerprint() != snapshot.fingerprint

    def read_raw(self) -> Snapshot:
        """Parse the whole file without validating it: never shown, never written on."""
        return reading.read(self.path)

    def validate(self, raw: Snapshot, pause: Callable[[], None] | None = None) -> Snapshot:
        """Check a parsed document against the schema; StoreFormatError lists every problem."""
        snapshot, newer = reading.validate(raw, self.path, pause)
        if newer is not None:
            self._read_only_reason = newer
        return snapshot

    def load(self, pause: Callable[[], None] | None = None) -> Snapshot:
        """The current revision, validated. Creates the store on first use (if writable)."""
        if not self.exists():
            if self.read_only:
                raise StoreError(f"{self.path}: no store here, and read-only: not creating one")
            self._create()
        return self.validate(self.read_raw(), pause)

    def load_named(self, refs: Sequence[str | int]) -> Snapshot:
        """The whole store: a file is parsed whole anyway."""
        return self.load()

    def peek(self, limit: int) -> Snapshot | None:
        """The header and the first ``limit`` organizations, from the start of the file only:
        lets the organizations table paint its first screen of a 100k store before the whole
        file has parsed."""
        return reading.peek(self.path, limit)

    # -- writing -------------------------------------------------------------------------------

    def _refuse_if_read_only(self) -> None:
        if self._read_only_reason is not None:
            raise ReadOnlyError(f"{self.path} is read-only ({self._read_only_reason}); "
                                "nothing was saved")

    def _create(self) -> None:
        # Only in an existing directory: a mistyped --store must not leave folders behind.
        if not self.path.parent.is_dir():
            raise StoreWriteError(f"{self.path.parent}: no such directory; the store is only "
                                  "created in an existing directory (nothing was saved)")
        with locked(self.lock_path, self.files.lock_timeout) as lock:
            commit.remove_stale_temp_files(self.path)
            if not self.exists():
                commit.write(self.files, serialize(initial_document()),
                             still_ours=lambda: _still_ours(lock, self, None))

    def _current(self, base: Snapshot | None) -> Snapshot:
        """Under the lock: the store as it is now, validated. Reuses ``base`` when unchanged."""
        if (base is not None and base.validated and base.fingerprint is not None
                and base.fingerprint == self.fingerprint()):
            return base
        return self.validate(self.read_raw())

    def commit(self, base: Snapshot, changes: Sequence[Change],
               control: SaveControl | None = None) -> CommitResult:
        """Apply ``changes`` made against ``base`` as one new revision, or raise.

        Raises ConflictError (nothing saved) when a change collides with one saved since
        ``base``; InputError for requests that cannot apply; StoreWriteError when the system
        refuses a write (the previous file is intact); LockTimeout; ReadOnlyError; Cancelled
        when ``control`` was cancelled before the file was replaced.
        """
        self._refuse_if_read_only()
        if not self.exists():
            self._create()
        with locked(self.lock_path, self.files.lock_timeout, control) as lock:
            commit.remove_stale_temp_files(self.path)
            current = self._current(base)
            self._refuse_if_read_only()  # a newer schema is only known after validation
            warnings = repair.check_history(self.files, current)
            if current.store_id != base.store_id:
                raise InputError(
                    f"{self.path} is now a different store (id {current.store_id}, you opened "
                    f"{base.store_id}); nothing was saved: reload it first")
            now = utc_now()
            outcome = _merged(current, changes, now)
            if not outcome.applied:
                return CommitResult(current, [], current.revision - base.revision, warnings)
            document = outcome.document
            document["revision"] = current.revision + 1
            commit.check_touched(document, outcome.applied,
                                 None if outcome.reordered else current.id_positions())
            data = serialize(document)
            if control is not None:
                control.committing()
            entries = history_file.entries_for(
                outcome.applied, time=now, user=current_user(), ssh_client=ssh_client(),
                revision=document["revision"])
            fingerprint = commit.write(
                self.files, data, history=history_file.encode(entries),
                still_ours=lambda: _still_ours(lock, self, current.fingerprint))
        # Same organizations in the same places: the index of the base still holds.
        snapshot = Snapshot(document, path=self.path, fingerprint=fingerprint, validated=True,
                            id_positions=None if outcome.reordered else current.id_positions())
        return CommitResult(snapshot, outcome.applied, current.revision - base.revision, warnings)

    def plan(self, base: Snapshot, changes: Sequence[Change]) -> SavePlan:
        """What :meth:`commit` would save now, by the same merge, writing nothing (no lock, no
        file created): a dry run."""
        current = self._current(base) if self.exists() else base
        outcome = _merged(current, changes, utc_now())
        return SavePlan(current.revision, outcome.applied, [])

    def claims(self, target: Path) -> str | None:
        """Why nothing but the store may write ``target``: it is the store, its history, its
        lock, its backups folder or a file in it, a corrupt copy or a temp file (by name, through
        links, or as the same file under another name). None when it is none of them."""
        own = {self.path: "the store", self.history_path: "the store's history",
               self.lock_path: "the store's lock file",
               self.backups_path: "the store's backups folder"}
        folder = self.path.parent
        for candidate in {Path(os.path.abspath(target)), Path(os.path.realpath(target))}:
            for path, what in own.items():
                if candidate in (path, Path(os.path.realpath(path))):
                    return f"{target} is {what}"
            if candidate.parent in (self.backups_path, Path(os.path.realpath(self.backups_path))):
                return f"{target} is in the store's backups folder"
            if candidate.parent in (folder, Path(os.path.realpath(folder))) and (
                    candidate.name.startswith((f"{self.path.name}.corrupt-",
                                               f".{self.path.name}.tmp-"))):
                return f"{target} is a file the store keeps"
        try:
            st = os.stat(target)
        except OSError:
            return None
        for path, what in own.items():
            with contextlib.suppress(OSError):
                if os.path.samestat(st, os.stat(path)):
                    return f"{target} is {what} (another name for the same file)"
        for backup in self.backups() if self.backups_path.is_dir() else []:
            with contextlib.suppress(OSError):
                if os.path.samestat(st, os.stat(backup.path)):
                    return f"{target} is a backup of the store (another name for the same file)"
        return None

    # -- history, backups, restore -------------------------------------------------------------

    def history(self, organization_id: int | None = None, *, system: bool = False,
                limit: int | None = None, after_revision: int | None = None,
                ) -> list[HistoryEntry]:
        """Entries newest first; for one organization, or the system scope, or everything;
        only those after ``after_revision`` when given. Hand edits of the file are among them
        (:mod:`~outlook_tui.store.json.hand_edits`), as made "outside outlook-tui"."""
        recorded = history_file.read_newest(self.history_path, limit=limit,
                                            after_revision=after_revision,
                                            organization_id=organization_id, system=system)
        whole = limit is None or len(recorded) < limit
        outside = hand_edits(self.files, organization_id, system,
                             recorded if whole and after_revision is None else None)
        if after_revision is not None:
            outside = [e for e in outside if e.revision >= after_revision]
        return merged(recorded, outside, limit)

    def backups(self) -> list[Backup]:
        return backups.listed(self.files)

    def load_backup(self, backup: Backup) -> Snapshot:
        data, fingerprint = reading.read_bytes(backup.path)
        raw = Snapshot(reading.parse(data, backup.path), path=backup.path,
                       fingerprint=fingerprint, validated=False)
        try:
            return self.validate(raw)
        except StoreFormatError as error:
            raise StoreFormatError(backup.path, error.problems, error.line, error.column) from None

    def newest_valid_backup(self) -> tuple[Backup, Snapshot] | None:
        for backup in self.backups():
            try:
                return backup, self.load_backup(backup)
            except StoreError:
                continue
        return None

    def _backup_numbered(self, number: int) -> tuple[Backup, Snapshot]:
        chosen = next((b for b in self.backups() if b.number == number), None)
        if chosen is None:
            raise InputError(f"no backup number {number}; `outlook-tui backups` lists them")
        return chosen, self.load_backup(chosen)

    def plan_restore(self, number: int) -> SavePlan:
        """What :meth:`restore` would change, per organization and setting; nothing written
        (a store that cannot be read: every value of the backup, from nothing)."""
        _, restored = self._backup_numbered(number)
        try:
            current = self.validate(self.read_raw())
            document, revision = current.document, current.revision
        except StoreError:
            document, revision = {}, reading.peek_revision(self.path) if self.exists() else 0
        return SavePlan(revision, differences(document, restored.document), [])

    def restore(self, number: int) -> Snapshot:
        """Make backup ``number`` (1 = newest) the store again, as a new revision. A damaged
        store is set aside as ``<store>.corrupt-<UTC time>``; a sound one becomes a backup."""
        self._refuse_if_read_only()
        chosen, restored = self._backup_numbered(number)
        with locked(self.lock_path, self.files.lock_timeout) as lock:
            commit.remove_stale_temp_files(self.path)
            damaged = False
            current_revision = 0
            try:
                current_revision = self.validate(self.read_raw()).revision
            except StoreError:
                damaged = self.exists()
                current_revision = reading.peek_revision(self.path) if damaged else 0
            revision = max(current_revision, restored.revision,
                           history_file.last_revision(self.history_path)) + 1
            document = dict(restored.document)
            document["revision"] = revision
            aside = backups.corrupt_name(self.path) if damaged else None
            detail = f"restored backup {chosen.path.name} (revision {restored.revision})"
            if aside is not None:
                detail += f"; the damaged store was kept as {aside.name}"
            entry = HistoryEntry(utc_now(), current_user(), ssh_client(), revision, None, None,
                                 None, None, None, None, event="restore", detail=detail)
            before = self.fingerprint()
            fingerprint = commit.write(self.files, serialize(document),
                                       history_file.encode([entry]), keep_previous_as=aside,
                                       still_ours=lambda: _still_ours(lock, self, before))
        return Snapshot(document, path=self.path, fingerprint=fingerprint, validated=True)


def _merged(current: Snapshot, changes: Sequence[Change], now: str) -> Outcome:
    """The commit's merge, shared by :meth:`JsonStore.commit` and :meth:`JsonStore.plan`."""
    outcome = apply(current.document, changes, now, current.id_positions())
    if outcome.conflicts:
        raise ConflictError(outcome.conflicts, current.revision)
    return outcome


def _still_ours(lock: Lock, store: JsonStore, read: Token | None) -> str | None:
    """Just before a save replaces the file: the lock must still be the file at the lock path,
    and the store the file read under it. A lock file deleted or replaced meanwhile lets
    another writer in beside us; whichever of us finds out first gives up (nothing saved)."""
    if not lock.still_held():
        return (f"the lock file {lock.path} was deleted or replaced during the save, so "
                "another writer may be saving too; try again")
    if store.fingerprint() != read:
        return f"{store.path} was changed by another writer during the save; try again"
    return None
