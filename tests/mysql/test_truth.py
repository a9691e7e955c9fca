"""The same truth on Oro's MySQL database: a DBA's change shows as made outside outlook-tui,
a dry run prints the rows and writes none, and the cache advice fits the Oro its tables
record."""

from __future__ import annotations

import json

from tests.conftest import run_cli as run
from tests.mysql.server import MariaDBServer

INTERVAL = "contacts_sync_interval_orocrm"
ALL_ROWS = "SELECT * FROM oro_config_value ORDER BY id"


def test_outside_changes_dry_runs_and_advice_on_mysql(
        mysql_server: MariaDBServer, mysql_uri: str, mysql_db: str) -> None:
    mysql_server.execute(mysql_db, "INSERT INTO oro_organization (id, name, enabled) "
                         "VALUES (2, 'Acme', 1)")
    mysql_server.execute(mysql_db, "CREATE TABLE oro_migrations (id INT AUTO_INCREMENT NOT "
                         "NULL, bundle VARCHAR(250) NOT NULL, version VARCHAR(250) NOT NULL, "
                         "loaded_at DATETIME NOT NULL, PRIMARY KEY(id))")
    mysql_server.execute(mysql_db, "INSERT INTO oro_migrations (bundle, version, loaded_at) "
                         "VALUES ('OroOrganizationBundle', 'v1_6', NOW())")
    saved = run(mysql_uri, "set", "Acme", INTERVAL, "600").stdout
    assert "`php app/console cache:clear --env=prod`" in saved

    mysql_server.execute(mysql_db, "UPDATE oro_config_value SET text_value = '900', "
                         "updated_at = '2030-01-01 10:00:00' WHERE name = %s AND "
                         "text_value = '600'", (INTERVAL,))
    [newest, _] = json.loads(run(mysql_uri, "--read-only", "history", "Acme", "--json").stdout)
    assert (newest["user"], newest["old"], newest["new"], newest["time"]) == (
        "outside outlook-tui", 600, 900, "2030-01-01T10:00:00Z")

    before = mysql_server.execute(mysql_db, ALL_ROWS)
    plan = json.loads(run(mysql_uri, "set", "Acme", INTERVAL, "300", "--dry-run",
                          "--json").stdout)
    assert plan["changes"][0]["old"] == 900 and plan["changes"][0]["new"] == 300
    assert plan["rows"][0]["action"] == "update" and plan["rows"][0]["was"] == "900"
    assert mysql_server.execute(mysql_db, ALL_ROWS) == before
