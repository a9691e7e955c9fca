"""The terminal app over Oro's MySQL database, driven by keys at 80x24; the rows checked after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.store.mysql import MySQLStore
from tests.app.conftest import CRM, type_own_value
from tests.conftest import loaded_app, settle
from tests.mysql.server import OTHER_ROWS_SQL, MariaDBServer

ADMIN, ADMIN_PASSWORD = "oro_admin", "admin's p@ss"


@pytest.fixture
def admin(mysql_server: MariaDBServer, mysql_db: str, mysql_uri: str) -> Iterator[str]:
    """An account with the grants `outlook-tui db init --print-sql` suggests for MySQL."""
    mysql_server.execute(None, f"CREATE USER {ADMIN}@localhost IDENTIFIED BY %s",
                         (ADMIN_PASSWORD,))
    for grant in ("SELECT ON {db}.oro_organization", "SELECT, INSERT, UPDATE ON {db}.oro_config",
                  "SELECT, INSERT ON {db}.outlook_tui_history",
                  "SELECT, INSERT, UPDATE, DELETE ON {db}.oro_config_value"):
        mysql_server.execute(None, f"GRANT {grant.format(db=mysql_db)} TO {ADMIN}@localhost")
    yield mysql_server.uri(mysql_db, ADMIN)
    mysql_server.execute(None, f"DROP USER {ADMIN}@localhost")


async def test_admin_sets_crm_sync_interval_in_oros_mysql_database(
        mysql_server: MariaDBServer, mysql_db: str, admin: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Admin opens Acme's configuration, clears Use System on CRM Sync Interval, types 300,
    saves: the row is Oro's, the history names the database account."""
    mysql_server.execute(mysql_db, "INSERT INTO oro_organization (id, name, enabled, "
                         "created_at, updated_at) VALUES (2, 'Acme', 1, '2026-02-01 08:00:00', "
                         "'2026-02-01 08:00:00')")
    others = mysql_server.execute(mysql_db, OTHER_ROWS_SQL)
    monkeypatch.setenv("MYSQL_PWD", ADMIN_PASSWORD)
    store = MySQLStore(admin)
    assert store.read_only_reason is None
    async with loaded_app(store) as (app, pilot):
        assert f"{mysql_db} on localhost (MySQL)" in app.sub_title
        assert ADMIN_PASSWORD not in app.sub_title
        await pilot.press("c")  # Acme's Configuration: first in name order
        await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                     and app.screen.form.loaded, "the configuration form")
        await type_own_value(pilot, CRM, "300")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: store.history(), "the save")
    store.close()
    assert mysql_server.execute(mysql_db, """SELECT c.entity, c.record_id, v.name, v.section,
        v.text_value, v.type, v.object_value, v.array_value
        FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
        WHERE BINARY v.section = 'oro_crm_pro_outlook' AND c.entity IN ('app', 'organization')
          AND v.name <> 'layouts'""") == [
        ("organization", 2, CRM, "oro_crm_pro_outlook", "300", "scalar", "Tjs=", "Tjs=")]
    assert mysql_server.execute(mysql_db, "SELECT revision, organization_name, setting_key, "
                                "old_value, new_value, db_user FROM outlook_tui_history") == [
        (1, "Acme", f"oro_crm_pro_outlook.{CRM}", None, "300", f"{ADMIN}@localhost")]
    assert mysql_server.execute(mysql_db, OTHER_ROWS_SQL) == others


async def test_oro_writing_behind_the_apps_back_shows_up(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore) -> None:
    async with loaded_app(mysql_store, watch_seconds=0.2) as (app, pilot):
        # What Oro's settings page does: its own row, written straight to the table.
        mysql_server.execute(mysql_db, "INSERT INTO oro_config_value (config_id, name, section, "
                             "text_value, object_value, array_value, type, created_at, "
                             "updated_at) VALUES (2, %s, 'oro_crm_pro_outlook', '450', 'Tjs=', "
                             "'Tjs=', 'scalar', NOW(), NOW())", (CRM,))

        def seen() -> bool:
            org = app.snapshot.get(1) if app.snapshot is not None else None
            return org is not None and org.overrides.get(CRM) == 450

        await settle(pilot, seen, "the app to notice Oro's write")
