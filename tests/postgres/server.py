"""A throwaway PostgreSQL server for the tests: ``initdb`` into a temp dir, a Unix socket in that
dir, no TCP, fsync off; stopped and removed at the end (and swept at the next start when a
killed run left it: tests/throwaway_server.py).

As root (CI), the server runs as the ``postgres`` OS user (PostgreSQL refuses to run as root).
The tests connect over the socket as the ``postgres`` role with trust authentication, and make
one database per test from a template holding Oro's tables (see ``ORO_DDL``). If the server
cannot start, the tests fail: nothing is skipped.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import uuid
from urllib.parse import quote

from tests.oro_seeds import ORO_SEED as SEED_ROWS
from tests.throwaway_server import ThrowawayServer, credentials, find_bins

#: Oro's installers' tables, as they create them on PostgreSQL (shared/oro-reference.md), with
#: Enterprise's ``is_global``.
ORO_DDL = """
CREATE TABLE oro_organization (id SERIAL NOT NULL, name VARCHAR(255) NOT NULL,
  description TEXT DEFAULT NULL, created_at TIMESTAMP(0) WITHOUT TIME ZONE DEFAULT NULL,
  updated_at TIMESTAMP(0) WITHOUT TIME ZONE DEFAULT NULL, enabled BOOLEAN DEFAULT true NOT NULL,
  is_global BOOLEAN DEFAULT false NOT NULL, PRIMARY KEY(id));
CREATE UNIQUE INDEX uniq_bb42b65d5e237e06 ON oro_organization (name);
CREATE TABLE oro_config (id SERIAL NOT NULL, entity VARCHAR(255) DEFAULT NULL,
  record_id INT DEFAULT NULL, PRIMARY KEY(id));
CREATE UNIQUE INDEX CONFIG_UQ_ENTITY ON oro_config (entity, record_id);
CREATE TABLE oro_config_value (id SERIAL NOT NULL, config_id INT DEFAULT NULL,
  name VARCHAR(255) NOT NULL, section VARCHAR(50) DEFAULT NULL, text_value TEXT DEFAULT NULL,
  object_value TEXT DEFAULT NULL, array_value TEXT DEFAULT NULL, type VARCHAR(20) NOT NULL,
  created_at TIMESTAMP(0) WITHOUT TIME ZONE NOT NULL,
  updated_at TIMESTAMP(0) WITHOUT TIME ZONE NOT NULL, PRIMARY KEY(id));
CREATE INDEX IDX_DAF6DF5524DB0683 ON oro_config_value (config_id);
CREATE UNIQUE INDEX CONFIG_VALUE_UQ_ENTITY ON oro_config_value (name, section, config_id);
ALTER TABLE oro_config_value ADD CONSTRAINT FK_DAF6DF5524DB0683 FOREIGN KEY (config_id)
  REFERENCES oro_config (id) ON DELETE CASCADE NOT DEFERRABLE INITIALLY IMMEDIATE;
"""

#: The installation's rows (tests/oro_seeds.py), the sequences past their ids.
ORO_SEED = SEED_ROWS + """
SELECT setval('oro_organization_id_seq', 1);
SELECT setval('oro_config_id_seq', 3);
"""

#: Rows of other sections and scopes, as the seed writes them: compared before and after.
OTHER_ROWS_SQL = """
SELECT v.id, v.config_id, v.name, v.section, v.text_value, v.object_value, v.array_value, v.type,
       v.created_at, v.updated_at
FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
WHERE v.section IS DISTINCT FROM 'oro_crm_pro_outlook'
   OR c.entity NOT IN ('app', 'organization') OR v.name = 'layouts'
ORDER BY v.id
"""


class PostgresServer(ThrowawayServer):
    """One server; ``database()`` makes a fresh database of Oro's tables for one test."""

    PREFIX = "outlook-tui-pg-"

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = find_bins("initdb", "pg_ctl",
                                             folders=("/usr/lib/postgresql/*/bin",),
                                             package="postgresql")
        super().__init__()
        self.socket_dir = str(self.directory)
        self.port = 5432  # only names the socket file: no TCP (listen_addresses='')
        self.superuser = "postgres"
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: Debian's package brings the postgres user.
            self.run_as = "postgres"
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root, the test server needs the 'postgres' OS "
                                   "user (Debian's postgresql package creates it)") from None
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
        self.template = "oro_template"

    def start(self) -> None:
        self.run([self.initdb, "-D", str(self.data), "-U", self.superuser, "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        options = (f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
                   f"-c port={self.port} -c max_connections=60")
        self.run([self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.log),
                  "-w", "-t", "60", "start"])
        self.execute("postgres", f"CREATE DATABASE {self.template}")
        self.execute(self.template, ORO_DDL + ORO_SEED)

    def halt(self) -> None:
        with contextlib.suppress(Exception):
            self.run([self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"])

    def uri(self, dbname: str, user: str | None = None, password: str | None = None) -> str:
        """A libpq URI over the Unix socket (the host given as a query parameter)."""
        return (f"postgresql://{credentials(user or self.superuser, password)}@/{dbname}"
                f"?host={quote(self.socket_dir, safe='')}&port={self.port}")

    def connect(self, dbname: str, user: str | None = None, autocommit: bool = True) -> object:
        import psycopg

        return psycopg.connect(self.uri(dbname, user), autocommit=autocommit)

    def execute(self, dbname: str, sql: str, params: object = None) -> list[tuple[object, ...]]:
        import psycopg

        with psycopg.connect(self.uri(dbname), autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def database(self) -> str:
        """A fresh database made from the template: Oro's tables and the seed rows."""
        name = f"oro_{uuid.uuid4().hex[:12]}"
        self.execute("postgres", f"CREATE DATABASE {name} TEMPLATE {self.template}")
        return name

    def reset(self, dbname: str) -> None:
        """Back to the template's rows, much faster than a new database (~20 ms, not 500):
        other sessions ended, outlook-tui's table dropped, Oro's tables refilled."""
        self.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,))
        self.execute(dbname, "DROP TABLE IF EXISTS outlook_tui_history; TRUNCATE "
                     "oro_config_value, oro_config, oro_organization RESTART IDENTITY CASCADE;"
                     + ORO_SEED)

    def drop(self, dbname: str) -> None:
        with contextlib.suppress(Exception):
            self.execute("postgres", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


running = PostgresServer.running
