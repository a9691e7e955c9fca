"""The truth about every value on Oro's database: changes made outside outlook-tui in the
history, a plan before every write (--dry-run), the cache advice for the Oro at hand, and a
save that collides with Oro inserting the same row."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from outlook_tui.store import ConflictError, InputError, SettingChange, StoreError
from outlook_tui.store.oro import store as oro_store
from outlook_tui.store.postgres import PostgresStore
from tests.conftest import run_cli as run
from tests.conftest import wait_until
from tests.postgres.fixtures import stored_as_oro_would
from tests.postgres.server import PostgresServer

INTERVAL = "contacts_sync_interval_orocrm"
ALL_ROWS = "SELECT * FROM oro_config_value ORDER BY id"
HISTORY = "SELECT * FROM outlook_tui_history ORDER BY id"
OUTSIDE = "outside outlook-tui"


def _history(uri: str, *args: str) -> list[dict[str, object]]:
    return json.loads(run(uri, "--read-only", "history", *args, "--json").stdout)


# -- changes made outside outlook-tui ----------------------------------------------------------


def test_a_dba_update_shows_as_changed_outside_outlook_tui_at_the_rows_time(
        pg_server: PostgresServer, oro_db: str, acme_uri: str) -> None:
    pg_server.execute(oro_db, "UPDATE oro_config_value SET text_value = '900', updated_at = "
                      "'2030-01-01 10:00:00' WHERE name = %s AND section = "
                      "'oro_crm_pro_outlook' AND text_value = '300'", (INTERVAL,))
    before = (pg_server.execute(oro_db, ALL_ROWS), pg_server.execute(oro_db, HISTORY))
    newest, recorded = _history(acme_uri, "Acme")[:2]
    assert (newest["user"], newest["old"], newest["new"], newest["time"]) == (
        OUTSIDE, 300, 900, "2030-01-01T10:00:00Z")
    assert (recorded["old"], recorded["new"]) == (None, 300)
    shown = run(acme_uri, "--read-only", "history").stdout.splitlines()[2]
    assert "2030-01-01 10:00:00" in shown and OUTSIDE in shown and "300 -> 900" in shown
    assert "Acme" in shown
    # Reading wrote nothing: no row, no history line.
    assert (pg_server.execute(oro_db, ALL_ROWS), pg_server.execute(oro_db, HISTORY)) == before


def test_a_row_deleted_in_oro_is_back_to_use_system_at_an_unknown_time(
        pg_server: PostgresServer, oro_db: str, acme_uri: str) -> None:
    pg_server.execute(oro_db, "DELETE FROM oro_config_value WHERE name = %s AND text_value = "
                      "'300'", (INTERVAL,))
    newest = _history(acme_uri, "Acme")[0]
    assert (newest["user"], newest["old"], newest["new"], newest["time"]) == (
        OUTSIDE, 300, None, "")
    line = run(acme_uri, "--read-only", "history", "Acme").stdout.splitlines()[2]
    assert line.startswith("time unknown") and "300 -> (Use System)" in line


def test_oro_config_update_after_the_history_began_shows_from_use_default(
        pg_server: PostgresServer, oro_db: str, acme_uri: str) -> None:
    """``oro:config:update oro_crm_pro_outlook.contacts_enabled false`` stores 'false' in the
    system scope: outside outlook-tui, from Use default, to a damaged value."""
    stored_as_oro_would(pg_server, oro_db, 1, "contacts_enabled", "false",
                        when="'2030-01-02 08:00:00'")
    newest = _history(acme_uri, "--system")[0]
    assert (newest["user"], newest["scope"], newest["old"], newest["new"]) == (
        OUTSIDE, "system", None, {"damaged": "false"})
    line = run(acme_uri, "--read-only", "history", "--system").stdout.splitlines()[2]
    assert "(Use default) -> damaged 'false'" in line


def test_nothing_is_outside_when_outlook_tui_made_every_change(acme_uri: str) -> None:
    assert all(e["user"] != OUTSIDE for e in _history(acme_uri))


# -- --dry-run -------------------------------------------------------------------------------


def test_a_dry_run_prints_the_rows_with_their_ids_and_writes_nothing(
        pg_server: PostgresServer, oro_db: str, acme_uri: str) -> None:
    row_id = pg_server.execute(oro_db, "SELECT id FROM oro_config_value WHERE name = %s AND "
                               "text_value = '300'", (INTERVAL,))[0][0]
    before = (pg_server.execute(oro_db, ALL_ROWS), pg_server.execute(oro_db, HISTORY),
              pg_server.execute(oro_db, "SELECT * FROM oro_config ORDER BY id"))
    out = run(acme_uri, "set", "Acme", "Globex", INTERVAL, "900", "--dry-run").stdout
    assert "dry run: nothing was saved (store at revision 1)" in out
    assert "would save revision 2: 2 organizations" in out
    rows = {line.split()[0]: line for line in out.splitlines()
            if line.startswith(("update", "insert"))}
    assert f"update  oro_config_value     {row_id} " in out
    assert "scope 'organization/2', name 'contacts_sync_interval_orocrm', text_value '900', " \
        "was '300'" in out
    assert "insert  oro_config_value     (new)  scope 'organization/3'" in out
    assert "insert  outlook_tui_history  (new)  rows 2, revision 2" in out
    assert rows
    plan = json.loads(run(acme_uri, "reset", "Acme", INTERVAL, "--dry-run", "--json").stdout)
    assert plan["changes"] == [{"scope": "organization", "organization_id": 2,
                                "organization_name": "Acme",
                                "key": "oro_crm_pro_outlook." + INTERVAL, "old": 300,
                                "new": None}]
    assert plan["rows"][0] == {"action": "delete", "table": "oro_config_value", "id": row_id,
                               "scope": "organization/2", "name": INTERVAL, "text_value": "300"}
    after = (pg_server.execute(oro_db, ALL_ROWS), pg_server.execute(oro_db, HISTORY),
             pg_server.execute(oro_db, "SELECT * FROM oro_config ORDER BY id"))
    assert after == before


# -- the cache advice for the Oro at hand -------------------------------------------------------


MIGRATIONS = """CREATE TABLE oro_migrations (id SERIAL NOT NULL, bundle VARCHAR(250) NOT NULL,
  version VARCHAR(250) NOT NULL, loaded_at TIMESTAMP(0) WITHOUT TIME ZONE NOT NULL,
  PRIMARY KEY(id))"""


@pytest.fixture
def oro_migrations(pg_server: PostgresServer, oro_db: str) -> Iterator[None]:
    """Oro's migrations table (the test database is shared: dropped again afterwards)."""
    pg_server.execute(oro_db, MIGRATIONS)
    yield
    pg_server.execute(oro_db, "DROP TABLE oro_migrations")


@pytest.mark.parametrize(("rows", "command", "family"), [
    ([("OroOrganizationBundle", "v1_5"), ("OroPlatformBundle", "v1_0")],
     "php app/console cache:clear --env=prod", "Oro 1.x-2.x"),
    ([("OroOrganizationBundle", "v1_7"), ("OroPlatformBundle", "v1_1")],
     "php bin/console cache:clear --env=prod", "Oro 3.0-5.0"),
    ([("OroOrganizationBundle", "v1_7"), ("OroPlatformBundle", "v1_2")],
     "php bin/console cache:pool:clear oro_config.cache", "Oro 5.1+"),
], ids=["1.x-2.x", "3.0-5.0", "5.1+"])
def test_after_a_save_the_advice_fits_the_oro_its_tables_record(
        pg_server: PostgresServer, oro_db: str, acme_uri: str, tmp_path: Path,
        oro_migrations: None, rows: list[tuple[str, str]], command: str, family: str) -> None:
    for bundle, version in rows:
        pg_server.execute(oro_db, "INSERT INTO oro_migrations (bundle, version, loaded_at) "
                          "VALUES (%s, %s, now())", (bundle, version))
    # The tables win over config.toml: they follow an upgrade, the file may not.
    config = tmp_path / "config.toml"
    config.write_text('[database]\noro_version = "1.10"\n')
    saved = run(acme_uri, "--config", str(config), "set", "Acme", INTERVAL, "700").stdout
    assert f"`{command}`" in saved and f"({family}, from oro_migrations: " in saved


def test_config_decides_when_the_tables_do_not_and_all_three_when_nothing_tells(
        acme_uri: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[database]\noro_version = "4.0"\n')
    saved = run(acme_uri, "--config", str(config), "set", "Acme", INTERVAL, "700").stdout
    assert "`php bin/console cache:clear --env=prod`" in saved
    assert "config.toml [database] oro_version = '4.0'" in saved
    unknown = run(acme_uri, "set", "Acme", INTERVAL, "800").stdout
    assert "not recorded in its database" in unknown
    for command in ("php app/console cache:clear --env=prod",
                    "php bin/console cache:clear --env=prod",
                    "php bin/console cache:pool:clear oro_config.cache"):
        assert command in unknown


# -- Oro inserting the same row at the same moment ---------------------------------------------


@pytest.fixture
def oro_inserting(pg_server: PostgresServer, oro_db: str) -> Iterator[psycopg.Connection]:
    """A second real connection, as Oro's page saving CRM interval 45 for the Default
    Organization: its row inserted, its transaction not committed yet."""
    with psycopg.connect(pg_server.uri(oro_db)) as connection:
        connection.execute(
            "INSERT INTO oro_config_value (config_id, name, section, text_value, object_value, "
            "array_value, type, created_at, updated_at) VALUES (2, %s, 'oro_crm_pro_outlook', "
            "'45', 'Tjs=', 'Tjs=', 'scalar', now(), now())", (INTERVAL,))
        yield connection


def _save_beside(pg_store: PostgresStore, pg_server: PostgresServer, oro_db: str,
                 oro: psycopg.Connection) -> BaseException | None:
    """Save 300 for the Default Organization while Oro's insert is open; Oro commits once
    the save waits for it."""
    base = pg_store.load()
    failure: list[BaseException] = []

    def save() -> None:
        try:
            pg_store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
        except BaseException as error:
            failure.append(error)

    saver = threading.Thread(target=save)
    saver.start()
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' " \
              "AND datname = %s"
    # Oro commits only once the save waits on its transaction: the collision, whatever the load.
    wait_until(lambda: failure or pg_server.execute(oro_db, waiting, (oro_db,))[0][0],
               "the save waiting on Oro's open insert")
    oro.commit()
    saver.join(60)
    assert not saver.is_alive()
    return failure[0] if failure else None


def test_a_save_colliding_with_oros_insert_is_retried_and_names_oros_value(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore,
        oro_inserting: psycopg.Connection) -> None:
    failure = _save_beside(pg_store, pg_server, oro_db, oro_inserting)
    # Retried on the new state: Oro's 45 is there now, so the save is a conflict, not a
    # raw "duplicate key value violates unique constraint".
    assert isinstance(failure, ConflictError), failure
    assert "45" in str(failure)
    assert pg_server.execute(oro_db, "SELECT text_value FROM oro_config_value WHERE name = %s "
                             "AND section = 'oro_crm_pro_outlook' AND config_id = 2",
                             (INTERVAL,)) == [("45",)]


def test_when_every_attempt_collides_it_says_nothing_was_saved(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore,
        oro_inserting: psycopg.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oro_store, "SAVE_ATTEMPTS", 1)
    failure = _save_beside(pg_store, pg_server, oro_db, oro_inserting)
    assert isinstance(failure, StoreError), failure
    assert "collided 1 times" in str(failure) and "nothing was saved" in str(failure)
    assert "duplicate key" in str(failure)  # the database's words, after ours
    assert pg_server.execute(oro_db, "SELECT count(*) FROM outlook_tui_history")[0][0] == 0


def test_db_init_dry_run_prints_the_sql_it_would_run_and_creates_nothing(
        pg_server: PostgresServer, oro_db: str) -> None:
    uri = pg_server.uri(oro_db)
    out = run(uri, "db", "init", "--dry-run").stdout
    assert "would create outlook_tui_history" in out
    assert "CREATE TABLE IF NOT EXISTS outlook_tui_history" in out
    assert pg_server.execute(oro_db, "SELECT to_regclass('outlook_tui_history')") == [(None,)]
    plan = json.loads(run(uri, "db", "init", "--dry-run", "--json").stdout)
    assert plan["exists"] is False and "CREATE TABLE" in plan["sql"]
    run(uri, "db", "init")
    assert "nothing would change" in run(uri, "db", "init", "--dry-run").stdout


# -- one organization costs one query ------------------------------------------------------------


def test_one_organization_is_read_without_the_others(acme_uri: str) -> None:
    """`show Acme` reads Acme and the system through indexes, not every organization; a name
    that is no organization's still gets the whole store's "did you mean"."""
    store = PostgresStore(acme_uri)
    try:
        part = store.load_named(["Acme"])
        assert [o.name for o in part.organizations()] == ["Acme"]
        assert part.find("Acme").overrides == {INTERVAL: 300}
        assert [o.name for o in store.load_named(["3"]).organizations()] == ["Globex"]
        whole = store.load_named(["acm"])  # no such organization: the whole store, to say so
        assert len(whole) == 3
        with pytest.raises(InputError, match="did you mean 'Acme'"):
            whole.find("acm")
    finally:
        store.close()
    shown = run(acme_uri, "show", "Acme").stdout
    assert "300" in shown
