"""The command line on Oro's database: a real subprocess, a real server, rows checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli as run
from tests.conftest import write_store
from tests.postgres.fixtures import SECTION_ROWS, stored_as_oro_would
from tests.postgres.server import OTHER_ROWS_SQL, PostgresServer


def test_writes_wait_for_db_init_which_also_prints_its_sql(
        pg_server: PostgresServer, acme_db: str) -> None:
    uri = pg_server.uri(acme_db)
    printed = run(uri, "db", "init", "--print-sql", env={"OUTLOOK_TUI_STORE": "/nowhere"})
    assert "CREATE TABLE IF NOT EXISTS outlook_tui_history" in printed.stdout
    refused = run(uri, "set", "Acme", "tasks_enabled", "false", ok=False)
    assert refused.returncode == 1
    assert "outlook-tui db init" in refused.stderr
    assert pg_server.execute(acme_db, SECTION_ROWS) == []

    assert "created outlook_tui_history" in run(uri, "db", "init").stdout
    assert "already there" in run(uri, "db", "init").stdout
    saved = run(uri, "set", "Acme", "tasks_enabled", "false")
    assert "saved revision 1" in saved.stdout
    assert "cache:pool:clear oro_config.cache" in saved.stdout
    assert pg_server.execute(acme_db, SECTION_ROWS) == [
        ("organization", 2, "tasks_enabled", "", "scalar", "Tjs=", "Tjs=")]
    history = json.loads(run(uri, "history", "--json").stdout)
    assert [(h["revision"], h["organization_name"], h["key"], h["old"], h["new"], h["db_user"])
            for h in history] == [
        (1, "Acme", "oro_crm_pro_outlook.tasks_enabled", None, False, "postgres")]


def test_organizations_are_managed_in_oro(pg_server: PostgresServer, acme_db: str) -> None:
    uri = pg_server.uri(acme_db)
    listed = run(uri, "orgs", "list", "--json")
    assert [(o["name"], o["status"], o["description"]) for o in json.loads(listed.stdout)] == [
        ("Acme", "Active", "Anvils"), ("Default Organization", "Active", ""),
        ("Globex", "Inactive", "")]
    before = pg_server.execute(acme_db, "SELECT * FROM oro_organization ORDER BY id")
    for args in (("orgs", "add", "Initech"), ("orgs", "rename", "Acme", "Acme Corp"),
                 ("orgs", "disable", "Acme")):
        refused = run(uri, *args, ok=False)
        assert refused.returncode == 1
        assert "organizations are managed in Oro" in refused.stderr
    assert pg_server.execute(acme_db, "SELECT * FROM oro_organization ORDER BY id") == before
    assert "backed up with the database's own tools" in run(uri, "backups", ok=False).stderr


def test_an_import_naming_an_unknown_organization_fails_whole(
        pg_server: PostgresServer, oro_uri: str, tmp_path: Path) -> None:
    db = oro_uri.split("/")[3].split("?")[0]
    before = pg_server.execute(db, "SELECT * FROM oro_config_value ORDER BY id")
    data = {"format": "outlook-tui-export", "version": 1,
            "system": {"oro_crm_pro_outlook.contacts_enabled": False},
            "organizations": [
                {"name": "Default Organization",
                 "settings": {"oro_crm_pro_outlook.contacts_sync_interval_orocrm": 300}},
                {"name": "Initech", "settings": {}}]}
    path = tmp_path / "import.json"
    path.write_text(json.dumps(data))
    refused = run(oro_uri, "import", str(path), ok=False)
    assert refused.returncode == 1
    assert "no organization named 'Initech'" in refused.stderr
    assert "nothing was imported" in refused.stderr
    assert pg_server.execute(db, "SELECT * FROM oro_config_value ORDER BY id") == before


def test_moving_from_the_json_file_to_the_database_and_back(
        pg_server: PostgresServer, oro_uri: str, tmp_path: Path) -> None:
    db = oro_uri.split("/")[3].split("?")[0]
    pg_server.execute(db, "INSERT INTO oro_organization (id, name, enabled) "
                      "VALUES (2, 'Acme', true)")
    json_store = write_store(tmp_path / "a" / "store.json", [
        {"name": "Default Organization", "description": "differs from Oro's: left alone"},
        {"name": "Acme", "overrides": {"contacts_sync_direction": "OutlookToOroCRM",
                                       "contacts_sync_interval_outlook": 45,
                                       "calendar_events_enabled": False}},
    ], system={"tasks_enabled": False, "contacts_sync_interval_orocrm": 600})
    exported = tmp_path / "from-json.json"
    run(json_store, "export", str(exported))
    other_before = pg_server.execute(db, OTHER_ROWS_SQL)
    run(oro_uri, "import", str(exported))
    assert pg_server.execute(db, SECTION_ROWS) == [
        ("app", 0, "contacts_sync_interval_orocrm", "600", "scalar", "Tjs=", "Tjs="),
        ("app", 0, "tasks_enabled", "", "scalar", "Tjs=", "Tjs="),
        ("organization", 2, "calendar_events_enabled", "", "scalar", "Tjs=", "Tjs="),
        ("organization", 2, "contacts_sync_direction", "OutlookToOroCRM", "scalar", "Tjs=",
         "Tjs="),
        ("organization", 2, "contacts_sync_interval_outlook", "45", "scalar", "Tjs=", "Tjs="),
    ]
    assert pg_server.execute(db, OTHER_ROWS_SQL) == other_before
    assert pg_server.execute(db, "SELECT description FROM oro_organization WHERE id = 1") == [
        (None,)]
    back = tmp_path / "from-db.json"
    run(oro_uri, "export", str(back))
    fresh = write_store(tmp_path / "b" / "store.json", ["Default Organization", "Acme"])
    run(fresh, "import", str(back))
    settings = {o["name"]: o["settings"] for o in json.loads(
        run(fresh, "export").stdout)["organizations"]}
    original = {o["name"]: o["settings"] for o in json.loads(exported.read_text())[
        "organizations"]}
    assert settings == original


def test_help_and_messages_name_the_database_without_its_password(
        pg_server: PostgresServer, oro_uri: str) -> None:
    secret = "s3cret-Pa55"
    with_password = oro_uri.replace("postgresql://postgres@",
                                    f"postgresql://postgres:{secret}@")
    helped = run(with_password, "--help")
    assert "Oro's database postgresql://postgres@/" in " ".join(helped.stdout.split())
    assert secret not in helped.stdout
    shown = run(with_password, "show", "--system")
    assert secret not in shown.stdout + shown.stderr
    missing = with_password.replace("/oro_", "/missing_")
    failed = run(missing, "show", "--system", ok=False)
    assert failed.returncode == 1
    assert "cannot connect to postgresql://postgres@/missing_" in failed.stderr
    assert secret not in failed.stderr


def test_after_save_command_output_is_shown_and_its_failure_reported(
        pg_server: PostgresServer, oro_uri: str, tmp_path: Path) -> None:
    db = oro_uri.split("/")[3].split("?")[0]
    config = tmp_path / "config.toml"
    config.write_text('[database]\nafter_save_command = "echo cleared r$OUTLOOK_TUI_REVISION"\n')
    saved = run(oro_uri, "set", "--system", "tasks_enabled", "no",
                env={"OUTLOOK_TUI_CONFIG": str(config)})
    assert "after_save_command: cleared r1" in saved.stdout
    config.write_text('[database]\nafter_save_command = "echo cache busy >&2; exit 3"\n')
    failed = run(oro_uri, "set", "--system", "tasks_enabled", "yes",
                 env={"OUTLOOK_TUI_CONFIG": str(config)})
    assert failed.returncode == 0  # the save itself is committed
    assert "after_save_command failed (exit status 3)" in failed.stderr
    assert "cache busy" in failed.stderr
    assert pg_server.execute(db, "SELECT text_value FROM oro_config_value v JOIN oro_config c "
                             "ON c.id = v.config_id WHERE c.entity = 'app' AND "
                             "v.name = 'tasks_enabled'") == [("1",)]


def test_without_psycopg_the_message_names_the_extra() -> None:
    # psycopg made unimportable, as on an install without the [postgres] extra
    code = ("import sys; sys.modules['psycopg'] = None; from outlook_tui.cli import main; "
            "sys.exit(main(['--store', 'postgresql://admin@db.example/oro', 'show', '--system']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 1
    assert "pip install 'outlook-tui[postgres]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_names_from_oro_are_printed_escaped(pg_server: PostgresServer,
                                                     acme_db: str) -> None:
    pg_server.execute(acme_db, "UPDATE oro_organization SET name = %s WHERE id = 2",
                      ("Acme\x1b]0;pwned\x07\u202e",))
    listed = run(pg_server.uri(acme_db), "orgs", "list")
    assert "\x1b" not in listed.stdout and "\u202e" not in listed.stdout
    assert "Acme\\x1b]0;pwned\\x07\\u202e" in listed.stdout


def test_export_leaves_out_a_damaged_value_and_says_so(pg_server: PostgresServer,
                                                       oro_uri: str) -> None:
    db = oro_uri.split("/")[3].split("?")[0]
    row = stored_as_oro_would(pg_server, db, 2, "contacts_sync_direction", "Sideways")
    exported = run(oro_uri, "export")
    assert json.loads(exported.stdout)["organizations"][0]["settings"] == {}
    assert (f"not exported: Default Organization: oro_crm_pro_outlook.contacts_sync_direction = "
            f"'Sideways' (oro_config_value row {row})") in exported.stderr


def test_reset_removes_a_damaged_value_and_the_history_keeps_what_it_was(
        pg_server: PostgresServer, oro_uri: str) -> None:
    db = oro_uri.split("/")[3].split("?")[0]
    stored_as_oro_would(pg_server, db, 2, "contacts_sync_interval_orocrm", "90000")
    others = pg_server.execute(db, OTHER_ROWS_SQL)
    reset = run(oro_uri, "reset", "Default Organization", "contacts_sync_interval_orocrm")
    assert "saved revision 1" in reset.stdout
    assert pg_server.execute(db, SECTION_ROWS) == []
    assert pg_server.execute(db, OTHER_ROWS_SQL) == others
    [entry] = json.loads(run(oro_uri, "history", "--json").stdout)
    assert (entry["old"], entry["new"]) == ("90000", None)
    assert "damaged" not in run(oro_uri, "show", "Default Organization").stdout


EVERY_COMMAND = [("orgs", "list"), ("show", "--system"), ("set", "--system", "tasks_enabled", "no"),
                 ("reset", "--system", "tasks_enabled"), ("history",), ("export",), ("diff",),
                 ("db", "init"), ("backups",)]


@pytest.mark.parametrize("password", ["Pa55%zzword", "Pa55 word"])
def test_a_password_libpq_cannot_read_is_never_echoed(oro_uri: str, password: str) -> None:
    # libpq's own message quotes the part at fault: 'invalid percent-encoded token: "Pa55%zz..."'
    unreadable = oro_uri.replace("postgresql://postgres@", f"postgresql://postgres:{password}@")
    for args in EVERY_COMMAND:
        refused = run(unreadable, *args, ok=False)
        assert refused.returncode == 1, refused.stderr
        assert refused.stderr.startswith("outlook-tui: $OUTLOOK_TUI_STORE: the password holds ")
        assert len(refused.stderr.splitlines()) == 1
        assert "Pa55" not in refused.stdout + refused.stderr
    helped = run(unreadable, "--help")
    assert "Pa55" not in helped.stdout + helped.stderr
    assert "$OUTLOOK_TUI_STORE is not a usable URI" in " ".join(helped.stdout.split())


def test_a_malformed_uri_gets_one_line_naming_the_setting_and_help_still_works(
        tmp_path: Path) -> None:
    malformed = "postgresql://admin@[::1/oro"
    for args in EVERY_COMMAND:
        refused = run(malformed, *args, ok=False)
        assert refused.returncode == 1
        assert refused.stderr == ("outlook-tui: $OUTLOOK_TUI_STORE: the host's '[' (an IPv6 "
                                  "address) has no matching ']': give postgresql://USER@[::1]:"
                                  "5432/DBNAME; nothing was opened\n")
    given = run(tmp_path / "unused.json", "--store", malformed, "orgs", "list", ok=False)
    assert given.stderr.startswith("outlook-tui: --store: the host's '['")
    helped = run(malformed, "--help")
    assert "usage: outlook-tui" in helped.stdout and "Traceback" not in helped.stderr
    assert "$OUTLOOK_TUI_STORE is not a usable URI" in " ".join(helped.stdout.split())
    assert "Traceback" not in run(malformed, "show", "--help").stderr


def test_sslpassword_is_never_shown(pg_server: PostgresServer, oro_uri: str) -> None:
    secret = "k3y-s3cret"
    uri = oro_uri + f"&sslpassword={secret}"
    helped = run(uri, "--help")
    assert secret not in helped.stdout
    shown = " ".join(helped.stdout.split())
    # still a URI that names the same database: the authority ('//') stays, even empty
    assert f"Oro's database {oro_uri.split('?')[0]}?" in shown
    initialized = run(uri, "db", "init")
    assert secret not in initialized.stdout and "sslpassword" not in initialized.stdout
    missing = run(uri.replace("/oro_", "/missing_"), "show", "--system", ok=False)
    assert "cannot connect to postgresql://postgres@/missing_" in missing.stderr
    assert secret not in missing.stderr and "sslpassword" not in missing.stderr
