"""The command line on Oro's MySQL database: a real subprocess, a real MariaDB server."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import run_cli as run
from tests.mysql.server import READER, READER_PASSWORD, MariaDBServer

SECTION_ROWS = """SELECT c.entity, c.record_id, v.name, v.text_value, v.type, v.object_value,
  v.array_value FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
WHERE BINARY v.section = 'oro_crm_pro_outlook' AND c.entity IN ('app', 'organization')
  AND v.name <> 'layouts' ORDER BY c.entity, c.record_id, v.name"""


def test_a_dba_creates_the_history_table_from_the_printed_sql_then_admins_save(
        mysql_server: MariaDBServer, mysql_db: str) -> None:
    uri = mysql_server.uri(mysql_db)
    mysql_server.execute(mysql_db, "INSERT INTO oro_organization (id, name, enabled) "
                         "VALUES (2, 'Acme', 1)")
    refused = run(uri, "set", "Acme", "tasks_enabled", "false", ok=False)
    assert refused.returncode == 1 and "outlook-tui db init" in refused.stderr
    printed = run(uri, "db", "init", "--print-sql").stdout
    assert "AUTO_INCREMENT" in printed and "ENGINE = InnoDB" in printed
    # what the DBA does: feed it to the mysql client
    subprocess.run([mysql_server.client, "--no-defaults", f"--socket={mysql_server.socket}",
                    "--user=root", mysql_db], input=printed, text=True, check=True, timeout=60)
    assert "already there" in run(uri, "db", "init").stdout

    saved = run(uri, "set", "Acme", "tasks_enabled", "false")
    assert "saved revision 1" in saved.stdout
    assert mysql_server.execute(mysql_db, SECTION_ROWS) == [
        ("organization", 2, "tasks_enabled", "", "scalar", "Tjs=", "Tjs=")]
    [entry] = json.loads(run(uri, "history", "--json").stdout)
    assert (entry["organization_name"], entry["new"], entry["db_user"]) == (
        "Acme", False, "root@localhost")


def test_a_read_only_account_reads_and_is_told_why_it_cannot_save(
        mysql_server: MariaDBServer, mysql_uri: str, mysql_db: str) -> None:
    reader = mysql_server.uri(mysql_db, READER)
    environment = {"MYSQL_PWD": READER_PASSWORD}
    shown = run(reader, "show", "Default Organization", env=environment)
    assert "contacts_sync_interval_orocrm" in shown.stdout or "CRM" in shown.stdout
    refused = run(reader, "set", "Default Organization", "tasks_enabled", "false", ok=False,
                  env=environment)
    assert refused.returncode == 1
    assert f"{READER}@localhost may not write Oro's settings" in refused.stderr
    assert READER_PASSWORD not in refused.stderr + refused.stdout
    assert mysql_server.execute(mysql_db, SECTION_ROWS) == []


def test_a_database_without_oros_tables_is_named_in_mysqls_words(
        mysql_server: MariaDBServer) -> None:
    """An admin names another database of the server (MySQL holds many side by side): one
    line naming the database and where Oro's is named, nothing about PostgreSQL."""
    mysql_server.execute(None, "CREATE DATABASE shop_typo")
    try:
        refused = run(mysql_server.uri("shop_typo"), "orgs", "list", ok=False)
    finally:
        mysql_server.drop("shop_typo")
    assert refused.returncode == 1
    assert refused.stderr.endswith(
        "no table oro_organization in database shop_typo: this is not Oro's database (Oro's "
        "is the database_name of its parameters.yml)\n"), refused.stderr
    assert len(refused.stderr.splitlines()) == 1 and "search_path" not in refused.stderr
