"""Oro's database for the benchmarks: the same 100k organizations as ``generate.py``'s JSON
store (same names, overrides, dates), written as Oro stores them, plus rows of other sections
and users so that ``oro_config_value`` holds a million rows, like a real installation's.

Started on a throwaway server (``tests/postgres/server.py``): initdb into a temp dir, a Unix
socket, fsync off; the tables are Oro's own DDL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import generate

from outlook_tui.catalog import BY_NAME
from outlook_tui.store.oro.encoding import encode

CONFIG_ROWS = 1_000_000


def _time(stamp: str) -> dt.datetime:
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")


def fill(server: Any, count: int, config_rows: int = CONFIG_ROWS) -> str:
    """A new database of ``count`` organizations; returns its name."""
    import psycopg

    from outlook_tui.store.postgres import PostgresStore

    document = generate.make_document(count)
    name = server.database()
    with psycopg.connect(server.uri(name), autocommit=True) as connection:
        # The template holds a Default Organization and its rows: this store has its own.
        connection.execute("TRUNCATE oro_config_value, oro_config, oro_organization "
                           "RESTART IDENTITY CASCADE")
        with connection.cursor().copy(
                "COPY oro_organization (id, name, description, created_at, updated_at, enabled)"
                " FROM STDIN") as copy:
            for record in document["organizations"]:
                copy.write_row((record["id"], record["name"], record["description"] or None,
                                _time(record["created_at"]), _time(record["updated_at"]),
                                record["enabled"]))
        connection.execute("INSERT INTO oro_config (id, entity, record_id) VALUES (1, 'app', 0)")
        connection.execute("INSERT INTO oro_config (id, entity, record_id) SELECT id + 1, "
                           "'organization', id FROM oro_organization")
        connection.execute("SELECT setval('oro_config_id_seq', (SELECT max(id) FROM oro_config))")
        connection.execute("SELECT setval('oro_organization_id_seq', "
                           "(SELECT max(id) FROM oro_organization))")
        ours = 0
        stamp = dt.datetime(2024, 1, 1)
        with connection.cursor().copy(
                "COPY oro_config_value (config_id, name, section, text_value, object_value, "
                "array_value, type, created_at, updated_at) FROM STDIN") as copy:
            scopes = [(1, document["system"])] + [
                (r["id"] + 1, r["overrides"]) for r in document["organizations"]]
            for config_id, values in scopes:
                for setting_name, value in values.items():
                    encoded = encode(BY_NAME[setting_name], value)
                    copy.write_row((config_id, setting_name, "oro_crm_pro_outlook",
                                    encoded.text_value, encoded.object_value,
                                    encoded.array_value, encoded.type, stamp, stamp))
                    ours += 1
        # Everything else a real installation stores: other bundles' settings, per scope.
        others = max(0, config_rows - ours)
        connection.execute(
            "INSERT INTO oro_config_value (config_id, name, section, text_value, object_value, "
            "array_value, type, created_at, updated_at) "
            "SELECT c.id, 'setting_' || k, 'oro_bench_' || (k %% 7), 'value ' || k, 'Tjs=', "
            "'Tjs=', 'scalar', %s, %s FROM oro_config c CROSS JOIN generate_series(1, %s) k "
            "ORDER BY c.id, k LIMIT %s",
            (stamp, stamp, others // max(1, count) + 1, others))
        connection.execute("ANALYZE")
    store = PostgresStore(server.uri(name))
    store.init_history()
    store.close()
    return name


def fill_mysql(server: Any, count: int, config_rows: int = CONFIG_ROWS) -> str:
    """The same on MySQL (``tests/mysql/server.py``): Oro's utf8 tables, the same rows."""
    from outlook_tui.store.mysql import MySQLStore

    document = generate.make_document(count)
    name = server.database()
    connection = server.connect(name)
    with connection.cursor() as cursor:
        cursor.execute("SET FOREIGN_KEY_CHECKS = 0")
        for table in ("oro_config_value", "oro_config", "oro_organization"):
            cursor.execute(f"TRUNCATE {table}")
        cursor.executemany(
            "INSERT INTO oro_organization (id, name, description, created_at, updated_at, "
            "enabled) VALUES (%s, %s, %s, %s, %s, %s)",
            [(r["id"], r["name"], r["description"] or None, _time(r["created_at"]),
              _time(r["updated_at"]), r["enabled"]) for r in document["organizations"]])
        cursor.execute("INSERT INTO oro_config (id, entity, record_id) VALUES (1, 'app', 0)")
        cursor.execute("INSERT INTO oro_config (id, entity, record_id) SELECT id + 1, "
                       "'organization', id FROM oro_organization")
        stamp = dt.datetime(2024, 1, 1)
        scopes = [(1, document["system"])] + [
            (r["id"] + 1, r["overrides"]) for r in document["organizations"]]
        ours = [(config_id, setting_name, "oro_crm_pro_outlook", encoded.text_value,
                 encoded.object_value, encoded.array_value, encoded.type, stamp, stamp)
                for config_id, values in scopes for setting_name, value in values.items()
                if (encoded := encode(BY_NAME[setting_name], value))]
        cursor.executemany(
            "INSERT INTO oro_config_value (config_id, name, section, text_value, object_value, "
            "array_value, type, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, "
            "%s, %s)", ours)
        others = max(0, config_rows - len(ours))
        per_scope = others // max(1, count) + 1
        cursor.execute(
            "INSERT INTO oro_config_value (config_id, name, section, text_value, object_value, "
            "array_value, type, created_at, updated_at) "
            "SELECT c.id, CONCAT('setting_', k.n), CONCAT('oro_bench_', k.n %% 7), "
            "CONCAT('value ', k.n), 'Tjs=', 'Tjs=', 'scalar', %s, %s FROM oro_config c "
            "CROSS JOIN (SELECT 1 AS n" + "".join(f" UNION ALL SELECT {i}" for i in
                                                 range(2, per_scope + 1)) + ") k "
            "ORDER BY c.id, k.n LIMIT %s", (stamp, stamp, others))
        cursor.execute("SET FOREIGN_KEY_CHECKS = 1")
        cursor.execute("ANALYZE TABLE oro_organization, oro_config, oro_config_value")
        cursor.fetchall()
    connection.close()
    store = MySQLStore(server.uri(name))
    store.init_history()
    store.close()
    return name
