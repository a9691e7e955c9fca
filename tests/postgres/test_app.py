"""The terminal app over Oro's database, driven by keys at 80x24; the rows checked after."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import Static

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.store.postgres import PostgresStore
from tests.app.conftest import CRM, to_checkbox, type_own_value
from tests.conftest import burst, loaded_app, notices, settle
from tests.postgres.fixtures import stored_as_oro_would
from tests.postgres.server import OTHER_ROWS_SQL, PostgresServer

#: oro_config rows of the template: the system scope's, and the Default Organization's.
SYSTEM, DEFAULT_ORGANIZATION = 1, 2


async def configuration_of_the_default_organization(pilot: Any) -> None:
    """c on the organizations grid, the Default Organization first: its form loaded."""
    await pilot.press("c")
    await settle(pilot, lambda: isinstance(pilot.app.screen, ConfigurationScreen)
                 and pilot.app.screen.form.loaded, "the configuration form")


def removed_with_its_history(pg_server: PostgresServer, oro_db: str, row: int, old_value: str,
                             others: object) -> None:
    """Row ``row`` (the Default Organization's value) is deleted, the history says so, and no
    other row of Oro's changed."""
    assert pg_server.execute(oro_db, "SELECT id FROM oro_config_value WHERE id = %s",
                             (row,)) == []
    assert pg_server.execute(oro_db, "SELECT organization_name, old_value, new_value "
                             "FROM outlook_tui_history") == [
        ("Default Organization", old_value, None)]
    assert pg_server.execute(oro_db, OTHER_ROWS_SQL) == others


@pytest.fixture
def admin_role(pg_server: PostgresServer, oro_db: str, oro_uri: str) -> Iterator[str]:
    """A login role with the grants `outlook-tui db init --print-sql` suggests."""
    name = f"oro_admin_{uuid.uuid4().hex[:8]}"
    pg_server.execute(oro_db, f"""CREATE ROLE {name} LOGIN;
        GRANT SELECT ON oro_organization TO {name};
        GRANT SELECT, INSERT, UPDATE ON oro_config TO {name};
        GRANT SELECT, INSERT ON outlook_tui_history TO {name};
        GRANT SELECT, INSERT, UPDATE, DELETE ON oro_config_value TO {name};
        GRANT USAGE ON SEQUENCE oro_config_id_seq, oro_config_value_id_seq,
          outlook_tui_history_id_seq TO {name};""")
    yield name
    pg_server.execute(oro_db, f"DROP OWNED BY {name}")
    pg_server.execute("postgres", f"DROP ROLE {name}")


async def test_admin_sets_crm_sync_interval_in_oros_database(
        pg_server: PostgresServer, oro_db: str, admin_role: str) -> None:
    pg_server.execute(oro_db, "INSERT INTO oro_organization (id, name, enabled, created_at, "
                      "updated_at) VALUES (2, 'Acme', true, '2026-02-01 08:00:00', "
                      "'2026-02-01 08:00:00')")
    others = pg_server.execute(oro_db, OTHER_ROWS_SQL)
    store = PostgresStore(pg_server.uri(oro_db, user=admin_role))
    assert store.read_only_reason is None
    app = OutlookApp(store, watch_seconds=0)
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated, "the database to load")
        # The header names the database and its host, not a URI cut after the user name.
        assert app.sub_title.startswith(f"{oro_db} on ") and "(PostgreSQL)" in app.sub_title
        assert "postgresql://" not in app.sub_title
        assert app.screen.query_one  # the organizations grid, Acme first in name order
        await pilot.press("c")  # Acme's Configuration
        await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                    and app.screen.form.loaded, "the configuration form")
        await type_own_value(pilot, CRM, "300")
        original_notify = app.notify

        def remember(message: str, **options: object) -> None:
            notes.append(message)
            original_notify(message, **options)  # type: ignore[arg-type]

        app.notify = remember  # type: ignore[method-assign]
        await pilot.press("ctrl+s")
        await settle(pilot)
    store.close()
    assert pg_server.execute(oro_db, """SELECT c.entity, c.record_id, v.name, v.section,
        v.text_value, v.type, v.object_value, v.array_value
        FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
        WHERE v.section = 'oro_crm_pro_outlook' AND c.entity IN ('app', 'organization')
          AND v.name <> 'layouts'""") == [
        ("organization", 2, CRM, "oro_crm_pro_outlook", "300", "scalar", "Tjs=", "Tjs=")]
    assert pg_server.execute(oro_db, "SELECT revision, organization_name, setting_key, "
                             "old_value, new_value, db_user FROM outlook_tui_history") == [
        (1, "Acme", f"oro_crm_pro_outlook.{CRM}", None, "300", admin_role)]
    assert pg_server.execute(oro_db, OTHER_ROWS_SQL) == others
    assert any("cache:pool:clear oro_config.cache" in note for note in notes)


async def test_oro_writing_behind_the_apps_back_shows_up(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    async with loaded_app(pg_store, watch_seconds=0.2) as (app, pilot):
        # What Oro's settings page does: its own row, written straight to the table.
        stored_as_oro_would(pg_server, oro_db, DEFAULT_ORGANIZATION, CRM, "450")

        def seen() -> bool:
            org = app.snapshot.get(1) if app.snapshot is not None else None
            return org is not None and org.overrides.get(CRM) == 450

        await settle(pilot, seen, "the app to notice Oro's write")


async def test_a_damaged_value_is_named_with_its_row(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    row = stored_as_oro_would(pg_server, oro_db, SYSTEM, CRM, "[b]90000")
    async with loaded_app(pg_store) as (app, _):
        messages = [n.message for n in notices(app)]
    assert any(f"oro_config_value row {row}" in m and "'[b]90000'" in m
               and "not a whole number" in m for m in messages), messages


async def test_admin_replaces_a_damaged_value_on_purpose(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    row = stored_as_oro_would(pg_server, oro_db, DEFAULT_ORGANIZATION, CRM, "90000")
    async with loaded_app(pg_store) as (app, pilot):
        await configuration_of_the_default_organization(pilot)
        notes = str(app.screen.query_one(f"#notes-{CRM}", Static).render())
        assert f"'90000' (oro_config_value row {row})" in notes
        assert "out of range" in notes
        await type_own_value(pilot, CRM, "300")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert pg_server.execute(oro_db, "SELECT id, text_value FROM oro_config_value WHERE "
                             "name = %s AND config_id = 2 AND section = %s",
                             (CRM, "oro_crm_pro_outlook")) == [(row, "300")]
    assert pg_server.execute(oro_db, "SELECT old_value, new_value FROM outlook_tui_history") \
        == [('"90000"', "300")]


async def test_admin_removes_a_damaged_value_by_ticking_use_system_again(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    row = stored_as_oro_would(pg_server, oro_db, DEFAULT_ORGANIZATION, CRM, "0")
    others = pg_server.execute(oro_db, OTHER_ROWS_SQL)
    async with loaded_app(pg_store) as (app, pilot):
        await configuration_of_the_default_organization(pilot)
        assert not app.screen.form.model.dirty
        await to_checkbox(pilot, CRM)
        await burst(pilot, "space", "space")  # clear Use System, tick it again
        notes = str(app.screen.query_one(f"#notes-{CRM}", Static).render())
        assert f"(oro_config_value row {row})" in notes and "Saving removes that row" in notes
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.screen.form.model.dirty
        assert app.snapshot is not None and app.snapshot.damaged == []
    removed_with_its_history(pg_server, oro_db, row, '"0"', others)


async def test_bulk_reset_of_marked_organizations_removes_damaged_values_too(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    row = stored_as_oro_would(pg_server, oro_db, DEFAULT_ORGANIZATION, CRM, "soon")
    others = pg_server.execute(oro_db, OTHER_ROWS_SQL)
    async with loaded_app(pg_store) as (app, pilot):
        await burst(pilot, "a", "x")  # mark every organization, Reset overrides
        await settle(pilot, lambda: bool(app.screen.query("#reset-what")), "the reset dialog")
        await pilot.press("enter")  # every setting
        await settle(pilot, lambda: bool(app.screen.query(".dialog-message")), "the question")
        message = str(app.screen.query_one(".dialog-message").render())
        assert "1 override (1 of them damaged)" in message, message
        await pilot.press("y")
        await settle(pilot)
        assert app.snapshot is not None and app.snapshot.damaged == []
    removed_with_its_history(pg_server, oro_db, row, '"soon"', others)


async def test_hostile_text_from_oros_tables_is_only_ever_text(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    evil = "Evil\x1b]52;c;aGk=\x07 [b]Corp[/b] \u202e"
    pg_server.execute(oro_db, "UPDATE oro_organization SET name = %s, description = %s "
                      "WHERE id = 1", (evil, "[red]x\x1b[2J"))
    stored_as_oro_would(pg_server, oro_db, DEFAULT_ORGANIZATION, CRM, "\x1b[31m9[/]")
    async with loaded_app(pg_store) as (app, _):
        messages = [n.message for n in notices(app)]
    [damaged] = [m for m in messages if "oro_config_value row" in m]
    assert "\x1b" not in damaged and "\u202e" not in damaged and "\x07" not in damaged
    assert "Evil\\x1b]52;c;aGk=\\x07 [b]Corp[/b]" in damaged
