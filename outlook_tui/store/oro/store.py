"""Oro's own SQL database as the store, whatever the database: the settings where Oro keeps
them, written as Oro writes them (:mod:`.encoding`). A database is a folder beside this one
(``store/postgres/``) giving its :class:`~outlook_tui.store.oro.sql.Dialect` (the SQL), its
:class:`~outlook_tui.store.oro.sql.Driver` and its
:class:`~outlook_tui.store.oro.sql.ChangeToken`.

- Organizations come from ``oro_organization`` and are managed in Oro (no editing here).
- A setting at system level is a row of the ``app``/0 scope, at organization level of the
  ``organization``/id scope; no row means Use System (Use default). Only rows of the
  ``oro_crm_pro_outlook`` section are ever written.
- A save is one transaction (:mod:`.saving`): lock the scopes' ``oro_config`` rows and their
  values, merge against what is stored now with the JSON store's own rules, write the rows and
  the history, commit.
- The revision is the highest in ``outlook_tui_history`` (``outlook-tui db init``); Oro's own
  writes do not bump it, so "changed?" is answered by :meth:`OroStore.change_token` instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from outlook_tui.oro_version import (
    MARKER_BUNDLES,
    OroVersion,
    cache_advice,
    from_migrations,
    resolve,
)
from outlook_tui.store.backend import Capability, CommitResult, SavePlan
from outlook_tui.store.changes import Change, SettingChange
from outlook_tui.store.errors import (
    DatabaseLockTimeout,
    InputError,
    ReadOnlyError,
    StoreError,
)
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.oro import history
from outlook_tui.store.oro.connection import Connection, FirstLook
from outlook_tui.store.oro.outside import changes_outside
from outlook_tui.store.oro.reading import Reader
from outlook_tui.store.oro.saving import plan_once, save_once
from outlook_tui.store.oro.sql import (
    ChangeToken,
    Dialect,
    Driver,
    ErrorKind,
    Session,
)
from outlook_tui.store.oro.watch import Watch
from outlook_tui.store.outside import merged
from outlook_tui.store.snapshot import Snapshot
from outlook_tui.store.waiting import Cancelled, SaveControl

#: Saves retried when someone changed the same rows between our snapshot and our locks.
SAVE_ATTEMPTS = 5
#: What a save waits for, in the words of "waiting for ...".
SAVERS_LOCK = "another outlook-tui save (outlook-tui's savers' lock)"
SETTINGS_ROWS = "Oro's settings rows (oro_config, oro_config_value)"
RETRIED = (ErrorKind.SERIALIZATION, ErrorKind.UNIQUE_VIOLATION)


class OroStore:
    """:class:`~outlook_tui.store.backend.StoreBackend` on Oro's database."""

    #: "Oro database (PostgreSQL)"
    kind: str
    #: How the database is backed up, for the reason there are no backups here.
    backup_tool: str
    #: The snapshot's store id is "<scheme>:<database>".
    scheme: str

    def __init__(self, uri: str, location: str, *, driver: Driver, dialect: Dialect,
                 token: ChangeToken, read_only: bool = False,
                 oro_version: str | None = None, first_look: FirstLook | None = None) -> None:
        """Connects at once, unless given ``first_look``: what another process found on
        opening this database a moment ago (the app's start, ``store/ahead.py``); the
        connection then opens when first used."""
        self.uri = uri
        self.sql = dialect
        self.driver = driver
        self.token = token
        #: ``[database] oro_version`` of config.toml: which Oro, when the tables do not say.
        self.configured_oro_version = oro_version
        self._oro_version: tuple[OroVersion | None] | None = None
        self.connection = Connection(uri, location, driver, dialect, read_only=read_only)
        #: A second connection, read-only, opened by the first :meth:`load`: reading every
        #: organization takes a while at 100k, and one organization read or saved meanwhile
        #: (the app, opened before the whole store is read) must not wait for it.
        self.loading = Connection(uri, location, driver, dialect, read_only=True)
        #: A third, read-only, opened by the first change check or history read: the app's
        #: once-a-second check (and the history it reads after a change) runs beside its
        #: saves, and a save must never wait, unseen, behind one that waits for a table a
        #: DBA locked. Only a save's own waits are shown (and cancelled) by its dialog.
        self.watching = Connection(uri, location, driver, dialect, read_only=True)
        self.reader = Reader(dialect, token,
                             lambda session: self._history_exists(session),
                             lambda: f"{self.scheme}:{self.connection.database}")
        #: The whole store another process reads for the first :meth:`load` (the app's).
        self._whole = None if first_look is None else first_look.whole
        if first_look is None:
            self.connection.open()
        else:
            self.connection.assume(first_look)

    # -- what it is ------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return self.connection.location

    def first_look(self) -> FirstLook:
        """What opening the database found, for :class:`FirstLook`'s other process."""
        return self.connection.first_look()

    @property
    def read_only_reason(self) -> str | None:
        return self.connection.read_only_reason

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def db_user(self) -> str:
        return self.connection.db_user

    @property
    def database(self) -> str:
        return self.connection.database

    def supports(self, capability: Capability) -> bool:
        return capability is Capability.AFTER_SAVE_COMMAND

    def unsupported_reason(self, capability: Capability) -> str:
        if capability is Capability.ORGANIZATION_EDITING:
            return "organizations are managed in Oro"
        if capability is Capability.BACKUPS:
            return f"Oro's database is backed up with the database's own tools ({self.backup_tool})"
        return f"{capability.value} is not available on Oro's database"

    def exists(self) -> bool:
        return True

    def close(self) -> None:
        self._stop_whole()
        self.connection.close()
        self.loading.close()
        self.watching.close()

    def interrupt(self) -> None:
        """The whole read's and the change check's statements, cancelled by the server (not
        the saves' connection: a save is cancelled by its SaveControl)."""
        self._stop_whole()
        self.loading.interrupt()
        self.watching.interrupt()

    def _stop_whole(self) -> None:
        whole = self._whole
        if whole is not None:
            whole.stop()

    def history_exists(self) -> bool:
        """Whether ``outlook-tui db init`` has created the history table."""
        return self.connection.reading(self._history_exists)

    def _history_exists(self, session: Session | None = None) -> bool:
        """On ``session`` (default: the main connection's)."""
        statement = self.sql.table_exists(self.sql.history_table)
        return bool((session or self.connection.session).rows(statement)[0][0])

    # -- reading ---------------------------------------------------------------------------

    def change_token(self) -> tuple[int, ...]:
        return self.watching.reading(self.token.now)

    def changed_since(self, snapshot: Snapshot) -> bool:
        return self.change_token() != snapshot.fingerprint

    def fingerprint(self) -> tuple[int, ...]:
        """The JSON store's name for :meth:`change_token` (the app polls either)."""
        return self.change_token()

    def load(self, pause: Callable[[], None] | None = None) -> Snapshot:
        """Every organization and this section's values, streamed in chunks from one
        consistent view of the database. The first, in the app, is read by another process
        when one was started for it (``store/ahead.py``), and read here when it gave none."""
        whole = self._whole
        if whole is not None:
            try:
                snapshot = whole.read(pause)
            finally:
                self._whole = None
            if whole.stopped:
                raise StoreError(f"{self.location}: reading the store was stopped")
            if snapshot is not None:
                self.reader.adopt(snapshot, pause)
                # The driver imported, and the connection the next reads use opened, here in
                # the background read, as a read of this process's own would have done.
                self.loading.reading(lambda session: None)
                return snapshot
        return self.loading.reading(lambda session: self.reader.load(session, pause))

    def load_named(self, refs: Sequence[str | int]) -> Snapshot:
        """The system and the organizations ``refs`` name, as :meth:`load` has them; found
        through indexes (one organization costs the same at 3 and at 100k). A ref found in no
        organization here is looked up in the whole store, whose ``find`` says what is near."""
        part = self.connection.reading(lambda session: self.reader.named(session, refs))
        try:
            for ref in refs:
                part.find(ref)
        except InputError:
            return self.load()
        return part

    def peek(self, limit: int) -> Snapshot | None:
        """The first ``limit`` organizations by name and their values: indexed queries only."""
        return self.connection.reading(lambda session: self.reader.peek(session, limit))

    # -- writing ---------------------------------------------------------------------------

    def _settings(self, base: Snapshot, changes: Sequence[Change]) -> list[SettingChange]:
        """The changes a save here can make (settings only), or InputError."""
        settings: list[SettingChange] = []
        for change in changes:
            if not isinstance(change, SettingChange):
                raise InputError(f"{self.unsupported_reason(Capability.ORGANIZATION_EDITING)}"
                                 ": create, rename and (de)activate them in Oro; nothing was "
                                 "saved")
            settings.append(change)
        if not base.validated:
            raise InputError("nothing was saved: the store has not finished loading")
        return settings

    def plan(self, base: Snapshot, changes: Sequence[Change]) -> SavePlan:
        """What :meth:`commit` would save now, by the save's own steps in a read-only
        transaction: no lock, no row written (a dry run)."""
        settings = self._settings(base, changes)

        def work(session: Session) -> SavePlan:
            with session.transaction(self.sql.read_transaction()):
                return plan_once(session, self.sql, base, settings,
                                 self.reader.revision(session))

        return self.connection.reading(work)

    def commit(self, base: Snapshot, changes: Sequence[Change],
               control: SaveControl | None = None) -> CommitResult:
        """One transaction (see saving.py). Every wait is bounded by the lock timeout
        (DatabaseLockTimeout naming the holders), reported to ``control`` and ended by its
        cancel (Cancelled: rolled back, nothing written)."""
        if self.read_only_reason is not None:
            raise ReadOnlyError(f"{self.location} is read-only ({self.read_only_reason}); "
                                "nothing was saved")
        settings = self._settings(base, changes)
        control = control or SaveControl()
        with self.connection.lock:
            control.check()
            result = self._watched_commit(base, settings, control)
        if result.applied:
            result.notices.append(cache_advice(self.oro_version()))
        return result

    def _watched_commit(self, base: Snapshot, settings: list[SettingChange],
                        control: SaveControl) -> CommitResult:
        connection = self.connection
        watch = Watch(self.uri, self.driver, self.sql, lambda: connection.backend_id, control,
                      connection.tables)
        with watch:
            watch.what = SAVERS_LOCK

            def lock_savers(session: Session) -> None:
                with self._waits(watch, control), session.transaction(self.sql.bounds()):
                    session.run(self.sql.lock_savers())

            # Nothing is written before this lock: on a lost connection it is taken on a new
            # one.
            connection.reading(lock_savers)
            watch.what = SETTINGS_ROWS
            session = connection.session
            try:
                with connection.errors(), self._waits(watch, control):
                    return self._attempts(session, base, settings, control)
            finally:
                watch.stop()
                self._unlock_savers(session)

    def _unlock_savers(self, session: Session) -> None:
        """Release the savers' lock; when that fails, end the connection (which releases it):
        a lock kept would stop every other outlook-tui saving."""
        try:
            session.run(self.sql.unlock_savers())
        except Exception as error:
            if self.driver.kind(error) is None:
                raise
            self.connection.drop()

    @contextmanager
    def _waits(self, watch: Watch, control: SaveControl) -> Iterator[None]:
        """A cancelled save ends in Cancelled whatever interrupted it; a lock timeout names
        what was waited for and who held it."""
        started = time.monotonic()
        try:
            yield
        except Exception as error:
            if control.cancelled:
                raise Cancelled from None
            kind = self.driver.kind(error)
            if kind is ErrorKind.LOCK_TIMEOUT:
                raise DatabaseLockTimeout(
                    self.location, watch.what, ", ".join(watch.holders) or
                    "another session (the database did not say whose)",
                    time.monotonic() - started) from None
            if kind is ErrorKind.CANCELLED:
                # Not ours: the statement timeout (lock timeout + STATEMENT_MARGIN s), or a
                # DBA's cancel; the driver's words say which.
                text = self.driver.text(error)
                saved = "" if "nothing was saved" in text else "; nothing was saved"
                raise StoreError(f"{self.location}: {text}{saved}") from None
            raise

    def _attempts(self, session: Session, base: Snapshot, settings: list[SettingChange],
                  control: SaveControl) -> CommitResult:
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            try:
                with session.transaction(self.sql.save_transaction()):
                    result = save_once(session, self.sql, self.token, base, settings,
                                       self.reader.revision(session), self.db_user)
                    control.committing()
                return result
            except Exception as error:
                kind = self.driver.kind(error)
                if kind not in RETRIED:
                    raise
                if attempt == SAVE_ATTEMPTS:
                    # Oro (or a DBA) wrote the same rows at the same moment, every time.
                    raise StoreError(
                        f"{self.location}: the save collided {SAVE_ATTEMPTS} times with "
                        f"another writer saving the same settings at the same moment "
                        f"({self.driver.text(error)}); nothing was saved: reload and try "
                        "again") from None
        raise AssertionError("unreachable")

    # -- history ---------------------------------------------------------------------------

    def history(self, organization_id: int | None = None, *, system: bool = False,
                limit: int | None = None, after_revision: int | None = None,
                ) -> list[HistoryEntry]:
        """Newest first; filtered and limited in SQL (indexed by revision, organization)."""
        def work(session: Session) -> list[HistoryEntry]:
            if not self._history_exists(session):
                return []
            with session.transaction(self.sql.read_transaction()):
                recorded = history.entries(session.rows(self.sql.history(
                    after_revision or 0, organization_id, system, limit)))
                outside = changes_outside(session, self.sql, organization_id, system)
            if after_revision is not None:
                outside = [e for e in outside if e.revision >= after_revision]
            return merged(recorded, outside, limit)

        return self.watching.reading(work)

    # -- which Oro ---------------------------------------------------------------------------

    def oro_version(self) -> OroVersion | None:
        """The Oro family its ``oro_migrations`` rows mark, else ``[database] oro_version``
        (None when neither tells). Read once: an upgrade of Oro restarts outlook-tui too."""
        if self._oro_version is None:
            def work(session: Session) -> OroVersion | None:
                if not self.connection.exists("oro_migrations"):
                    return None
                return from_migrations(
                    (str(b), str(v)) for b, v in session.rows(
                        self.sql.oro_migrations(MARKER_BUNDLES)))

            try:
                detected = self.connection.reading(work)
            except StoreError:
                detected = None  # no SELECT on oro_migrations: the configuration decides
            self._oro_version = (resolve(detected, self.configured_oro_version),)
        return self._oro_version[0]

    # -- outlook-tui db init ---------------------------------------------------------------

    def init_history(self) -> bool:
        """Create outlook-tui's history table; False when it existed already."""
        connection = self.connection
        if connection.forced_read_only:
            raise ReadOnlyError(f"{self.location} was opened with --read-only; nothing created")
        with connection.lock, connection.errors():
            session = connection.session
            existed = self._history_exists()
            with session.transaction([]):
                for statement in self.sql.create_history():
                    session.run(statement)
            connection.read_only_reason = connection.why_read_only()
        return not existed
