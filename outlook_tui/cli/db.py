"""``db init``: outlook-tui's history table in Oro's database."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from outlook_tui.cli.common import open_for
from outlook_tui.cli.errors import Rejected
from outlook_tui.cli.output import print_json
from outlook_tui.cli.plan import HEADLINE
from outlook_tui.paths import ENVIRONMENT_VARIABLE


def cmd_db_init(args: argparse.Namespace) -> None:
    if args.print_sql:
        from outlook_tui.store.factory import store_location
        from outlook_tui.store.mysql.dialect import MySQLDialect
        from outlook_tui.store.postgres.dialect import PostgresDialect
        from outlook_tui.store.uri import family

        # MySQL's SQL for a mysql:// store, else PostgreSQL's; nothing is connected to.
        mysql = family(store_location(getattr(args, "store", None))) == "mysql"
        dialect = MySQLDialect() if mysql else PostgresDialect()
        sys.stdout.write(dialect.history_ddl + dialect.history_grants)
        return
    store = open_for(args)
    init = getattr(store, "init_history", None)
    if init is None:
        raise Rejected("`db init` is for Oro's database: give --store postgresql://... or "
                       f"mysql://... (or ${ENVIRONMENT_VARIABLE}); the JSON file needs no setup")
    table = "outlook_tui_history"
    if args.dry_run:
        _plan_init(args, store, table)
        return
    created = init()
    print(f"{'created' if created else 'already there:'} {table} in {store.location}")
    if store.read_only_reason is not None:
        print(f"note: this database user still cannot save: {store.read_only_reason}")


def _plan_init(args: argparse.Namespace, store: Any, table: str) -> None:
    """What ``db init`` would run, asked of the database in a read-only session."""
    exists = bool(store.history_exists())
    sql = "" if exists else store.sql.history_ddl
    if args.json:
        print_json({"dry_run": True, "table": table, "exists": exists, "sql": sql})
        return
    print(f"{HEADLINE} (nothing created)")
    if exists:
        print(f"nothing would change: {table} is already in {store.location}")
        return
    print(f"would create {table} in {store.location}, running:")
    sys.stdout.write(sql)
