"""Every SQL statement the store runs on MySQL and MariaDB
(:class:`outlook_tui.store.oro.sql.Dialect`).

What differs from PostgreSQL, and why:

- Oro's MySQL tables compare text with ``utf8_unicode_ci`` (``utf8mb4_unicode_ci`` later):
  ``'CONTACTS_ENABLED'`` and ``'contacts_enabled '`` are equal to MySQL, not to Oro, which
  matches a value's section and name in PHP. Values are read and locked by their exact bytes
  (``BINARY``); scopes (``oro_config``) are found as Oro's own queries find them, by MySQL's
  comparison.
- Lists become ``IN (...)``: PyMySQL writes a tuple parameter as a parenthesized list.
- Privileges are probed (:attr:`~outlook_tui.store.oro.sql.Mode.PROBE`: a statement that
  changes no row, in a transaction rolled back) instead of read from ``information_schema``,
  which shows neither role grants nor partial revokes.
- A save reads in READ COMMITTED under its row locks: InnoDB has no serialization failures, a
  locking read sees the newest rows anyway, and every plain read of the save sees them too.
- There is no ``xmin``: the change token is a checksum (:mod:`.token`).

Every statement is sent with parameters (``()`` when none), so a literal ``%`` is ``%%``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from outlook_tui.catalog import CATALOG, SECTION
from outlook_tui.store.lock import timeout_from_environment
from outlook_tui.store.oro.encoding import SCALAR, SERIALIZED_NULL
from outlook_tui.store.oro.history import HISTORY_TABLE, INDEXES, create_table
from outlook_tui.store.oro.sql import STATEMENT_MARGIN, Mode, Row, Statement

SETTING_NAMES = tuple(s.name for s in CATALOG)
#: Serializes outlook-tui's own savers (GET_LOCK: a named lock of the session, no privilege).
SAVERS_LOCK = "outlook-tui save"
#: LIMIT's largest value: "no limit".
NO_LIMIT = 18446744073709551615
_SECTION = {"section": SECTION, "names": SETTING_NAMES}
_TIME = "'%%Y-%%m-%%dT%%H:%%i:%%sZ'"


def _time(column: str, unknown: str = "''") -> str:
    """A DATETIME column as UTC text; ``unknown`` (SQL) for NULL and for MySQL's zero dates
    ('0000-00-00 00:00:00', '2026-00-00', kept by servers without NO_ZERO_DATE), which are no
    time at all."""
    return (f"COALESCE(IF(MONTH({column}) = 0 OR DAYOFMONTH({column}) = 0, NULL, "
            f"DATE_FORMAT({column}, {_TIME})), {unknown})")


#: A value row's checksum over what the store reads and Oro's updated_at: the row's version
#: under the save's lock too (see token.py). CONCAT_WS skips a NULL, which the store reads as
#: '' or as damaged anyway; telling them apart costs a third more per check.
ROW_CHECKSUM = ("CRC32(CONCAT_WS(0x1f, v.id, v.config_id, v.name, v.text_value, v.type, "
                "v.updated_at))")
ORGANIZATION_CHECKSUM = ("CRC32(CONCAT_WS(0x1f, o.id, o.name, o.description, o.enabled, "
                         "o.created_at, o.updated_at))")
#: Exactly our section's rows, as Oro's PHP matches them (MySQL's own comparison ignores case
#: and trailing spaces).
_EXACTLY_OURS = """v.section = %(section)s AND v.name IN %(names)s
  AND BINARY v.section = %(section)s AND BINARY v.name IN %(names)s"""

_ORGANIZATIONS = f"""
SELECT o.id, o.name, COALESCE(o.description, ''), o.enabled,
       {_time("o.created_at")}, {_time("o.updated_at")}
FROM oro_organization o"""


def _listed(values: Sequence[Any]) -> tuple[Any, ...]:
    """A list for ``IN %s``: never empty (``IN ()`` is a syntax error; NULL matches nothing)."""
    return tuple(values) or (None,)


def lock_wait_seconds() -> int:
    """innodb_lock_wait_timeout and GET_LOCK take whole seconds, at least 1."""
    return max(1, math.ceil(timeout_from_environment()))


class MySQLDialect:
    name = "MySQL"
    history_table = HISTORY_TABLE

    def __init__(self) -> None:
        #: MariaDB and MySQL 5.7 call it tx_read_only; MySQL 8.0 only transaction_read_only
        #: (set by the driver from the server's version, see :meth:`server_is`).
        self.read_only_variable = "tx_read_only"
        #: MariaDB's lock waits are in information_schema, MySQL 8's in performance_schema.
        self.mariadb = True

    def server_is(self, version: str) -> None:
        """Adapt to the server, from ``SELECT VERSION()``."""
        self.mariadb = "mariadb" in version.lower()
        if not self.mariadb:
            major = version.split(".", 1)[0]
            if major.isdigit() and int(major) >= 8:
                self.read_only_variable = "transaction_read_only"

    history_ddl = create_table(
        {"ID": "BIGINT AUTO_INCREMENT NOT NULL", "TIME": "DATETIME NOT NULL",
         "TEXT": "LONGTEXT DEFAULT NULL", "USER": "VARCHAR(255) NOT NULL"},
        inline=[f"INDEX {HISTORY_TABLE}_{suffix} ({columns})" for suffix, columns in INDEXES],
        after=" DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin ENGINE = InnoDB")

    history_grants = f"""\
-- For each account that saves with outlook-tui (replace 'admin'@'%'):
-- GRANT SELECT, INSERT ON {HISTORY_TABLE} TO 'admin'@'%';
-- GRANT SELECT, INSERT, UPDATE, DELETE ON oro_config_value TO 'admin'@'%';
-- GRANT SELECT, INSERT, UPDATE ON oro_config TO 'admin'@'%';  -- UPDATE: to lock rows
-- GRANT SELECT ON oro_organization TO 'admin'@'%';
"""

    def create_history(self) -> list[Statement]:
        return [Statement(self.history_ddl.replace("%", "%%"), ())]

    # -- the session --

    def session(self) -> Statement:
        return Statement(f"SELECT CURRENT_USER(), @@global.read_only, "
                         f"@@session.{self.read_only_variable}, DATABASE()", ())

    session_word = "connection"
    names_applications = False
    server_read_only_reason = "the server is read-only (read_only=ON, e.g. a replica)"

    def session_read_only_reason(self, user: str) -> str:
        return (f"database user {user}'s transactions are read-only "
                f"({self.read_only_variable}=ON)")

    def set_read_only(self) -> Statement:
        return Statement("SET SESSION TRANSACTION READ ONLY", ())

    def table_exists(self, table: str) -> Statement:
        return Statement("SELECT COUNT(*) FROM information_schema.TABLES "
                         "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s", (table,))

    def missing_table(self, table: str, database: str) -> str:
        # A MySQL server holds many databases side by side: the likely mistake is another one.
        return (f"no table {table} in database {database}: this is not Oro's database (Oro's is "
                "the database_name of its parameters.yml)")

    def privilege(self, table: str, privilege: str) -> Statement:
        """Probed: the statement changes no row, and fails only for want of the privilege."""
        probes = {"INSERT": f"INSERT INTO `{table}` SELECT * FROM `{table}` WHERE 1 = 0",
                  "UPDATE": f"UPDATE `{table}` SET id = id WHERE 1 = 0",
                  "DELETE": f"DELETE FROM `{table}` WHERE 1 = 0",
                  "SELECT": f"SELECT id FROM `{table}` WHERE 1 = 0"}
        return Statement(probes[privilege], (), Mode.PROBE)

    def id_privilege(self, table: str) -> Statement:
        """AUTO_INCREMENT ids come with INSERT."""
        return Statement("SELECT 1", ())

    # -- transactions --

    def bounds(self) -> list[Statement]:
        """Row locks wait at most the lock timeout (a table's metadata lock too:
        lock_wait_timeout, also set by the driver as it connects); a statement runs at most
        that plus STATEMENT_MARGIN s (MariaDB's max_statement_time; MySQL's
        max_execution_time, which bounds SELECTs only)."""
        lock = lock_wait_seconds()
        statement = (Statement("SET SESSION max_statement_time = %s",
                               (lock + STATEMENT_MARGIN,)) if self.mariadb else
                     Statement("SET SESSION max_execution_time = %s",
                               ((lock + STATEMENT_MARGIN) * 1000,)))
        return [Statement("SET SESSION innodb_lock_wait_timeout = %s", (lock,)),
                Statement("SET SESSION lock_wait_timeout = %s", (lock,)), statement]

    def session_bounds(self) -> list[Statement]:
        """:meth:`bounds` are the session's already."""
        return self.bounds()

    def table_lock_holders(self, tables: Sequence[str]) -> Statement | None:
        """A read waits only for a table's metadata lock (LOCK TABLES ... WRITE, an ALTER
        TABLE). MariaDB names its holders in ``information_schema.METADATA_LOCK_INFO`` once a
        DBA has run ``INSTALL SONAME 'metadata_lock_info'`` (without the plugin the statement
        fails, and nobody is named), and the holder's user and client in the process list,
        for other users' sessions with the PROCESS privilege. MySQL's
        ``performance_schema.metadata_locks`` is not read: untested here."""
        if not self.mariadb:
            return None
        return Statement("""
SELECT DISTINCT p.ID, p.USER, NULL, p.HOST, m.TABLE_NAME
FROM information_schema.METADATA_LOCK_INFO m
JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID
WHERE m.TABLE_SCHEMA = DATABASE() AND m.TABLE_NAME IN %s
  AND m.LOCK_MODE IN ('MDL_SHARED_NO_READ_WRITE', 'MDL_EXCLUSIVE')
  AND m.THREAD_ID <> CONNECTION_ID()
ORDER BY m.TABLE_NAME, p.ID""", (_listed(tables),))

    def backend_id(self) -> Statement:
        return Statement("SELECT CONNECTION_ID()", ())

    def blockers(self, backend_id: Any) -> Statement:
        """Who holds what the session waits for: InnoDB's row lock waits (MariaDB's
        information_schema, MySQL 8's performance_schema; both need the PROCESS privilege,
        without which the statement fails and nobody is named), the holder of the savers'
        lock (IS_USED_LOCK) while the session waits in GET_LOCK, and a row of NULLs when it
        waits for a table's lock (LOCK TABLES, an ALTER TABLE), whose holder no table names."""
        if self.mariadb:
            innodb = """
SELECT b.trx_mysql_thread_id FROM information_schema.INNODB_LOCK_WAITS w
JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id
JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id
WHERE r.trx_mysql_thread_id = %s"""
        else:
            innodb = """
SELECT b.PROCESSLIST_ID FROM performance_schema.data_lock_waits w
JOIN performance_schema.threads r ON r.THREAD_ID = w.REQUESTING_THREAD_ID
JOIN performance_schema.threads b ON b.THREAD_ID = w.BLOCKING_THREAD_ID
WHERE r.PROCESSLIST_ID = %s"""
        return Statement(f"""
SELECT p.ID, p.USER, NULL, p.HOST FROM information_schema.PROCESSLIST p
WHERE p.ID IN ({innodb})
   OR (p.ID = IS_USED_LOCK(%s) AND EXISTS (SELECT 1 FROM information_schema.PROCESSLIST s
       WHERE s.ID = %s AND s.STATE = 'User lock'))
UNION ALL
SELECT NULL, NULL, NULL, NULL FROM information_schema.PROCESSLIST s
WHERE s.ID = %s AND s.STATE LIKE 'Waiting for %%lock'
ORDER BY 1""", (backend_id, SAVERS_LOCK, backend_id, backend_id))

    def cancel(self, backend_id: Any) -> Statement:
        return Statement("KILL QUERY %s", (backend_id,))

    def read_transaction(self) -> list[Statement]:
        return [*self.bounds(),
                Statement("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", ()),
                Statement("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", ())]

    def save_transaction(self) -> list[Statement]:
        """Row locks wait at most the lock timeout (``OUTLOOK_TUI_LOCK_TIMEOUT``), then the
        save fails with nothing written."""
        return [*self.bounds(),
                Statement("SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE", ())]

    # -- reading --

    def history_revision(self) -> Statement:
        return Statement(f"SELECT COALESCE(MAX(revision), 0) FROM {HISTORY_TABLE}", ())

    def organizations(self) -> Statement:
        return Statement(_ORGANIZATIONS, ())

    def first_organizations(self, limit: int) -> Statement:
        # In code point order of the lower-cased name, as the app sorts (the table's collation
        # orders by its own rules). Dates formatted only for the rows returned.
        return Statement(_ORGANIZATIONS + """
JOIN (SELECT id FROM oro_organization ORDER BY BINARY LOWER(name), BINARY name LIMIT %s) f
  ON f.id = o.id""", (limit,))

    def organizations_by_id(self, ids: Sequence[int]) -> Statement:
        return Statement(_ORGANIZATIONS + " WHERE o.id IN %s", (_listed(ids),))

    def organizations_named(self, ids: Sequence[int], names: Sequence[str]) -> Statement:
        return Statement(_ORGANIZATIONS + " WHERE o.id IN %s OR o.name IN %s",
                         (_listed(ids), _listed(names)))

    def values(self) -> Statement:
        # record_id 0 is the system scope ('app'); organization scopes carry the organization's
        # id. The entity is compared as Oro's queries compare it, and given back as Oro's word.
        return Statement(f"""
SELECT v.id, IF(c.entity = 'app', 'app', 'organization'), c.record_id, v.name, v.text_value,
       v.type
FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
WHERE {_EXACTLY_OURS}
  AND ((c.entity = 'app' AND c.record_id = 0) OR c.entity = 'organization')""", _SECTION)

    def values_of_scopes(self, organization_ids: Sequence[int]) -> Statement:
        return Statement(f"""
SELECT v.id, IF(c.entity = 'app', 'app', 'organization'), c.record_id, v.name, v.text_value,
       v.type
FROM oro_config c JOIN oro_config_value v ON v.config_id = c.id
WHERE ((c.entity = 'app' AND c.record_id = 0)
       OR (c.entity = 'organization' AND c.record_id IN %(ids)s))
  AND {_EXACTLY_OURS}""", {**_SECTION, "ids": _listed(organization_ids)})

    # -- saving (one transaction) --

    def lock_savers(self) -> Statement:
        """A named lock of the session, taken before the save's transaction and waiting at
        most the lock timeout; the driver turns its 0 (not granted) into a lock timeout."""
        return Statement("SELECT GET_LOCK(%s, %s)", (SAVERS_LOCK, lock_wait_seconds()),
                         Mode.ACQUIRE)

    def unlock_savers(self) -> Statement:
        return Statement("SELECT RELEASE_LOCK(%s)", (SAVERS_LOCK,))

    def create_scopes(self, scopes: Sequence[tuple[str, int]]) -> Statement:
        """A scope row made meanwhile (or one Oro's comparison takes for it) is kept as is."""
        rows = ", ".join(["(%s, %s)"] * len(scopes))
        return Statement(f"INSERT INTO oro_config (entity, record_id) VALUES {rows} "
                         "ON DUPLICATE KEY UPDATE id = id",
                         tuple(value for scope in scopes for value in scope))

    def lock_scopes(self, system: bool, organization_ids: Sequence[int]) -> Statement:
        return Statement("""
SELECT id, IF(entity = 'app', 'app', 'organization'), record_id FROM oro_config
WHERE (entity = 'app' AND record_id = 0 AND %s)
   OR (entity = 'organization' AND record_id IN %s)
ORDER BY id FOR UPDATE""", (system, _listed(organization_ids)))

    def lock_values(self, config_ids: Sequence[int]) -> Statement:
        """The version of a row is its checksum (see :class:`~.token.ChecksumToken`)."""
        return Statement(f"""
SELECT v.id, v.config_id, v.name, v.text_value, v.type, {ROW_CHECKSUM}
FROM oro_config_value v
WHERE v.config_id IN %(config_ids)s AND {_EXACTLY_OURS}
ORDER BY v.id FOR UPDATE""", {**_SECTION, "config_ids": _listed(config_ids)})

    def delete_values(self, ids: Sequence[int]) -> Statement:
        return Statement("DELETE FROM oro_config_value WHERE id IN %s", (_listed(ids),))

    def update_values(self, rows: Sequence[tuple[int, str]], now: Any) -> Statement:
        """One statement for any number of rows: joined to a table of (id, text_value)."""
        table = " UNION ALL ".join(["SELECT %s AS id, %s AS text_value"]
                                   + ["SELECT %s, %s"] * (len(rows) - 1))
        return Statement(f"""
UPDATE oro_config_value v JOIN ({table}) u ON u.id = v.id
SET v.text_value = u.text_value, v.type = %s, v.object_value = %s, v.array_value = %s,
    v.updated_at = %s""", (*(value for row in rows for value in row), SCALAR, SERIALIZED_NULL,
                           SERIALIZED_NULL, now))

    def insert_values(self, rows: Sequence[tuple[int, str, str]], now: Any) -> Statement:
        """Many rows: PyMySQL sends them as multi-row INSERTs."""
        return Statement("""
INSERT INTO oro_config_value (config_id, name, section, text_value, object_value, array_value,
  type, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                         [(config_id, name, SECTION, text, SERIALIZED_NULL, SERIALIZED_NULL,
                           SCALAR, now, now) for config_id, name, text in rows], Mode.MANY)

    def insert_history(self, rows: Sequence[Row]) -> Statement:
        return Statement(f"""
INSERT INTO {HISTORY_TABLE} (revision, time, os_user, ssh_client, db_user, scope,
  organization_id, organization_name, setting_key, old_value, new_value, event, detail)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""", list(rows), Mode.MANY)

    # -- history --

    def history(self, after: int, organization_id: int | None, system: bool,
                limit: int | None) -> Statement:
        return Statement(f"""
SELECT {_time('time')}, os_user, ssh_client, db_user, revision, scope,
       organization_id, organization_name, setting_key, old_value, new_value, event, detail, id
FROM {HISTORY_TABLE}
WHERE revision > %(after)s
  AND (%(organization_id)s IS NULL OR organization_id = %(organization_id)s)
  AND (NOT %(system)s OR scope = 'system' OR event IS NOT NULL)
ORDER BY revision DESC, id DESC LIMIT %(limit)s""", {
            "after": after, "organization_id": organization_id, "system": system,
            "limit": NO_LIMIT if limit is None else min(limit, NO_LIMIT)})

    # -- changes made outside outlook-tui (see store/outside.py) --

    def newest_history(self, organization_id: int | None, system: bool) -> Statement:
        return Statement(f"""
SELECT {_time('time')}, os_user, ssh_client, db_user, revision, scope,
       organization_id, organization_name, setting_key, old_value, new_value, event, detail, id
FROM {HISTORY_TABLE} WHERE id IN (SELECT newest FROM (
  SELECT max(id) AS newest FROM {HISTORY_TABLE}
  WHERE event IS NULL AND setting_key IS NOT NULL
    AND (%(organization_id)s IS NULL OR organization_id = %(organization_id)s)
    AND (NOT %(system)s OR scope = 'system')
  GROUP BY scope, organization_id, setting_key) AS newest_rows)""",
                         {"organization_id": organization_id, "system": system})

    def history_began(self) -> Statement:
        return Statement(f"SELECT {_time('time', 'NULL')} FROM {HISTORY_TABLE} "
                         "ORDER BY revision, id LIMIT 1", {})

    def dated_values(self, organization_id: int | None, system: bool) -> Statement:
        return Statement(f"""
SELECT v.id, IF(c.entity = 'app', 'app', 'organization'), c.record_id, v.name, v.text_value,
       v.type, {_time("v.created_at", "NULL")}, {_time("v.updated_at", "NULL")}
FROM oro_config c JOIN oro_config_value v ON v.config_id = c.id
WHERE {_EXACTLY_OURS}
  AND ((c.entity = 'organization' AND c.record_id = %(organization_id)s)
       OR (%(organization_id)s IS NULL AND c.entity = 'app' AND c.record_id = 0)
       OR (%(organization_id)s IS NULL AND NOT %(system)s AND c.entity = 'organization'))""",
                         {**_SECTION, "organization_id": organization_id, "system": system})

    def oro_migrations(self, bundles: Sequence[str]) -> Statement:
        return Statement("SELECT bundle, version FROM oro_migrations WHERE bundle IN %s",
                         (_listed(bundles),))

    # -- the change token (see token.py) --

    def change_token(self) -> Statement:
        """Count and checksum of the section's rows, then of the organizations' (read through
        the (name, section, config_id) index for the section's names)."""
        return Statement(f"""
SELECT s.n, s.c, o.n, o.c FROM
  (SELECT COUNT(*) AS n, COALESCE(SUM({ROW_CHECKSUM}), 0) AS c FROM oro_config_value v
   WHERE {_EXACTLY_OURS}) s,
  (SELECT COUNT(*) AS n, COALESCE(SUM({ORGANIZATION_CHECKSUM}), 0) AS c
   FROM oro_organization o) o""", _SECTION)

    def scopes_token(self, config_ids: Sequence[int]) -> Statement:
        """Count and checksum of the section's rows in some scopes (as :meth:`change_token`)."""
        return Statement(f"""
SELECT COUNT(*), COALESCE(SUM({ROW_CHECKSUM}), 0) FROM oro_config_value v
WHERE v.config_id IN %(config_ids)s AND {_EXACTLY_OURS}""",
                         {**_SECTION, "config_ids": _listed(config_ids)})
