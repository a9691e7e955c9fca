"""The store as the app keeps it: loaded without blocking the first paint, watched for changes
by others, read again, saved, and every new snapshot handed to every screen.

The app owns one :class:`StoreSync`; screens never see it: they ask the app through
:class:`outlook_tui.app.session.Session` (``snapshot``, ``commit``, ``reload_store``...), which the
app answers from here. What is blocking (reading, saving, the disk watch's query) runs in
thread workers of the app, so failures reach its one worker handler.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from functools import partial
from operator import attrgetter
from typing import Any, Generic, TypeVar, cast, overload

from textual.app import App
from textual.notifications import Notification

from outlook_tui.app.foreground import Foreground, imports_step_aside
from outlook_tui.app.memory import reading_in_background
from outlook_tui.app.messages import SnapshotChanged
from outlook_tui.app.notices import NoticeBoard, notice
from outlook_tui.history_text import changes_by
from outlook_tui.store import (
    Backup,
    Change,
    CommitResult,
    HistoryEntry,
    Snapshot,
    StoreBackend,
    StoreError,
    TableLockTimeout,
)
from outlook_tui.store.ahead import FIRST_ROWS, FirstRows
from outlook_tui.store.backend import SavePlan
from outlook_tui.store.damaged import DamagedValue
from outlook_tui.store.factory import open_store
from outlook_tui.store.waiting import SaveControl, Waiting
from outlook_tui.text import printable
from outlook_tui.words import counted

#: How often the store file is checked for changes by others (one stat call).
WATCH_SECONDS = 1.0
#: How long "Database locked" stays at most, when the lock outlasts it (it goes once read).
LOCK_NOTICE_SECONDS = 3600.0


def damaged_text(damaged: list[DamagedValue]) -> str:
    """Stored values the store could not accept, each with its row, for a notification."""
    lines = [f"{printable(d.organization_name or 'System')}: {d.key} = {d.stored}"
             for d in damaged[:5]]
    if len(damaged) > 5:
        lines.append(f"... and {len(damaged) - 5} more (outlook-tui show ORG lists them)")
    lines.append("Shown as Use System and left alone. A value saved for that setting replaces "
                 "it; Use System cleared and ticked again, then saved, removes it.")
    return "\n".join(lines)


T = TypeVar("T")


class FromSync(Generic[T]):
    """An attribute of the app read from its :class:`StoreSync` (``app.sync``), under the same
    name or at ``path`` (``"store.read_only"``): what screens ask the app (Session) is kept
    there."""

    def __init__(self, path: str = "") -> None:
        self.path = path

    def __set_name__(self, owner: type, name: str) -> None:
        self._get = attrgetter(f"sync.{self.path or name}")

    @overload
    def __get__(self, app: None, owner: type) -> FromSync[T]: ...

    @overload
    def __get__(self, app: object, owner: type | None = None) -> T: ...

    def __get__(self, app: object, owner: type | None = None) -> T | FromSync[T]:
        if app is None:
            return self
        return cast("T", self._get(app))


class StoreSync:
    """The store, its current snapshot and whether it is validated, kept up to date.

    ``app`` runs the workers and shows what happens (notifications, the recovery screen; a
    lasting one on ``notices``);
    ``store_changed`` is called when the store is swapped or validated (the app's header names
    it), ``published`` after each snapshot reached the screens.
    """

    def __init__(self, app: App[Any], store: StoreBackend, *, watch_seconds: float,
                 notices: NoticeBoard,
                 store_changed: Callable[[], None] = lambda: None,
                 published: Callable[[], None] = lambda: None,
                 first_rows: FirstRows | None = None) -> None:
        self.app = app
        self.store = store
        #: The first screen's organizations, when they were read ahead while the app started.
        self._first_rows = first_rows
        self.snapshot: Snapshot | None = None
        #: Set once the whole store has been validated; nothing is written before that.
        self.validated = False
        self.load_error: StoreError | None = None
        #: A save is under way (the disk watch waits; a hang-up lets it finish).
        self.saving = False
        self._watch_seconds = watch_seconds
        self._store_changed = store_changed
        self._published = published
        #: The store's change token when it was found damaged: the disk watch waits for another.
        self._damaged_token: object = None
        #: The damaged values last named in a notification (Oro's database): named once.
        self._damaged_shown: list[DamagedValue] = []
        #: A save went in against one organization read on its own while the whole store was
        #: still loading: that load is older than the save, so it is read again once done.
        self._outdated = False
        self._started = time.monotonic()
        #: A change check is under way (the next waits for it: see :meth:`poll`).
        self._checking = False
        #: Keys and the person's own store operations go before a background read (whose
        #: pause between chunks this is).
        self.foreground = Foreground()
        #: A read of the whole store is under way (no check, no second read meanwhile).
        self._reading = False
        #: The last read (the whole store's, a change check) ended waiting for a table someone
        #: locked (Oro's database): said once, until a read gets through again.
        self._blocked: TableLockTimeout | None = None
        self._blocked_whole = False
        #: What says so while the whole store's first read waits (withdrawn once it is read).
        self._lock_notice: Notification | None = None
        self._notices = notices
        #: The whole store's read ended so: the watch reads it again, not a change check.
        self._read_pending = False
        #: The newest revision "Store updated" named (a read again after a lock, not twice).
        self._announced = 0

    # -- start-up ----------------------------------------------------------------------------

    def start(self) -> None:
        """Show the first rows at once, validate the rest in a worker, then watch the disk."""
        try:
            if not self.store.exists():
                self.publish(self.store.load(), "validated")
                self.validated = True
            else:
                first_rows, self._first_rows = self._first_rows, None
                preview = (first_rows.result() if first_rows is not None
                           else self.store.peek(FIRST_ROWS))
                if preview is not None:
                    self.publish(preview, "preview")
        except TableLockTimeout as error:  # not even the first rows: all of them, once free
            self._lock_timed_out(error, whole=True, read_again=True)
        except StoreError as error:
            self.damaged(error)
            return
        if not self.validated and not self._read_pending:
            # Parsing a big store holds the GIL for a quarter of a second: let the first
            # frame (the preview rows) reach the terminal before the worker starts.
            self.app.call_after_refresh(self.app.call_after_refresh, self._start_loading)
        if self._watch_seconds > 0:
            self.app.set_interval(self._watch_seconds, self.poll, name="watch-store")

    def _start_loading(self, description: str = "Loading the store") -> None:
        self._reading = True
        self._in_thread(self._load, "load", description)

    def _in_thread(self, work: Callable[[], None], group: str, description: str) -> None:
        self.app.run_worker(work, name=work.__name__, group=group, description=description,
                            exclusive=True, thread=True, exit_on_error=False)

    def _load(self) -> None:
        """Load and validate in small chunks so the UI thread keeps painting. Nothing is shown
        before it is validated (the preview's records are checked one by one: see ``peek``).
        A table someone locked past the lock timeout is no damage: the watch reads again."""
        try:
            snapshot = self._read_whole()
        except TableLockTimeout as error:
            self._read_over(partial(self._lock_timed_out, error, whole=True, read_again=True))
        except StoreError as error:
            self._read_over(partial(self.damaged, error))
        except BaseException:
            self._reading = False
            raise
        else:
            self._read_over(partial(self._loaded, snapshot))

    def _read_whole(self) -> Snapshot:
        """The whole store, read in a worker thread, with what the screens will ask of it
        first built here rather than on the UI thread (the filter's casefolded names)."""
        with self._reading_in_background():
            snapshot = self.store.load(pause=self.foreground.pause)
            snapshot.folded_names(self.foreground.pause)
        return snapshot

    @contextmanager
    def _reading_in_background(self) -> Iterator[None]:
        """Around a read of the whole store in a worker thread: no garbage collection meanwhile
        (memory.py), and it steps aside for the person between its chunks, and for their keys
        between the modules of the driver it may import first (foreground.py)."""
        with reading_in_background(), imports_step_aside(self.foreground.pause_for_keys):
            yield

    def _read_over(self, then: Callable[[], None]) -> None:
        """From a read's thread: ``then`` on the app's thread, where the read ends for
        :meth:`poll` (which may start the next)."""
        def over() -> None:
            self._reading = False
            then()

        self.app.call_from_thread(over)

    def _loaded(self, snapshot: Snapshot) -> None:
        if self._outdated:  # read before a save of one organization: read it again
            self._outdated = False
            self._start_loading("Reading the store again")
            return
        first = not self.validated
        self.validated = True
        self._store_changed()  # validation may have found a newer schema: read-only
        self.publish(snapshot, "validated")
        self._lock_released(f"All {counted(len(snapshot), 'organization')} read." if first
                            else "Changes by others show again.", whole=True)
        self.app.log(f"store validated {time.monotonic() - self._started:.3f}s after start")

    # -- a table someone locked: said once, read again by the watch -------------------------------

    def _lock_timed_out(self, error: TableLockTimeout, *, whole: bool,
                        read_again: bool = False) -> None:
        """A read waited the lock timeout for a table someone locked (Oro's database: a DBA's
        ``LOCK TABLE``): say so once, naming the holder as a waiting save does; the watch
        (:meth:`poll`) asks again, one read at a time, each bounded by the lock timeout, until
        one gets through. ``whole``: a read of the whole store (else a change check);
        ``read_again``: the watch reads it again (else the read after a change check, which
        the next check sets off again)."""
        self._read_pending = self._read_pending or read_again
        if self._blocked is not None:
            return
        self._blocked = error
        self._blocked_whole = whole
        waiting = Waiting(error.what, error.holders)
        if self.validated:
            self.app.notify(f"{error}. Changes by others show once it is free.",
                            title="Not seeing changes by others", severity="warning",
                            markup=False)
            return
        meanwhile = ("The organizations shown can be opened meanwhile; the rest are read as "
                     "soon as it is free." if self.snapshot is not None else
                     "They are read as soon as it is free.")
        self._lock_notice = notice(f"The database is locked: reading the organizations is "
                                   f"{waiting}. {meanwhile}", "Database locked", "warning",
                                   LOCK_NOTICE_SECONDS)
        self._notices.add(self._lock_notice, everywhere=True)

    def _lock_released(self, message: str, *, whole: bool = False) -> None:
        """A read got through after one that waited for a locked table: say so. A change
        check (``whole`` False) ends only a check's wait: the whole read may need more
        tables."""
        if self._blocked is None or (self._blocked_whole and not whole):
            return
        self._blocked = None
        if self._lock_notice is not None:
            self._notices.withdraw(self._lock_notice)
            self._lock_notice = None
        self.app.notify(message, title="Database lock released")

    def stop(self) -> None:
        """The app ends: the reads under way in the background are ended, so that one waiting
        for a locked table does not keep the process alive until the lock timeout (in a
        thread: asking the server to cancel them opens a connection)."""
        if self._reading or self._checking:
            threading.Thread(target=self.store.interrupt, name="outlook-tui interrupt reads",
                             daemon=True).start()

    def damaged(self, error: StoreError) -> None:
        """A store that fails to load opens the recovery screen instead of a crash (once per
        damaged version of the file: the disk watch must not stack them)."""
        from outlook_tui.app.screens.recovery import RecoveryScreen

        self.load_error = error
        try:
            self._damaged_token = self.store.change_token()
        except StoreError:  # the database cannot say now (a table locked): any token is news
            self._damaged_token = None
        if not isinstance(self.app.screen, RecoveryScreen):
            self.app.push_screen(RecoveryScreen(error))

    # -- keeping up with the disk --------------------------------------------------------------

    def poll(self) -> None:
        """The disk watch's timer: look for a change by others, unless busy, or still looking
        (a check that waits for a table a DBA locked is not stacked on every second); or read
        the whole store again when its read ended waiting for such a table."""
        if self.saving or self._checking or self._reading:
            return
        if self._read_pending:
            self._read_pending = False
            self._start_loading("Reading the store again")
            return
        if not self.validated or self.snapshot is None:
            return
        snapshot = self.snapshot
        self._checking = True
        self.app.run_worker(lambda: self._check_store(snapshot), name="check_store",
                            group="watch", description="Watching the store", exclusive=True,
                            thread=True, exit_on_error=False)

    def _check_store(self, snapshot: Snapshot) -> None:
        """Off the UI thread: on Oro's database the change token is a query (tens of ms at
        100k organizations), on a connection of its own (a save never waits for it). A
        database that is down for a moment is asked again next time; a table someone locked
        past the lock timeout is said once (then asked again, quietly, until it is free)."""
        try:
            changed = self.store.changed_since(snapshot) and \
                self.store.change_token() != self._damaged_token
        except TableLockTimeout as error:
            self.app.call_from_thread(self._lock_timed_out, error, whole=False)
            return
        except StoreError:
            return
        finally:
            self._checking = False
        if self._blocked is not None:
            self.app.call_from_thread(self._lock_released, "Changes by others show again.")
        if changed:
            self.app.call_from_thread(self._reload_unless_saving)

    def _reload_unless_saving(self) -> None:
        if not self.saving:
            self.reload()

    def reload(self) -> None:
        """Read the store again after a change by others, naming who saved."""
        self._reading = True
        self._in_thread(self._reload, "load", "Reading the store again")

    def _reload(self) -> None:
        """A table someone locked past the lock timeout is said once; the change stays to be
        seen, so the watch's next check sets off this read again."""
        previous = self.snapshot
        try:
            # Who saved is in the last lines of the history: say so at once, before the store
            # (100k organizations: seconds, throttled to keep the screen live) is read again.
            announced = self._not_announced(self._entries_since(previous))
            if announced:
                self.app.call_from_thread(self._announce, announced)
            snapshot = self._read_whole()
            entries = self._entries_since(previous)
        except TableLockTimeout as error:
            self._read_over(partial(self._lock_timed_out, error, whole=True))
        except StoreError as error:
            self._read_over(partial(self.damaged, error))
        except BaseException:
            self._reading = False
            raise
        else:
            self._read_over(partial(self._reloaded, snapshot, entries))

    def _reloaded(self, snapshot: Snapshot, entries: list[HistoryEntry]) -> None:
        self.publish(snapshot, "external", entries, bool(self._not_announced(entries)))
        self._lock_released("Changes by others show again.", whole=True)

    def _not_announced(self, entries: list[HistoryEntry]) -> list[HistoryEntry]:
        """``entries`` (newest first) unless "Store updated" named them already (a read again
        after one that waited for a locked table)."""
        return entries if entries and entries[0].revision > self._announced else []

    def _entries_since(self, previous: Snapshot | None) -> list[HistoryEntry]:
        if previous is None:
            return []
        # Read from the end of the history, stopping at the first older revision: what changed
        # since is a few lines, however long the history is.
        return self.store.history(after_revision=previous.revision)

    def open_backup(self, backup: Backup, snapshot: Snapshot) -> None:
        """Look at a backup, read-only, in place of the damaged store."""
        self.store = open_store(str(backup.path), read_only=True)
        self.validated = True
        self.load_error = None
        self._store_changed()
        self.publish(snapshot, "validated")

    def read_again(self) -> None:
        """Read the whole store again (after a restore), as at start."""
        self.validated = False
        self.load_error = None
        self._start_loading("Reading the store again")

    # -- handing snapshots to the screens ------------------------------------------------------

    def _announce(self, entries: list[HistoryEntry]) -> None:
        """Name who saved meanwhile (from the history: ``entries`` newest first)."""
        self._announced = max(self._announced, entries[0].revision)
        self.app.notify(f"{changes_by(entries)} (revision {entries[0].revision})",
                        title="Store updated")

    def publish(self, snapshot: Snapshot, reason: str,
                entries: list[HistoryEntry] | None = None, announce: bool = True) -> None:
        """Make ``snapshot`` the current one and tell every screen (see SnapshotChanged)."""
        previous, self.snapshot = self.snapshot, snapshot
        for screen in self.app.screen_stack:
            screen.post_message(SnapshotChanged(snapshot, previous, reason, entries))
        if reason in ("validated", "external") and snapshot.damaged and \
                snapshot.damaged != self._damaged_shown:
            self._damaged_shown = snapshot.damaged
            self.app.notify(damaged_text(snapshot.damaged),
                            title="Values outlook-tui cannot accept", severity="warning",
                            timeout=30, markup=False)
        if reason == "external" and entries and announce:
            self._announce(entries)
        # Once the screens have built what they show from it.
        self.app.call_after_refresh(self._published)

    async def plan(self, changes: Sequence[Change]) -> SavePlan:
        """What saving ``changes`` (made against the current snapshot) would do now: the
        store's own merge without the write (``store.plan``, as ``--dry-run``), off the UI
        thread. The store's ConflictError when some collide with a value saved meanwhile."""
        assert self.snapshot is not None
        with self._foreground():
            return await asyncio.to_thread(self.store.plan, self.snapshot, list(changes))

    def _foreground(self) -> AbstractContextManager[None]:
        """A store operation the person waits for: a background read steps aside until its
        outcome is on screen."""
        return self.foreground.operation(self.app.call_after_refresh)

    # -- one organization, before the whole store is read ---------------------------------------

    async def read_organization(self, organization_id: int | None) -> Snapshot:
        """The system and one organization (None: the system alone), validated, read on their
        own (on Oro's database through indexes: the same cost at 3 and at 100k organizations),
        off the UI thread. For a screen about one organization opened before the whole store
        is validated; it is never published to the other screens."""
        refs = [] if organization_id is None else [organization_id]
        with self._foreground():
            return await asyncio.to_thread(self.store.load_named, refs)

    # -- saving ----------------------------------------------------------------------------------

    async def commit(self, changes: Sequence[Change],
                     base: Snapshot | None = None,
                     control: SaveControl | None = None) -> CommitResult:
        """Save ``changes`` (made against the current snapshot, or against ``base``: one
        organization from :meth:`read_organization`) as one revision; ``control`` hears what
        a save waits for and cancels it (:mod:`outlook_tui.store.waiting`).

        Runs in a thread so the screen keeps painting; the lock is held only inside it, never
        while a person looks at a dialog. Raises the store's errors (ConflictError...) for the
        screen to show. Publishes the new snapshot to every screen. The result's notices (a
        merge, Oro's cache) and warnings are for the screen to say in its one notice of the
        save (:func:`outlook_tui.app.saving.notify_saved`).
        """
        if base is not None:
            return await self._commit_part(base, changes, control)
        assert self.snapshot is not None
        base = self.snapshot
        result = await self._committed(base, changes, control)
        entries: list[HistoryEntry] = []
        if result.merged_over:  # who saved meanwhile: from the history file, off the UI thread
            since = await asyncio.to_thread(self._entries_since, base)
            entries = [e for e in since if e.revision != result.snapshot.revision]
        self.validated = True
        self.publish(result.snapshot, "saved", entries)
        if entries:  # said with the save's other notices, in the saving screen's one notice
            merged = f"Merged with {changes_by(entries)} meanwhile."
            result = replace(result, notices=[merged, *result.notices])
        return result

    async def _committed(self, base: Snapshot, changes: Sequence[Change],
                         control: SaveControl | None) -> CommitResult:
        """The store's commit, in a thread so the screen keeps painting."""
        self.saving = True
        try:
            with self._foreground():
                return await asyncio.to_thread(self.store.commit, base, list(changes),
                                               control)
        except asyncio.CancelledError:
            # The save's worker was cancelled (the app ending, the screen gone): so is the save.
            if control is not None:
                control.cancel()
            raise
        finally:
            self.saving = False

    async def _commit_part(self, base: Snapshot, changes: Sequence[Change],
                           control: SaveControl | None) -> CommitResult:
        """Save against one organization read on its own: the result holds only it, so it
        goes back to the screen that saved, and the whole store is read again (after the
        load under way, or now)."""
        result = await self._committed(base, changes, control)
        if result.applied:
            if self.validated:  # the load finished meanwhile, without this save
                self._start_loading("Reading the store again")
            else:
                self._outdated = True
        return result
