"""A throwaway MariaDB server for the tests: ``mariadb-install-db`` into a temp dir, then
``mariadbd --no-defaults --datadir=TMP --socket=TMP/sock --skip-networking --user=root``; stopped
and removed at the end (and swept at the next start when a killed run left it:
tests/throwaway_server.py).

The tests connect over the socket as ``root`` (no password), make one database per store with
Oro's tables as Oro's installers create them on MySQL (:func:`oro_ddl`) and other bundles' rows
that must never change (``ORO_SEED``, tests/oro_seeds.py). If the server cannot start, the tests
fail: nothing is skipped.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
import uuid
from typing import Any
from urllib.parse import quote

from tests.oro_seeds import ORO_SEED
from tests.throwaway_server import (
    WAIT_SECONDS,
    ThrowawayServer,
    credentials,
    find_bin,
    find_bins,
)

#: Where Debian puts MariaDB's programs, when not on PATH.
FOLDERS = ("/usr/sbin", "/usr/bin")
#: Oro 1.x-3.x made their tables utf8 (MySQL's three-byte utf8), later ones utf8mb4.
CHARSETS = {"utf8": "utf8_unicode_ci", "utf8mb4": "utf8mb4_unicode_ci"}


def oro_ddl(charset: str = "utf8") -> str:
    """Oro's tables as Doctrine DBAL's MySQL platform writes them (shared/oro-reference.md, "On
    MySQL"), with Enterprise's ``is_global``."""
    table = f"DEFAULT CHARACTER SET {charset} COLLATE {CHARSETS[charset]} ENGINE = InnoDB"
    return f"""
CREATE TABLE oro_organization (id INT AUTO_INCREMENT NOT NULL, name VARCHAR(255) NOT NULL,
  description LONGTEXT DEFAULT NULL, created_at DATETIME DEFAULT NULL,
  updated_at DATETIME DEFAULT NULL, enabled TINYINT(1) DEFAULT '1' NOT NULL,
  is_global TINYINT(1) DEFAULT '0' NOT NULL, UNIQUE INDEX UNIQ_BB42B65D5E237E06 (name),
  PRIMARY KEY(id)) {table};
CREATE TABLE oro_config (id INT AUTO_INCREMENT NOT NULL, entity VARCHAR(255) DEFAULT NULL,
  record_id INT DEFAULT NULL, UNIQUE INDEX CONFIG_UQ_ENTITY (entity, record_id),
  PRIMARY KEY(id)) {table};
CREATE TABLE oro_config_value (id INT AUTO_INCREMENT NOT NULL, config_id INT DEFAULT NULL,
  name VARCHAR(255) NOT NULL, section VARCHAR(50) DEFAULT NULL, text_value LONGTEXT DEFAULT NULL,
  object_value LONGTEXT DEFAULT NULL, array_value LONGTEXT DEFAULT NULL,
  type VARCHAR(20) NOT NULL, created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
  INDEX IDX_DAF6DF5524DB0683 (config_id),
  UNIQUE INDEX CONFIG_VALUE_UQ_ENTITY (name, section, config_id), PRIMARY KEY(id)) {table};
ALTER TABLE oro_config_value ADD CONSTRAINT FK_DAF6DF5524DB0683 FOREIGN KEY (config_id)
  REFERENCES oro_config (id) ON DELETE CASCADE;
"""


#: Rows of other sections and scopes, as the seed writes them: compared before and after. The
#: section is compared in binary: under utf8_unicode_ci 'OROCRM_PRO_OUTLOOK' equals ours.
OTHER_ROWS_SQL = """
SELECT v.id, v.config_id, v.name, v.section, v.text_value, v.object_value, v.array_value, v.type,
       v.created_at, v.updated_at
FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
WHERE v.section IS NULL OR BINARY v.section <> 'oro_crm_pro_outlook'
   OR c.entity NOT IN ('app', 'organization') OR v.name = 'layouts'
ORDER BY v.id
"""

#: The account of an auditor: SELECT only (see :meth:`MariaDBServer.reader`).
READER = "oro_reader"
READER_PASSWORD = "read only, p%ss"


class MariaDBServer(ThrowawayServer):
    """One server; ``database()`` makes a fresh database of Oro's tables."""

    PREFIX = "outlook-tui-mysql-"

    def __init__(self) -> None:
        self.mariadbd, self.install_db = find_bins("mariadbd", "mariadb-install-db",
                                                   folders=FOLDERS, package="mariadb-server")
        super().__init__()
        self.client = find_bin("mariadb", *FOLDERS) or find_bin("mysql", *FOLDERS) or "mariadb"
        self.socket = str(self.directory / "sock")
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.run([self.install_db, "--no-defaults", f"--datadir={self.data}", "--user=root",
                  "--auth-root-authentication-method=normal", "--skip-test-db",
                  "--skip-name-resolve", "--innodb-buffer-pool-size=32M"])
        (self.directory / "tmp").mkdir()
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                [self.mariadbd, "--no-defaults", f"--datadir={self.data}",
                 f"--socket={self.socket}", "--skip-networking", "--user=root",
                 # its own temp dir: other processes tidying /tmp must not take its files
                 f"--tmpdir={self.directory / 'tmp'}",
                 f"--pid-file={self.directory / 'mariadbd.pid'}", f"--log-error={self.log}",
                 "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=16M",
                 "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0",
                 "--skip-log-bin", "--max-connections=80", "--character-set-server=utf8mb4"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd="/")
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"mariadbd ended at start ({self._process.returncode}):\n"
                                   f"{self.tail()}")
            try:
                self.execute(None, "SELECT 1")
                break
            except ImportError:
                self.stop()
                raise  # no driver: waiting would not help
            except Exception as error:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"mariadbd did not accept connections within "
                                       f"{WAIT_SECONDS:.0f} s ({error}):\n{self.tail()}"
                                       ) from None
            time.sleep(0.05)  # polling a starting server's socket, bounded by the deadline
        self.execute(None, f"CREATE USER {READER}@localhost IDENTIFIED BY %s",
                     (READER_PASSWORD,))

    def halt(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=WAIT_SECONDS)

    def uri(self, dbname: str, user: str = "root", password: str | None = None) -> str:
        """The store's URI over the socket (the host is only a name: ``unix_socket`` wins)."""
        return (f"mysql://{credentials(user, password)}@localhost/{dbname}"
                f"?unix_socket={quote(self.socket, safe='')}")

    def connect(self, dbname: str | None = None, user: str = "root",
                password: str | None = None, autocommit: bool = True) -> Any:
        import pymysql

        return pymysql.connect(unix_socket=self.socket, user=user, password=password or "",
                               database=dbname, autocommit=autocommit, charset="utf8mb4")

    def execute(self, dbname: str | None, sql: str, params: object = None,
                ) -> list[tuple[Any, ...]]:
        """Run one or more statements (``;``-separated when ``params`` is None)."""
        connection = self.connect(dbname)
        try:
            with connection.cursor() as cursor:
                if params is None:
                    rows: list[tuple[Any, ...]] = []
                    for statement in _statements(sql):
                        cursor.execute(statement)
                        rows = list(cursor.fetchall())
                    return rows
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        finally:
            connection.close()

    def database(self, charset: str = "utf8") -> str:
        """A fresh database of Oro's tables (in ``charset``), the seed rows, and SELECT on it
        for the read-only account."""
        name = f"oro_{uuid.uuid4().hex[:12]}"
        self.execute(None, f"CREATE DATABASE {name} DEFAULT CHARACTER SET {charset} "
                     f"COLLATE {CHARSETS[charset]}")
        self.execute(name, oro_ddl(charset) + ORO_SEED)
        self.execute(None, f"GRANT SELECT ON {name}.* TO {READER}@localhost")
        return name

    def reset(self, dbname: str) -> None:
        """Back to the seed rows: outlook-tui's table dropped, Oro's tables refilled.

        A connection a failed test left open (with a transaction) would hold a metadata lock
        that TRUNCATE waits on: end every other connection to the database first, and bound
        the wait anyway."""
        for (other,) in self.execute(
                None, "SELECT id FROM information_schema.processlist "
                "WHERE db = %s AND id <> CONNECTION_ID()", (dbname,)):
            with contextlib.suppress(Exception):
                self.execute(None, f"KILL {int(other)}")
        self.execute(dbname, f"SET SESSION lock_wait_timeout = {int(WAIT_SECONDS)}; "
                     "DROP TABLE IF EXISTS outlook_tui_history; "
                     "SET FOREIGN_KEY_CHECKS = 0; TRUNCATE oro_config_value; TRUNCATE oro_config;"
                     "TRUNCATE oro_organization; SET FOREIGN_KEY_CHECKS = 1;" + ORO_SEED)

    def drop(self, dbname: str) -> None:
        with contextlib.suppress(Exception):
            self.execute(None, f"DROP DATABASE IF EXISTS {dbname}")


def _statements(sql: str) -> list[str]:
    """``sql`` split at the ``;`` ending each statement (none of ours has one inside text)."""
    return [s.strip() for s in sql.split(";") if s.strip()]


running = MariaDBServer.running
