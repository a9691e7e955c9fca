"""Every SQL statement the store runs on PostgreSQL (:class:`outlook_tui.store.oro.sql.Dialect`).

Lists are passed as one array parameter (``= ANY(%s)``, ``unnest``); a save's history rows go
in through COPY.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from outlook_tui.catalog import CATALOG, SECTION
from outlook_tui.store.lock import timeout_from_environment
from outlook_tui.store.oro.encoding import SCALAR, SERIALIZED_NULL
from outlook_tui.store.oro.history import HISTORY_TABLE, INDEXES, create_table
from outlook_tui.store.oro.sql import STATEMENT_MARGIN, Mode, Row, Statement

SETTING_NAMES = [s.name for s in CATALOG]
_SECTION = {"section": SECTION, "names": SETTING_NAMES}

_ORGANIZATIONS = """
SELECT id, name, coalesce(description, ''), enabled,
       coalesce(to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ''),
       coalesce(to_char(updated_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')
FROM oro_organization"""


class PostgresDialect:
    name = "PostgreSQL"
    history_table = HISTORY_TABLE

    history_ddl = create_table({
        "ID": "BIGSERIAL NOT NULL", "TIME": "TIMESTAMP(0) WITHOUT TIME ZONE NOT NULL",
        "TEXT": "TEXT DEFAULT NULL", "USER": "VARCHAR(255) NOT NULL DEFAULT CURRENT_USER",
    }) + "".join(f"CREATE INDEX IF NOT EXISTS {HISTORY_TABLE}_{suffix} ON {HISTORY_TABLE} "
                 f"({columns});\n" for suffix, columns in INDEXES)

    history_grants = f"""\
-- For each role that saves with outlook-tui (replace admin_role):
-- GRANT SELECT, INSERT ON {HISTORY_TABLE} TO admin_role;
-- GRANT USAGE ON SEQUENCE {HISTORY_TABLE}_id_seq TO admin_role;
-- GRANT SELECT, INSERT, UPDATE, DELETE ON oro_config_value TO admin_role;
-- GRANT USAGE ON SEQUENCE oro_config_value_id_seq, oro_config_id_seq TO admin_role;
-- GRANT SELECT, INSERT, UPDATE ON oro_config TO admin_role;  -- UPDATE: to lock rows
-- GRANT SELECT ON oro_organization TO admin_role;
"""

    def create_history(self) -> list[Statement]:
        return [Statement(self.history_ddl)]

    # -- the session --

    def session(self) -> Statement:
        return Statement("SELECT current_user, pg_is_in_recovery(), "
                         "current_setting('default_transaction_read_only') = 'on', "
                         "current_database()")

    session_word = "pid"
    names_applications = True
    server_read_only_reason = "the server is a read-only standby"

    def session_read_only_reason(self, user: str) -> str:
        return f"database user {user}'s transactions are read-only (default_transaction_read_only)"

    def set_read_only(self) -> Statement:
        return Statement("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")

    def table_exists(self, table: str) -> Statement:
        return Statement("SELECT to_regclass(%s) IS NOT NULL", (table,))

    def missing_table(self, table: str, database: str) -> str:
        return (f"no table {table} in database {database}: this is not an Oro database (or "
                "the search_path misses Oro's schema)")

    def privilege(self, table: str, privilege: str) -> Statement:
        return Statement("SELECT has_table_privilege(%s, %s)", (table, privilege))

    def id_privilege(self, table: str) -> Statement:
        # NULL (taken as yes) when the id is no serial column.
        return Statement("SELECT coalesce(has_sequence_privilege("
                         "pg_get_serial_sequence(%s, 'id'), 'USAGE'), true)", (table,))

    # -- transactions --

    def bounds(self) -> list[Statement]:
        """lock_timeout bounds every lock wait (rows, tables, the savers' advisory lock);
        0 would mean "no limit" to PostgreSQL, so a lock timeout of 0 waits 1 ms."""
        return self._timeouts("LOCAL")

    def session_bounds(self) -> list[Statement]:
        return self._timeouts("SESSION")

    def _timeouts(self, scope: str) -> list[Statement]:
        lock = max(1, round(timeout_from_environment() * 1000))
        return [Statement(f"SET {scope} lock_timeout = {lock}"),
                Statement(f"SET {scope} statement_timeout = {lock + STATEMENT_MARGIN * 1000}")]

    def table_lock_holders(self, tables: Sequence[str]) -> Statement:
        """A read (AccessShareLock) waits only for an ACCESS EXCLUSIVE lock on a table (LOCK
        TABLE, ALTER TABLE, TRUNCATE, VACUUM FULL)."""
        return Statement("""
SELECT DISTINCT a.pid, a.usename, a.application_name, host(a.client_addr), c.relname
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid JOIN pg_class c ON c.oid = l.relation
WHERE l.granted AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
  AND l.pid <> pg_backend_pid()
  AND l.relation IN (SELECT to_regclass(t) FROM unnest(%s::text[]) t)
ORDER BY c.relname, a.pid""", (list(tables),))

    def read_transaction(self) -> list[Statement]:
        return [Statement("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"),
                *self.bounds()]

    def save_transaction(self) -> list[Statement]:
        """A save sees one snapshot (taken after the savers' lock): its tokens before and after
        are exact. A row changed since by someone else makes it fail with a serialization
        error, and the save is retried on the new state."""
        return [Statement("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"), *self.bounds()]

    # -- while a save waits --

    def backend_id(self) -> Statement:
        return Statement("SELECT pg_backend_pid()")

    def blockers(self, backend_id: Any) -> Statement:
        return Statement("""
SELECT a.pid, a.usename, a.application_name, host(a.client_addr) FROM pg_stat_activity a
WHERE a.pid = ANY(pg_blocking_pids(%s)) ORDER BY a.pid""", (backend_id,))

    def cancel(self, backend_id: Any) -> Statement:
        """Allowed for the same database user's sessions without any privilege."""
        return Statement("SELECT pg_cancel_backend(%s)", (backend_id,))

    # -- reading --

    def history_revision(self) -> Statement:
        return Statement(f"SELECT coalesce(max(revision), 0) FROM {HISTORY_TABLE}")

    def organizations(self) -> Statement:
        # Nearly in the app's name order (casefold, then code points): sorting them again in
        # Python is then one pass, not a long sort holding the interpreter while keys wait.
        return Statement(_ORGANIZATIONS + '\nORDER BY lower(name) COLLATE "C", name COLLATE "C"')

    def first_organizations(self, limit: int) -> Statement:
        # Case-insensitive, as the app sorts (the database's collation may put 'Z' before 'a').
        # The dates are formatted only for the rows returned, not for all 100k before the sort.
        return Statement(_ORGANIZATIONS + """
WHERE id IN (SELECT id FROM oro_organization ORDER BY lower(name), name LIMIT %s)""", (limit,))

    def organizations_by_id(self, ids: Sequence[int]) -> Statement:
        return Statement(_ORGANIZATIONS + " WHERE id = ANY(%s)", (list(ids),))

    def organizations_named(self, ids: Sequence[int], names: Sequence[str]) -> Statement:
        return Statement(_ORGANIZATIONS + " WHERE id = ANY(%s) OR name = ANY(%s)",
                         (list(ids), list(names)))

    def values(self) -> Statement:
        # record_id 0 is the system scope ('app'); organization scopes carry the organization's id.
        return Statement("""
SELECT v.id, c.entity, c.record_id, v.name, v.text_value, v.type
FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
WHERE v.section = %(section)s AND v.name = ANY(%(names)s)
  AND ((c.entity = 'app' AND c.record_id = 0) OR c.entity = 'organization')""", _SECTION)

    def values_of_scopes(self, organization_ids: Sequence[int]) -> Statement:
        """The system's and a few organizations' values: through the scopes' rows (indexed on
        entity, record_id) and config_id, not through the section's 20k rows at 100k."""
        return Statement("""
SELECT v.id, c.entity, c.record_id, v.name, v.text_value, v.type
FROM oro_config c JOIN oro_config_value v ON v.config_id = c.id
WHERE ((c.entity = 'app' AND c.record_id = 0)
       OR (c.entity = 'organization' AND c.record_id = ANY(%(ids)s)))
  AND v.section = %(section)s AND v.name = ANY(%(names)s)""",
                         {**_SECTION, "ids": list(organization_ids)})

    # -- saving (one transaction) --

    def lock_savers(self) -> Statement:
        """Serializes outlook-tui's own savers, so revisions are numbered without gaps or
        twins. A session-level advisory lock, taken before the save's transaction starts (its
        snapshot must include the previous saver's commit) and needing no privilege (LOCK
        TABLE would need UPDATE on the history table). Released by unlock, or when the
        connection ends."""
        return Statement("SELECT pg_advisory_lock(hashtext('outlook-tui save'))")

    def unlock_savers(self) -> Statement:
        return Statement("SELECT pg_advisory_unlock(hashtext('outlook-tui save'))")

    def create_scopes(self, scopes: Sequence[tuple[str, int]]) -> Statement:
        return Statement("""
INSERT INTO oro_config (entity, record_id)
SELECT * FROM unnest(%s::varchar[], %s::int[])
ON CONFLICT (entity, record_id) DO NOTHING""", ([e for e, _ in scopes], [r for _, r in scopes]))

    def lock_scopes(self, system: bool, organization_ids: Sequence[int]) -> Statement:
        return Statement("""
SELECT id, entity, record_id FROM oro_config
WHERE (entity = 'app' AND record_id = 0 AND %s) OR (entity = 'organization' AND record_id = ANY(%s))
ORDER BY id FOR UPDATE""", (system, list(organization_ids)))

    def lock_values(self, config_ids: Sequence[int]) -> Statement:
        """The version of a row is its xmin (see :class:`~.token.XminToken`)."""
        return Statement("""
SELECT v.id, v.config_id, v.name, v.text_value, v.type, v.xmin::text::bigint
FROM oro_config_value v
WHERE v.config_id = ANY(%(config_ids)s) AND v.section = %(section)s AND v.name = ANY(%(names)s)
ORDER BY v.id FOR UPDATE""", {**_SECTION, "config_ids": list(config_ids)})

    def delete_values(self, ids: Sequence[int]) -> Statement:
        return Statement("DELETE FROM oro_config_value WHERE id = ANY(%s)", (list(ids),))

    def update_values(self, rows: Sequence[tuple[int, str]], now: Any) -> Statement:
        return Statement("""
UPDATE oro_config_value v SET text_value = u.text_value, type = %s, object_value = %s,
  array_value = %s, updated_at = %s
FROM unnest(%s::int[], %s::text[]) AS u(id, text_value) WHERE v.id = u.id""",
                         (SCALAR, SERIALIZED_NULL, SERIALIZED_NULL, now,
                          [i for i, _ in rows], [t for _, t in rows]))

    def insert_values(self, rows: Sequence[tuple[int, str, str]], now: Any) -> Statement:
        return Statement("""
INSERT INTO oro_config_value (config_id, name, section, text_value, object_value, array_value,
  type, created_at, updated_at)
SELECT u.config_id, u.name, %s, u.text_value, %s, %s, %s, %s, %s
FROM unnest(%s::int[], %s::varchar[], %s::text[]) AS u(config_id, name, text_value)""",
                         (SECTION, SERIALIZED_NULL, SERIALIZED_NULL, SCALAR, now, now,
                          [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]))

    def insert_history(self, rows: Sequence[Row]) -> Statement:
        return Statement(f"COPY {HISTORY_TABLE} (revision, time, os_user, ssh_client, db_user, "
                         "scope, organization_id, organization_name, setting_key, old_value, "
                         "new_value, event, detail) FROM STDIN", list(rows), Mode.COPY)

    # -- history --

    def history(self, after: int, organization_id: int | None, system: bool,
                limit: int | None) -> Statement:
        return Statement(f"""
SELECT to_char(time, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), os_user, ssh_client, db_user, revision,
       scope, organization_id, organization_name, setting_key, old_value, new_value, event, detail,
       id
FROM {HISTORY_TABLE}
WHERE revision > %(after)s
  AND (%(organization_id)s::int IS NULL OR organization_id = %(organization_id)s)
  AND (NOT %(system)s OR scope = 'system' OR event IS NOT NULL)
ORDER BY revision DESC, id DESC LIMIT %(limit)s""", {
            "after": after, "organization_id": organization_id, "system": system,
            "limit": limit})

    # -- changes made outside outlook-tui (see store/outside.py) --

    def newest_history(self, organization_id: int | None, system: bool) -> Statement:
        """The newest entry per scope and setting (ids grow with revisions: the savers are
        serialized), for one organization, the system, or all; columns as :meth:`history`."""
        return Statement(f"""
SELECT to_char(time, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), os_user, ssh_client, db_user, revision,
       scope, organization_id, organization_name, setting_key, old_value, new_value, event, detail,
       id
FROM {HISTORY_TABLE} WHERE id IN (
  SELECT max(id) FROM {HISTORY_TABLE}
  WHERE event IS NULL AND setting_key IS NOT NULL
    AND (%(organization_id)s::int IS NULL OR organization_id = %(organization_id)s)
    AND (NOT %(system)s OR scope = 'system')
  GROUP BY scope, organization_id, setting_key)""",
                         {"organization_id": organization_id, "system": system})

    def history_began(self) -> Statement:
        # The first revision's time, through the revision index (min(time) reads every row).
        return Statement(f"""
SELECT to_char(time, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM {HISTORY_TABLE}
ORDER BY revision, id LIMIT 1""")

    def dated_values(self, organization_id: int | None, system: bool) -> Statement:
        """The section's values with their rows' times: id, entity, record_id, name,
        text_value, type, created_at, updated_at (text, ``...Z``); for one organization, the
        system, or every scope."""
        return Statement("""
SELECT v.id, c.entity, c.record_id, v.name, v.text_value, v.type,
       to_char(v.created_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(v.updated_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM oro_config c JOIN oro_config_value v ON v.config_id = c.id
WHERE v.section = %(section)s AND v.name = ANY(%(names)s)
  AND ((c.entity = 'organization' AND c.record_id = %(organization_id)s)
       OR (%(organization_id)s::int IS NULL AND c.entity = 'app' AND c.record_id = 0)
       OR (%(organization_id)s::int IS NULL AND NOT %(system)s
           AND c.entity = 'organization'))""",
                         {**_SECTION, "organization_id": organization_id, "system": system})

    def oro_migrations(self, bundles: Sequence[str]) -> Statement:
        """bundle, version of the schema migrations Oro ran for ``bundles``."""
        return Statement("SELECT bundle, version FROM oro_migrations WHERE bundle = ANY(%s)",
                         (list(bundles),))

    # -- the change token (see token.py) --

    def change_token(self) -> Statement:
        """Row counts and the sum of the rows' xmin (the id of the transaction that wrote each
        row version). Any INSERT, UPDATE or DELETE of a row of this section or of an
        organization changes it, even a plain UPDATE that leaves updated_at alone; a VACUUM
        FREEZE may change it too (then one needless reload). ~30 ms at 100k organizations and
        1M config rows, where hashing every column took ~90 ms."""
        return Statement("""
SELECT
  (SELECT count(*) FROM oro_config_value v WHERE v.section = %(section)s
     AND v.name = ANY(%(names)s)),
  (SELECT coalesce(sum(v.xmin::text::bigint), 0) FROM oro_config_value v
     WHERE v.section = %(section)s AND v.name = ANY(%(names)s))::bigint,
  (SELECT count(*) FROM oro_organization),
  (SELECT coalesce(sum(o.xmin::text::bigint), 0) FROM oro_organization o)::bigint
""", _SECTION)

    def transaction_id(self) -> Statement:
        """This transaction's id as a row's xmin shows it (the low 32 bits of the 64-bit id)."""
        return Statement("SELECT txid_current() % 4294967296")
