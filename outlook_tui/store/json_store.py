"""The JSON file store: one document, shared by several admins, safe against concurrent writers
and crashes.

Files, for a store at ``store.json``:

- ``store.json``: the document (``schema_version``, ``store_id``, ``revision``, ``system``,
  ``organizations``), indented, stable key order, organizations in name order;
- ``store.json.lock``: the writers' ``flock`` (see :mod:`outlook_tui.store.lock`);
- ``store.history.jsonl``: one line per committed change (see :mod:`outlook_tui.store.history`);
- ``store.json.backups/``: the last five replaced versions, as hard links (free to keep);
- ``store.json.corrupt-<UTC time>``: a damaged file set aside by a restore.

A save (``commit``) takes the lock, re-reads the file (or reuses the caller's validated snapshot
when the file's fingerprint has not changed), merges the changes against what is there now,
writes a temp file in the same directory, fsyncs it, keeps the old version as a backup,
``os.replace``-s, fsyncs the directory, reads the file back, appends the history, and only then
reports success. A failure at any step puts the previous file back and removes the temp file.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import pwd
import re
import stat
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from outlook_tui.store import history as history_file
from outlook_tui.store.backend import Backup, CommitResult
from outlook_tui.store.changes import AppliedChange, Change, apply
from outlook_tui.store.errors import (
    ConflictError,
    InputError,
    NewerSchemaError,
    ReadOnlyError,
    StoreError,
    StoreFormatError,
    StoreWriteError,
    UnsafeStoreError,
)
from outlook_tui.store.fileops import FileOps
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.identity import current_user, ssh_client
from outlook_tui.store.lock import locked
from outlook_tui.store.snapshot import Fingerprint, Snapshot, sort_key

SCHEMA_VERSION = 1  # kept equal to models.SCHEMA_VERSION; models is imported lazily (start-up)
BACKUPS_KEPT = 5
DEFAULT_ORGANIZATION = "Default Organization"


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def serialize(document: dict[str, Any]) -> bytes:
    """The written form: two-space indent, the document's own (canonical) key order."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def initial_document() -> dict[str, Any]:
    """What Oro has after install: system defaults (nothing stored) and one organization."""
    now = utc_now()
    return {
        "schema_version": SCHEMA_VERSION,
        "store_id": os.urandom(16).hex(),
        "revision": 0,
        "system": {},
        "organizations": [{
            "id": 1, "name": DEFAULT_ORGANIZATION, "description": "", "enabled": True,
            "created_at": now, "updated_at": now, "overrides": {},
        }],
    }


def _errno_name(error: OSError) -> str:
    return errno.errorcode.get(error.errno or 0, "error")


def _fingerprint(st: os.stat_result) -> Fingerprint:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def check_safe(path: Path) -> None:
    """Refuse a store we should not trust (git's "dubious ownership", adapted to shared stores):
    a symbolic link, a file anyone may write, or one owned by a user who is neither us, root,
    nor sharing a group with us."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeStoreError(
            f"{path} is a symbolic link; refusing to open it (a link can point a write anywhere). "
            f"Use the real path: --store {os.path.realpath(path)}"
        )
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeStoreError(f"{path} is not a regular file")
    if st.st_mode & stat.S_IWOTH:
        raise UnsafeStoreError(
            f"{path} is writable by every user (mode {stat.filemode(st.st_mode)}); refusing to "
            f"trust it. Fix with: chmod o-w {path}"
        )
    me = os.getuid()
    if st.st_uid not in (me, 0) and st.st_gid not in os.getgroups() and st.st_gid != os.getgid():
        try:
            owner = pwd.getpwuid(st.st_uid).pw_name
        except KeyError:
            owner = f"uid {st.st_uid}"
        raise UnsafeStoreError(
            f"{path} is owned by {owner}, who shares no group with you; refusing to trust it "
            "(dubious ownership). To share a store, give it a group you both belong to "
            "(see README: Sharing one store)."
        )


class JsonStore:
    """The store behind :class:`outlook_tui.store.backend.StoreBackend`, as one JSON file."""

    def __init__(
        self,
        path: Path | str,
        *,
        read_only: bool = False,
        lock_timeout: float | None = None,
        fileops: FileOps | None = None,
        backups_kept: int = BACKUPS_KEPT,
    ) -> None:
        self.path = Path(os.path.abspath(path))
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        stem = self.path.name.removesuffix(".json")
        self.history_path = self.path.with_name(stem + ".history.jsonl")
        self.backups_path = self.path.with_name(self.path.name + ".backups")
        self.lock_timeout = lock_timeout
        self.ops = fileops or FileOps()
        self.backups_kept = backups_kept
        check_safe(self.path)
        self.read_only_reason: str | None = "opened with --read-only" if read_only else None
        if not read_only:
            self.read_only_reason = self._why_not_writable()

    # -- reading -----------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def _why_not_writable(self) -> str | None:
        directory = self.path.parent
        if self.path.exists() and not os.access(self.path, os.W_OK):
            return f"you cannot write {self.path} (permissions)"
        if directory.exists() and not os.access(directory, os.W_OK | os.X_OK):
            return f"you cannot write in {directory} (permissions)"
        return None

    def exists(self) -> bool:
        return self.path.exists()

    def fingerprint(self) -> Fingerprint | None:
        """The file's identity now, or None if it is gone. Cheap: one stat."""
        try:
            return _fingerprint(os.stat(self.path))
        except FileNotFoundError:
            return None

    def changed_since(self, snapshot: Snapshot) -> bool:
        return self.fingerprint() != snapshot.fingerprint

    def _read_bytes(self, path: Path | None = None) -> tuple[bytes, Fingerprint]:
        target = path or self.path
        try:
            fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            raise StoreError(f"{target}: no such store") from None
        except OSError as error:
            if error.errno == errno.ELOOP:
                check_safe(target)
            raise StoreError(f"{target}: cannot read: {error.strerror}") from None
        try:
            st = os.fstat(fd)
            with os.fdopen(os.dup(fd), "rb") as file:
                data = file.read()
        finally:
            os.close(fd)
        return data, _fingerprint(st)

    def parse(self, data: bytes, path: Path | None = None) -> dict[str, Any]:
        """JSON text to a document, or StoreFormatError with the line and column."""
        target = path or self.path
        if not data.strip():
            raise StoreFormatError(target, ["the file is empty"])
        try:
            document = orjson.loads(data)
        except orjson.JSONDecodeError:
            # Rare path: the standard library names the line and column precisely.
            try:
                json.loads(data.decode("utf-8", errors="replace"))
            except json.JSONDecodeError as error:
                raise StoreFormatError(
                    target, [f"invalid JSON at line {error.lineno}, column {error.colno}: "
                             f"{error.msg}"], error.lineno, error.colno) from None
            raise StoreFormatError(target, ["invalid JSON (not UTF-8?)"]) from None
        if not isinstance(document, dict):
            raise StoreFormatError(target, ["(document): must be a JSON object"])
        return document

    def read_raw(self) -> Snapshot:
        """Parse the whole file without validating it: fast enough to show, never to write on."""
        data, fingerprint = self._read_bytes()
        return Snapshot(self.parse(data), path=self.path, fingerprint=fingerprint,
                        validated=False)

    def validate(self, raw: Snapshot, pause: Callable[[], None] | None = None) -> Snapshot:
        """Check a parsed document against the schema; StoreFormatError lists every problem."""
        from outlook_tui.store import models  # pydantic loads here, after the first paint

        document = raw.document
        problems = models.check_document(document, pause=pause)
        version = document.get("schema_version")
        if isinstance(version, int) and version > models.SCHEMA_VERSION:
            if problems:
                raise NewerSchemaError(
                    f"{self.path} was written by a newer outlook-tui (schema {version}; this "
                    f"build reads {models.SCHEMA_VERSION}) and cannot be read: upgrade outlook-tui"
                )
            self.read_only_reason = (
                f"written by a newer outlook-tui (schema {version}; this build reads "
                f"{models.SCHEMA_VERSION}): upgrade to edit it"
            )
        elif problems:
            located, first_line = _with_lines(raw.path or self.path, problems)
            raise StoreFormatError(self.path, located, first_line)
        document = _normalize(document)
        return Snapshot(document, path=raw.path, fingerprint=raw.fingerprint, validated=True)

    def load(self) -> Snapshot:
        """The current revision, validated. Creates the store on first use (if writable)."""
        if not self.exists():
            if self.read_only:
                raise StoreError(f"{self.path}: no store here, and read-only: not creating one")
            self._create()
        return self.validate(self.read_raw())

    def peek(self, limit: int) -> Snapshot | None:
        """The header and the first ``limit`` organizations, from the start of the file only.

        This is what lets the organizations table paint its first screen of a 100k store before
        the whole file has parsed. Not validated, and partial: ``None`` when the file is not in
        the form this program writes (then the caller loads it whole).
        """
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            fingerprint = _fingerprint(os.fstat(fd))
            head = os.pread(fd, 16384 + 512 * limit, 0)
        finally:
            os.close(fd)
        text = head.decode("utf-8", errors="ignore")
        found = re.search(r'\n  "organizations": \[', text)
        if found is None:
            return None
        try:
            header = json.loads(text[: found.start()].rstrip().rstrip(",") + "}")
        except json.JSONDecodeError:
            return None
        decoder = json.JSONDecoder()
        records: list[dict[str, Any]] = []
        at = found.end()
        while len(records) < limit:
            while at < len(text) and text[at] in " \n\r\t,":
                at += 1
            if at >= len(text) or text[at] == "]":
                break
            try:
                record, at = decoder.raw_decode(text, at)
            except json.JSONDecodeError:
                break
            records.append(record)
        if not isinstance(header, dict) or "revision" not in header:
            return None
        header["organizations"] = records
        return Snapshot(header, path=self.path, fingerprint=fingerprint, validated=False)

    # -- writing -----------------------------------------------------------------------------

    def _refuse_if_read_only(self) -> None:
        if self.read_only_reason is not None:
            raise ReadOnlyError(f"{self.path} is read-only ({self.read_only_reason}); "
                                "nothing was saved")

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with locked(self.lock_path, self.lock_timeout):
            self._remove_stale_temp_files()
            if not self.exists():
                self._write(serialize(initial_document()))

    def _current(self, base: Snapshot | None) -> Snapshot:
        """Under the lock: the store as it is now, validated. Reuses ``base`` when unchanged."""
        if (base is not None and base.validated and base.fingerprint is not None
                and base.fingerprint == self.fingerprint()):
            return base
        return self.validate(self.read_raw())

    def commit(self, base: Snapshot, changes: Sequence[Change]) -> CommitResult:
        """Apply ``changes`` made against ``base`` as one new revision, or raise.

        Raises ConflictError (nothing saved) when a change collides with one saved since
        ``base``; InputError for requests that cannot apply; StoreWriteError when the system
        refuses a write (the previous file is intact); LockTimeout; ReadOnlyError.
        """
        self._refuse_if_read_only()
        if not self.exists():
            self._create()
        with locked(self.lock_path, self.lock_timeout):
            self._remove_stale_temp_files()
            current = self._current(base)
            self._refuse_if_read_only()  # a newer schema is only known after validation
            warnings = self._check_history(current)
            if current.store_id != base.store_id:
                raise InputError(
                    f"{self.path} is now a different store (id {current.store_id}, you opened "
                    f"{base.store_id}); nothing was saved: reload it first")
            now = utc_now()
            outcome = apply(current.document, changes, now, current.id_positions())
            if outcome.conflicts:
                raise ConflictError(outcome.conflicts, current.revision)
            if not outcome.applied:
                return CommitResult(current, [], current.revision - base.revision, warnings)
            document = outcome.document
            document["revision"] = current.revision + 1
            self._check_touched(document, outcome.applied,
                                None if outcome.reordered else current.id_positions())
            data = serialize(document)
            entries = history_file.entries_for(
                outcome.applied, time=now, user=current_user(), ssh_client=ssh_client(),
                revision=document["revision"])
            fingerprint = self._write(data, history=history_file.encode(entries))
        # Same organizations in the same places: the index of the base still holds.
        snapshot = Snapshot(document, path=self.path, fingerprint=fingerprint, validated=True,
                            id_positions=None if outcome.reordered else current.id_positions())
        return CommitResult(snapshot, outcome.applied, current.revision - base.revision, warnings)

    def _remove_stale_temp_files(self) -> None:
        """Under the lock: delete the temp files of writers killed mid-save (their pid is gone).

        A temp file of a live pid is left alone: it may be a writer that does not see our lock
        (another host on a network file system), and a dead writer's file is harmless anyway.
        """
        prefix = f".{self.path.name}.tmp-"
        try:
            names = [e.name for e in os.scandir(self.path.parent) if e.name.startswith(prefix)]
        except OSError:
            return
        for name in names:
            pid = name[len(prefix):].split("-", 1)[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            with contextlib.suppress(OSError):
                os.unlink(self.path.parent / name)

    def _check_touched(self, document: dict[str, Any], applied: list[AppliedChange],
                       positions: dict[int, int] | None) -> None:
        """Validate what the changes touched (the rest was validated when read)."""
        from outlook_tui.store import models

        problems = models.check_overrides(document.get("system", {}), ("system",))
        touched = {a.organization_id for a in applied if a.organization_id is not None}
        records = document["organizations"]
        if positions is None:  # organizations moved: find them the long way
            positions = {r["id"]: i for i, r in enumerate(records) if r["id"] in touched}
        for organization_id in sorted(touched, key=lambda o: positions.get(o, -1)):
            index = positions[organization_id]
            problems.extend(models.check_organization(records[index], index))
        if problems:
            raise InputError("nothing was saved: " + "; ".join(problems))

    def _check_history(self, current: Snapshot) -> list[str]:
        """Under the lock: a history that does not reach the store's revision means a writer
        died between the two writes (or someone edited a file by hand). Record it, once."""
        last = history_file.last_revision(self.history_path)
        if last == current.revision:
            return []
        if last < current.revision:
            detail = (f"revisions {last + 1} to {current.revision} were committed without their "
                      "history lines (a writer stopped between saving the store and its history)")
            event = "history_gap"
        else:
            detail = (f"the history reaches revision {last} but the store is at "
                      f"{current.revision} (the store file was replaced by an older one)")
            event = "history_ahead"
        entry = HistoryEntry(utc_now(), current_user(), ssh_client(), current.revision, None,
                             None, None, None, None, None, event=event, detail=detail)
        try:
            self._append_history(history_file.encode([entry]), self._mode())
        except OSError as error:
            return [f"the history disagrees with the store ({detail}) and recording that failed:"
                    f" {error.strerror}"]
        return [f"recorded in the history: {detail}"]

    def _append_history(self, data: bytes, mode: int) -> None:
        """Append whole lines. After a torn last line (a crash mid-append), start on a new
        line: otherwise the first new line would be glued to the fragment and lost with it."""
        if not history_file.ends_with_newline(self.history_path):
            data = b"\n" + data
        self.ops.append(self.history_path, data, mode)

    def _mode(self) -> int:
        try:
            return stat.S_IMODE(os.stat(self.path).st_mode)
        except FileNotFoundError:
            return 0o664 & ~_umask()

    def _write(self, data: bytes, history: bytes = b"",
               keep_previous_as: Path | None = None) -> Fingerprint:
        """Replace the store with ``data`` atomically, then append ``history``. On any failure
        the previous file is put back, no temp file stays, and StoreWriteError says why."""
        directory = self.path.parent
        previous = os.stat(self.path) if self.exists() else None
        tmp = directory / f".{self.path.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}"
        step = "creating a temporary file"
        kept: Path | None = None
        replaced = False
        history_size: int | None = None
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o600)
            try:
                mode = stat.S_IMODE(previous.st_mode) if previous else 0o664 & ~_umask()
                os.fchmod(fd, mode)
                if previous is not None and previous.st_gid != os.getegid():
                    # keep the shared group, so fellow admins can still write
                    with contextlib.suppress(OSError):
                        os.fchown(fd, -1, previous.st_gid)
                step = "writing"
                self.ops.write(fd, data)
                step = "flushing to disk (fsync)"
                self.ops.fsync(fd)
            finally:
                os.close(fd)
            if previous is not None:
                step = "keeping the previous version as a backup"
                kept = self._keep(keep_previous_as)
            step = "replacing the store"
            self.ops.replace(tmp, self.path)
            replaced = True
            step = "flushing the directory (fsync)"
            self.ops.fsync_directory(directory)
            step = "reading the store back"
            with open(self.path, "rb") as file:
                back = file.read()
                written = _fingerprint(os.fstat(file.fileno()))
            if back != data:
                raise OSError(errno.EIO, "the file read back differs from what was written")
            if history:
                step = "appending to the history"
                history_size = _size(self.history_path)
                self._append_history(history, mode)
        except OSError as error:
            self._undo(tmp, kept, replaced, history_size)
            raise StoreWriteError(
                f"could not save {self.path}: {error.strerror or error} ({_errno_name(error)}) "
                f"while {step}; nothing was saved: the store is as it was"
            ) from None
        if kept is not None and keep_previous_as is None:
            self._rotate_backups()
        return written

    def _keep(self, target: Path | None) -> Path:
        if target is None:
            self.backups_path.mkdir(exist_ok=True)
            stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"{time.time_ns() % 10**9:09d}"
            revision = _peek_revision(self.path)
            target = self.backups_path / f"r{revision:09d}-{stamp}Z.json"
        try:
            os.link(self.path, target)
        except OSError:
            # No hard links here (some network file systems): copy instead.
            target.write_bytes(self.path.read_bytes())
        return target

    def _undo(self, tmp: Path, kept: Path | None, replaced: bool,
              history_size: int | None) -> None:
        """Put things back as they were before a failed save (best effort, each step)."""
        with contextlib.suppress(OSError):
            tmp.unlink()
        if history_size is not None:
            with contextlib.suppress(OSError):
                os.truncate(self.history_path, history_size)
        if replaced and kept is not None:
            undo = tmp.with_name(tmp.name + "-undo")
            try:
                os.link(kept, undo)
                os.replace(undo, self.path)
                FileOps().fsync_directory(self.path.parent)
            except OSError:
                # The new revision stays; the next lock finds it has no history lines and
                # records the gap. The backup link is then the only copy of the old one: keep it.
                return
        if kept is not None:
            with contextlib.suppress(OSError):
                kept.unlink()

    def _rotate_backups(self) -> None:
        for old in self._backup_files()[self.backups_kept :]:
            with contextlib.suppress(OSError):
                old.unlink()

    def _backup_files(self) -> list[Path]:
        try:
            return sorted(self.backups_path.glob("r*.json"), reverse=True)
        except OSError:
            return []

    # -- history, backups, restore --------------------------------------------------------

    def history(self, organization_id: int | None = None, *, system: bool = False,
                limit: int | None = None) -> list[HistoryEntry]:
        """Entries newest first; for one organization, or the system scope, or everything."""
        entries = history_file.read(self.history_path)
        if system:
            entries = [e for e in entries if e.scope == "system" or e.event]
        elif organization_id is not None:
            entries = [e for e in entries if e.organization_id == organization_id]
        entries.reverse()
        return entries[:limit] if limit is not None else entries

    def backups(self) -> list[Backup]:
        result = []
        for number, path in enumerate(self._backup_files(), start=1):
            match = re.match(r"r(\d+)-(\d{8}T\d{6})", path.name)
            revision = int(match.group(1)) if match else None
            saved = match.group(2) if match else ""
            if saved:
                saved = (f"{saved[0:4]}-{saved[4:6]}-{saved[6:8]}T{saved[9:11]}:"
                         f"{saved[11:13]}:{saved[13:15]}Z")
            result.append(Backup(number, path, revision, saved, path.stat().st_size))
        return result

    def load_backup(self, backup: Backup) -> Snapshot:
        data, fingerprint = self._read_bytes(backup.path)
        raw = Snapshot(self.parse(data, backup.path), path=backup.path, fingerprint=fingerprint,
                       validated=False)
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

    def restore(self, number: int) -> Snapshot:
        """Make backup ``number`` (1 = newest) the store again, as a new revision. A damaged
        store is set aside as ``<store>.corrupt-<UTC time>``; a sound one becomes a backup."""
        self._refuse_if_read_only()
        chosen = next((b for b in self.backups() if b.number == number), None)
        if chosen is None:
            raise InputError(f"no backup number {number}; `outlook-tui backups` lists them")
        restored = self.load_backup(chosen)
        with locked(self.lock_path, self.lock_timeout):
            self._remove_stale_temp_files()
            damaged = False
            current_revision = 0
            try:
                current_revision = self.validate(self.read_raw()).revision
            except StoreError:
                damaged = self.exists()
                current_revision = _peek_revision(self.path) if damaged else 0
            revision = max(current_revision, restored.revision,
                           history_file.last_revision(self.history_path)) + 1
            document = dict(restored.document)
            document["revision"] = revision
            aside = None
            if damaged:
                stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
                aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            detail = f"restored backup {chosen.path.name} (revision {restored.revision})"
            if aside is not None:
                detail += f"; the damaged store was kept as {aside.name}"
            entry = HistoryEntry(utc_now(), current_user(), ssh_client(), revision, None, None,
                                 None, None, None, None, event="restore", detail=detail)
            fingerprint = self._write(serialize(document), history_file.encode([entry]),
                                      keep_previous_as=aside)
        return Snapshot(document, path=self.path, fingerprint=fingerprint, validated=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # under the lock, none of our own saves is under way
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process (EPERM): alive
    return True


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _peek_revision(path: Path) -> int:
    """The revision from the head of a file, even a damaged one (0 if it cannot be found)."""
    try:
        with open(path, "rb") as file:
            head = file.read(4096).decode("utf-8", errors="ignore")
    except OSError:
        return 0
    found = re.search(r'"revision"\s*:\s*(\d+)', head)
    return int(found.group(1)) if found else 0


def _with_lines(path: Path, problems: list[str]) -> tuple[list[str], int | None]:
    """Prefix each ``field.path: message`` with the line of that field in the file, so the
    message says where to look in an editor. Best effort: the problems as they were if the file
    cannot be read again."""
    from outlook_tui.store.locate import line_for, lines_of, parse_path

    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return problems, None
    fields = [parse_path(problem.partition(": ")[0]) for problem in problems[:50]]
    found = lines_of(data, [f for f in fields if f is not None])
    located: list[str] = []
    for index, problem in enumerate(problems):
        field = fields[index] if index < len(fields) else None
        line = line_for(found, field) if field is not None else None
        located.append(f"line {line}: {problem}" if line is not None else problem)
    lines = [line_for(found, f) for f in fields if f is not None]
    return located, next((n for n in lines if n is not None), None)


def _normalize(document: dict[str, Any]) -> dict[str, Any]:
    """A validated (perhaps hand-edited) document in the written form: header keys in order,
    every organization column present, overrides in catalog order, organizations in name order.

    Returns a new document and never changes the one given: the app may be showing that one
    (parsed, not yet validated) while this runs in a worker thread. Records are copied only
    where they change.
    """
    from outlook_tui.store.models import HEADER_FIELDS, ORGANIZATION_FIELDS

    normal = {key: document.get(key, {}) for key in HEADER_FIELDS}
    normal["system"] = _in_catalog_order(normal["system"])
    defaults: dict[str, Any] = {"description": "", "enabled": True, "overrides": {}}
    records = list(document.get("organizations", []))
    for index, record in enumerate(records):
        if len(record) != len(ORGANIZATION_FIELDS) or tuple(record) != ORGANIZATION_FIELDS:
            record = records[index] = {
                k: record.get(k, defaults.get(k)) for k in ORGANIZATION_FIELDS}
        if len(record["overrides"]) > 1:
            overrides = _in_catalog_order(record["overrides"])
            if overrides is not record["overrides"]:
                records[index] = {**record, "overrides": overrides}
    if any(sort_key(a["name"]) > sort_key(b["name"]) for a, b in itertools.pairwise(records)):
        records.sort(key=lambda r: sort_key(r["name"]))
    normal["organizations"] = records
    return normal


def _in_catalog_order(values: dict[str, Any]) -> dict[str, Any]:
    """Overrides in the catalog's order (a hand edit may list them in any order)."""
    from outlook_tui.catalog import CATALOG

    order = [s.name for s in CATALOG if s.name in values]
    return values if list(values) == order else {name: values[name] for name in order}
