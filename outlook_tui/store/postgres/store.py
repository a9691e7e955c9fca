"""Oro's own PostgreSQL database as the store: the settings where Oro keeps them, written as Oro
writes them (:mod:`.encoding`), through the SQL of :mod:`.dialect`.

- Organizations come from ``oro_organization`` and are managed in Oro (no editing here).
- A setting at system level is a row of the ``app``/0 scope, at organization level of the
  ``organization``/id scope; no row means Use System (Use default). Only rows of the
  ``oro_crm_pro_outlook`` section are ever written.
- A save is one transaction: lock the scopes' ``oro_config`` rows and their values
  (``FOR UPDATE``), merge against what is stored now with the JSON store's own rules
  (:func:`outlook_tui.store.changes.apply`), write the rows and the history, commit.
- The revision is the highest in ``outlook_tui_history`` (``outlook-tui db init``); Oro's own
  writes do not bump it, so "changed?" is answered by :meth:`change_token` instead.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from outlook_tui.catalog import BY_NAME, CATALOG, SECTION, Scope, Value
from outlook_tui.store.backend import ASKED_READ_ONLY, Capability, CommitResult
from outlook_tui.store.changes import AppliedChange, Change, SettingChange, apply
from outlook_tui.store.errors import (
    Conflict,
    ConflictError,
    InputError,
    ReadOnlyError,
    StoreError,
)
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.identity import current_user, ssh_client
from outlook_tui.store.postgres.after_save import run_after_save
from outlook_tui.store.postgres.dialect import HISTORY_TABLE, PostgresDialect
from outlook_tui.store.postgres.encoding import SCALAR, SERIALIZED_NULL, Damaged, decode, encode
from outlook_tui.store.snapshot import Snapshot, sort_key

T = TypeVar("T")
SETTING_NAMES = [s.name for s in CATALOG]
CHUNK = 5000
#: Saves retried when someone changed the same rows between our snapshot and our locks.
SAVE_ATTEMPTS = 5
SCHEMA_VERSION = 1
EXTRA_HINT = "pip install 'outlook-tui[postgres]'"
#: Said after every save: Oro serves cached values until its configuration cache is cleared.
CACHE_NOTICE = (
    "Oro caches its configuration: clear it for Oro to use the new values "
    "(bin/console cache:pool:clear oro_config.cache on Oro 5.1+, bin/console cache:clear before)")


def is_database_uri(location: str | None) -> bool:
    return bool(location) and str(location).startswith(("postgresql://", "postgres://"))


def redact(uri: str) -> str:
    """The URI without its password (in the user part or as a ``password=`` parameter)."""
    parts = urlsplit(uri)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hosts = netloc.rpartition("@")
        netloc = userinfo.partition(":")[0] + "@" + hosts
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k != "password"], safe="/")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "Oro's database needs psycopg, which is not installed: "
            f"{EXTRA_HINT}") from None
    return psycopg


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _unjson(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


class PostgresStore:
    """:class:`~outlook_tui.store.backend.StoreBackend` on Oro's PostgreSQL database."""

    kind = "Oro database (PostgreSQL)"

    def __init__(self, uri: str, *, read_only: bool = False,
                 after_save_command: str | None = None) -> None:
        self.uri = uri
        self.sql = PostgresDialect()
        #: Run after each committed save (see after_save.py).
        self.after_save_command = after_save_command
        self._lock = threading.RLock()
        self._connection: Any = None
        self._forced_read_only = read_only
        self.read_only_reason: str | None = None
        self.db_user = ""
        self.database = ""
        #: The organizations' rows of the last load, with the token part they belong to.
        self._organizations: tuple[tuple[int, int], list[dict[str, Any]],
                                   dict[int, int]] | None = None
        self._connect()

    # -- connection ------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return redact(self.uri)

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def _connect(self) -> None:
        psycopg = _psycopg()
        try:
            connection = psycopg.connect(self.uri, autocommit=True,
                                         application_name="outlook-tui")
        except psycopg.Error as error:
            raise StoreError(f"cannot connect to {self.location}: "
                             f"{str(error).strip()}") from None
        self._connection = connection
        with self._errors():
            user, standby, read_only_default, database = connection.execute(
                self.sql.session).fetchone()
            self.db_user, self.database = user, database
            if self._forced_read_only:
                connection.execute(self.sql.set_read_only)
            for table in ("oro_organization", "oro_config", "oro_config_value"):
                if not self._exists(table):
                    raise StoreError(
                        f"{self.location}: no table {table} in database {database}: "
                        "this is not an Oro database (or the search_path misses Oro's schema)")
            self.read_only_reason = self._why_read_only(standby, read_only_default)

    def _why_read_only(self, standby: bool, read_only_default: str) -> str | None:
        if self._forced_read_only:
            return ASKED_READ_ONLY
        if standby:
            return "the server is a read-only standby"
        if read_only_default == "on":
            return (f"database user {self.db_user}'s transactions are read-only "
                    "(default_transaction_read_only)")
        needed = [("oro_config_value", "INSERT"), ("oro_config_value", "UPDATE"),
                  ("oro_config_value", "DELETE"), ("oro_config", "INSERT"),
                  # a save locks its scopes' rows (SELECT ... FOR UPDATE), which needs UPDATE
                  ("oro_config", "UPDATE")]
        missing = [f"{p} on {t}" for t, p in needed if not self._may(t, p)]
        missing += [f"USAGE on {t}'s id sequence" for t in ("oro_config_value", "oro_config")
                    if not self._may_number(t)]
        if missing:
            return (f"database user {self.db_user} may not write Oro's settings "
                    f"(no {', '.join(missing)})")
        if not self._exists(HISTORY_TABLE):
            return (f"outlook-tui's history table {HISTORY_TABLE} does not exist yet: run "
                    "`outlook-tui db init` (or give a DBA `outlook-tui db init --print-sql`)")
        if not self._may(HISTORY_TABLE, "INSERT") or not self._may_number(HISTORY_TABLE):
            return (f"database user {self.db_user} may not write {HISTORY_TABLE} (needs INSERT "
                    "and USAGE on its id sequence)")
        return None

    def _exists(self, table: str) -> bool:
        return bool(self._connection.execute(self.sql.table_exists, (table,)).fetchone()[0])

    def _may_number(self, table: str) -> bool:
        """May take ids from the table's serial sequence (an INSERT needs it)."""
        return bool(self._connection.execute(self.sql.sequence_privilege,
                                             (table,)).fetchone()[0])

    def _may(self, table: str, privilege: str) -> bool:
        return bool(self._connection.execute(self.sql.privilege,
                                             (table, privilege)).fetchone()[0])

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Database errors as StoreError naming the database; a lost connection reconnects
        on the next call."""
        psycopg = _psycopg()
        try:
            yield
        except psycopg.errors.InsufficientPrivilege as error:
            raise StoreError(f"{self.location}: database user {self.db_user} lacks a "
                             f"privilege: {error.diag.message_primary}; nothing was saved"
                             ) from None
        except psycopg.OperationalError as error:
            self._drop_connection()
            raise StoreError(f"{self.location}: the database connection failed: "
                             f"{str(error).strip()}") from None
        except psycopg.Error as error:
            raise StoreError(f"{self.location}: {str(error).strip()}") from None

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None

    def _conn(self) -> Any:
        if self._connection is None or self._connection.closed:
            self._connect()
        return self._connection

    def close(self) -> None:
        with self._lock:
            self._drop_connection()

    # -- capabilities ----------------------------------------------------------------------

    def supports(self, capability: Capability) -> bool:
        return False

    def unsupported_reason(self, capability: Capability) -> str:
        if capability is Capability.ORGANIZATION_EDITING:
            return "organizations are managed in Oro"
        if capability is Capability.BACKUPS:
            return "Oro's database is backed up with the database's own tools (pg_dump)"
        return f"{capability.value} is not available on Oro's database"

    def exists(self) -> bool:
        return True

    # -- reading ---------------------------------------------------------------------------

    def _reading(self, work: Callable[[Any], T]) -> T:
        """Run a read on the connection; when the connection was lost (the server restarted,
        an idle timeout), once more on a new one: reads are safe to repeat, saves are not."""
        with self._lock:
            try:
                with self._errors():
                    return work(self._conn())
            except StoreError:
                if self._connection is not None:
                    raise  # not a lost connection
            with self._errors():
                return work(self._conn())

    def change_token(self) -> tuple[int, int, int, int]:
        return self._reading(self._token)

    def _token(self, connection: Any) -> tuple[int, int, int, int]:
        row = connection.execute(self.sql.change_token,
                                 {"section": SECTION, "names": SETTING_NAMES}).fetchone()
        return (int(row[0]), int(row[1]), int(row[2]), int(row[3]))

    def changed_since(self, snapshot: Snapshot) -> bool:
        return self.change_token() != snapshot.fingerprint

    def fingerprint(self) -> tuple[int, int, int, int]:
        """The JSON store's name for :meth:`change_token` (the app polls either)."""
        return self.change_token()

    def _revision(self, connection: Any) -> int:
        if not self._exists(HISTORY_TABLE):
            return 0
        return int(connection.execute(self.sql.history_revision).fetchone()[0])

    def load(self, pause: Callable[[], None] | None = None) -> Snapshot:
        """Every organization and this section's values, streamed in chunks from one
        consistent (repeatable read) view of the database."""
        return self._reading(lambda connection: self._load(connection, pause))

    def _load(self, connection: Any, pause: Callable[[], None] | None) -> Snapshot:
        with connection.transaction():
            connection.execute(self.sql.snapshot_transaction)
            token = self._token(connection)
            revision = self._revision(connection)
            records, positions = self._organization_records(connection, token, pause)
            rows = self._stream(connection, self.sql.values,
                                {"section": SECTION, "names": SETTING_NAMES}, pause)
            return self._snapshot(records, rows, revision, token, validated=True,
                                  positions=positions)

    def _organization_records(
            self, connection: Any, token: tuple[int, int, int, int],
            pause: Callable[[], None] | None) -> tuple[list[dict[str, Any]], dict[int, int]]:
        """Every organization (without overrides) in name order, and id -> position. Reused
        from the last load while the token's organization part is unchanged: a setting saved
        in Oro then reloads in a fraction of the time at 100k organizations."""
        if self._organizations is not None and self._organizations[0] == token[2:]:
            return self._organizations[1], self._organizations[2]
        rows = self._stream(connection, self.sql.organizations, None, pause,
                            "outlook_tui_organizations")
        records = [_record(row) for row in rows]
        records.sort(key=lambda r: sort_key(r["name"]))
        positions = {r["id"]: i for i, r in enumerate(records)}
        self._organizations = (token[2:], records, positions)
        return records, positions

    def peek(self, limit: int) -> Snapshot | None:
        """The first ``limit`` organizations by name and their values: indexed queries only."""
        return self._reading(lambda connection: self._peek(connection, limit))

    def _peek(self, connection: Any, limit: int) -> Snapshot:
        with connection.transaction():
            connection.execute(self.sql.snapshot_transaction)
            revision = self._revision(connection)
            records = [_record(row) for row in connection.execute(
                self.sql.first_organizations, (limit,)).fetchall()]
            ids = [r["id"] for r in records]
            rows = connection.execute(
                self.sql.values_of_scopes,
                {"section": SECTION, "names": SETTING_NAMES, "ids": ids}).fetchall()
            # No token: a preview is only shown until load() replaces it.
            return self._snapshot(records, rows, revision, None, validated=False)

    def _stream(self, connection: Any, query: str, params: dict[str, Any] | None,
                pause: Callable[[], None] | None,
                cursor_name: str = "outlook_tui_values") -> list[tuple[Any, ...]]:
        """All rows of ``query`` through a server-side cursor, ``CHUNK`` at a time."""
        rows: list[tuple[Any, ...]] = []
        with connection.cursor(name=cursor_name) as cursor:
            cursor.itersize = CHUNK
            cursor.execute(query, params)
            while chunk := cursor.fetchmany(CHUNK):
                rows.extend(chunk)
                if pause is not None:
                    pause()
        return rows

    def _snapshot(self, records: list[dict[str, Any]], rows: list[tuple[Any, ...]],
                  revision: int, token: tuple[int, int, int, int] | None,
                  validated: bool, positions: dict[int, int] | None = None) -> Snapshot:
        """``records`` (organizations without overrides, in name order when ``positions``
        is given, shared with other snapshots and never modified) with the values of
        ``rows``: only the organizations that override something get a record of their own."""
        if positions is None:
            records.sort(key=lambda r: sort_key(r["name"]))
            positions = {r["id"]: i for i, r in enumerate(records)}
        system: dict[str, Value] = {}
        overrides: dict[int, dict[str, Value]] = {}
        damaged: list[dict[str, Any]] = []
        for row_id, entity, record_id, name, text_value, type_ in rows:
            at = positions.get(record_id) if entity == "organization" else None
            if entity == "organization" and at is None:
                continue  # a scope left behind by a deleted organization: Oro ignores it too
            org = None if at is None else records[at]
            try:
                value = decode(BY_NAME[name], text_value, type_)
            except Damaged as reason:
                damaged.append(_damaged(row_id, org, name, text_value, type_, str(reason)))
                continue
            target = system if org is None else overrides.setdefault(org["id"], {})
            target[name] = value
        organizations = list(records)
        for organization_id, values in overrides.items():
            at = positions[organization_id]
            organizations[at] = {**records[at], "overrides": _ordered(values)}
        document = {
            "schema_version": SCHEMA_VERSION,
            "store_id": f"postgresql:{self.database}",
            "revision": revision,
            "system": _ordered(system),
            "organizations": organizations,
            "damaged": damaged,
        }
        return Snapshot(document, fingerprint=token, validated=validated,
                        id_positions=positions)

    # -- writing ---------------------------------------------------------------------------

    def commit(self, base: Snapshot, changes: Sequence[Change]) -> CommitResult:
        if self.read_only_reason is not None:
            raise ReadOnlyError(f"{self.location} is read-only ({self.read_only_reason}); "
                                "nothing was saved")
        settings: list[SettingChange] = []
        for change in changes:
            if not isinstance(change, SettingChange):
                raise InputError(f"{self.unsupported_reason(Capability.ORGANIZATION_EDITING)}"
                                 ": create, rename and (de)activate them in Oro; nothing was "
                                 "saved")
            settings.append(change)
        if not base.validated:
            raise InputError("nothing was saved: the store has not finished loading")
        with self._lock:
            # Nothing is written before this lock: on a lost connection it is taken on a new one.
            self._reading(lambda connection: connection.execute(self.sql.lock_savers))
            result = self._locked_commit(base, settings)
        if result.applied and self.after_save_command:
            ran = run_after_save(self.after_save_command, result.snapshot.revision)
            result.notices.extend(ran.notices)
            result.warnings.extend(ran.warnings)
        return result

    def _locked_commit(self, base: Snapshot, settings: list[SettingChange]) -> CommitResult:
        psycopg = _psycopg()
        with self._errors():
            connection = self._conn()
            try:
                for attempt in range(SAVE_ATTEMPTS):
                    try:
                        with connection.transaction():
                            connection.execute(self.sql.save_transaction)
                            result = self._commit(connection, base, settings)
                        break
                    except psycopg.errors.SerializationFailure:
                        if attempt == SAVE_ATTEMPTS - 1:
                            raise
            finally:
                with suppress(psycopg.Error):
                    connection.execute(self.sql.unlock_savers)
        return result

    def _commit(self, connection: Any, base: Snapshot,
                changes: list[SettingChange]) -> CommitResult:
        sql = self.sql
        revision_now = self._revision(connection)
        org_ids = sorted({c.organization_id for c in changes if c.organization_id is not None})
        system_touched = any(c.organization_id is None for c in changes)
        orgs_now = {row[0]: _record(row) for row in connection.execute(
            sql.organizations_by_id, (org_ids,)).fetchall()}
        unknown = [i for i in org_ids if base.get(i) is None]
        if unknown:
            raise InputError(f"no organization with id {unknown[0]}; nothing was saved")
        gone = [i for i in org_ids if i not in orgs_now]
        if gone:
            names = [repr(o.name) for i in gone if (o := base.get(i)) is not None]
            raise InputError(f"no longer in Oro's database (deleted in Oro meanwhile?): "
                             f"{', '.join(names)}; nothing was saved: reload")
        # Create the scope rows a value will be stored in (race-safe), then lock them all.
        setting_scopes = {c.organization_id for c in changes if c.new is not None}
        creating = [("app", 0) if o is None else ("organization", o) for o in setting_scopes]
        if creating:
            connection.execute(sql.create_scopes, ([e for e, _ in creating],
                                                   [r for _, r in creating]))
        config_ids: dict[int | None, int] = {}
        for config_id, entity, record_id in connection.execute(
                sql.lock_scopes, (system_touched, org_ids)).fetchall():
            config_ids[None if entity == "app" else record_id] = config_id
        scope_of = {v: k for k, v in config_ids.items()}
        stored: dict[tuple[int | None, str], tuple[int, str | None, str]] = {}
        xmins: dict[int, int] = {}
        for row_id, config_id, name, text_value, type_, xmin in connection.execute(
                sql.lock_values, {"config_ids": list(config_ids.values()), "section": SECTION,
                                  "names": SETTING_NAMES}).fetchall():
            stored[(scope_of[config_id], name)] = (row_id, text_value, type_)
            xmins[row_id] = int(xmin)

        # What is stored now, in the snapshot's form, for the merge rules of changes.apply.
        document = dict(base.document)
        records = list(base.records)
        document["organizations"] = records
        positions = base.id_positions()
        now_values: dict[int | None, dict[str, Value]] = {None: {}}
        now_values.update({i: {} for i in org_ids})
        damaged_now: dict[tuple[int | None, str], dict[str, Any]] = {}
        for (scope, name), (row_id, text_value, type_) in stored.items():
            try:
                now_values[scope][name] = decode(BY_NAME[name], text_value, type_)
            except Damaged as reason:
                org = orgs_now.get(scope) if scope is not None else None
                damaged_now[(scope, name)] = _damaged(row_id, org, name, text_value, type_,
                                                      str(reason))
        if system_touched:
            document["system"] = _ordered(now_values[None])
        for org_id in org_ids:
            at = positions.get(org_id)
            if at is None:
                raise InputError(f"organization {orgs_now[org_id]['name']!r} was added in Oro "
                                 "after this view was loaded; nothing was saved: reload")
            records[at] = {**records[at], "overrides": _ordered(now_values[org_id])}

        # A damaged value is replaced only by a change made while it was shown as damaged.
        seen_damaged = {(d["organization_id"], d["name"]): d for d in base.damaged}
        conflicts: list[Conflict] = []
        for change in changes:
            found = damaged_now.get((change.organization_id, change.name))
            if found is None:
                continue
            seen = seen_damaged.get((change.organization_id, change.name))
            if seen is None or (seen["row_id"], seen["text_value"], seen["type"]) != (
                    found["row_id"], found["text_value"], found["type"]):
                setting = BY_NAME[change.name]
                where = "System" if change.organization_id is None else \
                    orgs_now[change.organization_id]["name"]
                conflicts.append(Conflict(where, setting.label, setting.name,
                                          change.organization_id, change.old, change.new,
                                          f"damaged: {found['text_value']!r}"))
        now = utc_now()
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        outcome = apply(document, changes, stamp, positions)
        conflicts.extend(outcome.conflicts)
        if conflicts:
            raise ConflictError(conflicts, revision_now)
        merged_over = revision_now - base.revision
        # Use System (or Use default) on a value shown as damaged deletes its row: apply() sees
        # nothing stored there, since a damaged value reads as inherited. The check above made
        # sure the row is still the one the person saw.
        cleared = [c for c in changes if isinstance(c, SettingChange) and c.new is None
                   and (c.organization_id, c.name) in damaged_now]
        if not outcome.applied and not cleared:
            return CommitResult(base, [], merged_over)

        deletes: list[int] = []
        updates: tuple[list[int], list[str | None]] = ([], [])
        inserts: tuple[list[int], list[str], list[str | None]] = ([], [], [])
        applied: list[AppliedChange] = []
        for done in outcome.applied:
            scope = done.organization_id
            name = done.key.partition(".")[2]
            row = stored.get((scope, name))
            old = done.old
            if (scope, name) in damaged_now:
                old = damaged_now[(scope, name)]["text_value"]
            if scope is not None:
                done = AppliedChange(done.scope, scope, orgs_now[scope]["name"], done.key,
                                       old, done.new)
            else:
                done = AppliedChange(done.scope, None, None, done.key, old, done.new)
            applied.append(done)
            if done.new is None:
                if row is not None:
                    deletes.append(row[0])
                continue
            text = encode(BY_NAME[name], done.new).text_value
            if row is not None:
                updates[0].append(row[0])
                updates[1].append(text)
            else:
                inserts[0].append(config_ids[scope])
                inserts[1].append(name)
                inserts[2].append(text)
        for change in cleared:
            found = damaged_now[(change.organization_id, change.name)]
            deletes.append(found["row_id"])
            scope_name = Scope.SYSTEM if change.organization_id is None else Scope.ORGANIZATION
            org_name = None if change.organization_id is None else \
                orgs_now[change.organization_id]["name"]
            applied.append(AppliedChange(scope_name, change.organization_id, org_name,
                                         BY_NAME[change.name].key, found["text_value"], None))
        if deletes:
            connection.execute(sql.delete_values, (deletes,))
        if updates[0]:
            connection.execute(sql.update_values, (SCALAR, SERIALIZED_NULL, SERIALIZED_NULL,
                                                   now, *updates))
        if inserts[0]:
            connection.execute(sql.insert_values, (SECTION, SERIALIZED_NULL, SERIALIZED_NULL,
                                                   SCALAR, now, now, *inserts))
        revision = revision_now + 1
        user, client = current_user(), ssh_client()
        with connection.cursor().copy(sql.copy_history) as copy:
            for a in applied:
                copy.write_row((revision, now, user, client, self.db_user, str(a.scope),
                                a.organization_id, a.organization_name, a.key, _json(a.old),
                                _json(a.new), None, None))
        # The token the database would have if nobody but us changed anything since the base
        # was loaded: the base's, with our rows' count and xmin (our transaction id) swapped in.
        token_after = self._token(connection)
        expected: tuple[int, int, int, int] | None = None
        if base.fingerprint is not None:
            xid = int(connection.execute(sql.transaction_id).fetchone()[0])
            count, xmin_sum, org_count, org_sum = base.fingerprint
            replaced = [*deletes, *updates[0]]
            expected = (count + len(inserts[0]) - len(deletes),
                        xmin_sum - sum(xmins[i] for i in replaced)
                        + xid * (len(updates[0]) + len(inserts[0])),
                        org_count, org_sum)

        # The new snapshot: the base with what is stored now in the scopes we touched. When
        # someone else changed other scopes meanwhile, its token is unknown (None): the app's
        # watch then reloads the whole view.
        new_document = outcome.document
        new_document["revision"] = revision
        for org_id in org_ids:
            at = positions[org_id]
            new_document["organizations"][at]["updated_at"] = base.records[at]["updated_at"]
        touched = {(a.organization_id, a.key.partition(".")[2]) for a in applied}
        def scope_touched(organization_id: int | None) -> bool:
            return organization_id in org_ids or (organization_id is None and system_touched)

        new_document["damaged"] = [
            *(d for d in base.damaged if not scope_touched(d["organization_id"])),
            *(d for key, d in damaged_now.items() if key not in touched)]
        fingerprint = token_after if token_after == expected else None
        if fingerprint is None:
            merged_over = max(merged_over, 1)
        snapshot = Snapshot(new_document, fingerprint=fingerprint, validated=True,
                            id_positions=positions)
        return CommitResult(snapshot, applied, merged_over, notices=[CACHE_NOTICE])

    # -- history ---------------------------------------------------------------------------

    def history(self, organization_id: int | None = None, *, system: bool = False,
                limit: int | None = None, after_revision: int | None = None,
                ) -> list[HistoryEntry]:
        """Newest first; filtered and limited in SQL (indexed by revision, organization)."""
        def work(connection: Any) -> list[tuple[Any, ...]]:
            if not self._exists(HISTORY_TABLE):
                return []
            return list(connection.execute(self.sql.history, {
                "after": after_revision or 0, "organization_id": organization_id,
                "system": system, "limit": limit}).fetchall())

        rows = self._reading(work)
        return [HistoryEntry(time=row[0], user=row[1], ssh_client=row[2], db_user=row[3],
                             revision=row[4], scope=row[5], organization_id=row[6],
                             organization_name=row[7], key=row[8], old=_unjson(row[9]),
                             new=_unjson(row[10]), event=row[11], detail=row[12])
                for row in rows]

    # -- outlook-tui db init ---------------------------------------------------------------

    def init_history(self) -> bool:
        """Create outlook-tui's history table; False when it existed already."""
        if self._forced_read_only:
            raise ReadOnlyError(f"{self.location} was opened with --read-only; nothing created")
        with self._lock, self._errors():
            connection = self._conn()
            existed = self._exists(HISTORY_TABLE)
            with connection.transaction():
                connection.execute(self.sql.history_ddl)
            self.read_only_reason = None
            self._connect_reasons()
        return not existed

    def _connect_reasons(self) -> None:
        _, standby, read_only_default, _ = self._connection.execute(
            self.sql.session).fetchone()
        self.read_only_reason = self._why_read_only(standby, read_only_default)


def _record(row: tuple[Any, ...]) -> dict[str, Any]:
    return {"id": row[0], "name": row[1], "description": row[2], "enabled": row[3],
            "created_at": row[4], "updated_at": row[5], "overrides": {}}


def _damaged(row_id: int, org: dict[str, Any] | None, name: str, text_value: str | None,
             type_: str, reason: str) -> dict[str, Any]:
    return {"row_id": row_id, "organization_id": None if org is None else org["id"],
            "organization_name": None if org is None else org["name"], "name": name,
            "key": BY_NAME[name].key, "text_value": text_value, "type": type_,
            "reason": reason}


def _ordered(values: dict[str, Value]) -> dict[str, Value]:
    return {s.name: values[s.name] for s in CATALOG if s.name in values}
