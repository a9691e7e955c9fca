"""Oro's database as a store shared by many admins and by Oro itself: real server, rows checked."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator

import pytest

from outlook_tui.store import ConflictError, ReadOnlyError, SettingChange
from outlook_tui.store.backend import Capability
from outlook_tui.store.oro.sql import Statement
from outlook_tui.store.postgres import PostgresStore
from tests.postgres import writers
from tests.postgres.fixtures import stored_as_oro_would
from tests.postgres.server import OTHER_ROWS_SQL, PostgresServer
from tests.store.conftest import writers_at_once

INTERVAL = "contacts_sync_interval_orocrm"
VALUE_OF = """SELECT v.id, v.text_value FROM oro_config_value v JOIN oro_config c
ON c.id = v.config_id WHERE c.entity = %s AND c.record_id = %s AND v.section =
'oro_crm_pro_outlook' AND v.name = %s"""


def value_row(server: PostgresServer, db: str, name: str, organization_id: int | None = 1,
              ) -> tuple[object, ...] | None:
    entity, record = ("app", 0) if organization_id is None else ("organization", organization_id)
    rows = server.execute(db, VALUE_OF, (entity, record, name))
    return rows[0] if rows else None


def test_four_writers_on_different_settings_all_merge(
        pg_server: PostgresServer, oro_db: str, oro_uri: str) -> None:
    saves = [("contacts_sync_direction", "OutlookToOroCRM"), (INTERVAL, 300),
             ("tasks_enabled", False), ("calendar_events_enabled", True)]
    results = writers_at_once(writers.save_once, [(oro_uri, n, v) for n, v in saves],
                              timeout=120)
    assert results == ["saved"] * 4
    store = PostgresStore(oro_uri)
    org = store.load().get(1)
    assert org is not None
    assert dict(org.overrides) == dict(saves)
    assert sorted(e.revision for e in store.history()) == [1, 2, 3, 4]
    store.close()


def test_four_writers_on_the_same_setting_one_wins_three_conflict(
        pg_server: PostgresServer, oro_db: str, oro_uri: str) -> None:
    results = writers_at_once(writers.save_once, [(oro_uri, INTERVAL, v) for v in
                                                  (100, 200, 300, 400)], timeout=120)
    assert sorted(results).count("saved") == 1
    row = value_row(pg_server, oro_db, INTERVAL)
    assert row is not None
    winner = row[1]
    assert sorted(r for r in results if r != "saved") == [f"conflict: {int(winner)}"] * 3
    store = PostgresStore(oro_uri)
    assert [(e.revision, e.new) for e in store.history()] == [(1, int(winner))]
    store.close()


def test_four_writers_incrementing_lose_nothing(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, pg_store: PostgresStore) -> None:
    pg_store.commit(pg_store.load(), [SettingChange(1, INTERVAL, None, 1000)])
    rounds = 5
    steps = (1, 10, 100, 1000)
    writers_at_once(writers.increment, [(oro_uri, rounds, step) for step in steps],
                    timeout=120)
    final = 1000 + rounds * sum(steps)
    assert value_row(pg_server, oro_db, INTERVAL)[1] == str(final)  # type: ignore[index]
    history = pg_store.history()
    assert [e.revision for e in history] == list(range(1 + 4 * rounds, 0, -1))
    # every save's old value is the previous save's new one: none was lost or overwritten
    assert history[0].new == final
    assert all(newer.old == older.new for newer, older in itertools.pairwise(history))
    assert pg_server.execute(oro_db, "SELECT count(*) FROM oro_config_value WHERE name = %s "
                             "AND section = 'oro_crm_pro_outlook'", (INTERVAL,)) == [(2,)]


def test_rows_of_other_sections_and_scopes_stay_byte_identical(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    before = pg_server.execute(oro_db, OTHER_ROWS_SQL)
    scopes = pg_server.execute(oro_db, "SELECT * FROM oro_config ORDER BY id")
    for organization_id in (1, None):
        base = pg_store.load()
        saved = pg_store.commit(base, [
            SettingChange(organization_id, INTERVAL, None, 60),
            SettingChange(organization_id, "tasks_enabled", None, False)]).snapshot
        # the snapshot a save returns is the database as it is now: no reload needed
        assert not pg_store.changed_since(saved)
        saved = pg_store.commit(saved, [
            SettingChange(organization_id, INTERVAL, 60, None),
            SettingChange(organization_id, "tasks_enabled", False, True)]).snapshot
        assert not pg_store.changed_since(saved)
        assert saved.document == pg_store.load().document
    assert pg_server.execute(oro_db, OTHER_ROWS_SQL) == before
    assert pg_server.execute(oro_db, "SELECT * FROM oro_config ORDER BY id") == scopes
    # the user-level value of the same name, and the global-only layouts, are not ours
    assert pg_store.load().effective(1)[INTERVAL].value == 120


@pytest.fixture
def role(pg_server: PostgresServer, oro_db: str) -> Iterator[str]:
    """A throwaway login role that may only read Oro's tables (and outlook-tui's)."""
    name = f"reader_{uuid.uuid4().hex[:10]}"
    pg_server.execute(oro_db, f"CREATE ROLE {name} LOGIN")
    yield name
    pg_server.execute(oro_db, f"DROP OWNED BY {name}")
    pg_server.execute("postgres", f"DROP ROLE {name}")


def test_a_role_that_may_only_read_opens_read_only_and_writes_nothing(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, role: str) -> None:
    pg_server.execute(oro_db, f"GRANT SELECT ON oro_organization, oro_config, oro_config_value, "
                      f"outlook_tui_history TO {role}")
    before = pg_server.execute(oro_db, "SELECT * FROM oro_config_value ORDER BY id")
    store = PostgresStore(pg_server.uri(oro_db, user=role))
    assert store.read_only
    assert store.read_only_reason is not None
    assert f"database user {role} may not write Oro's settings" in store.read_only_reason
    base = store.load()
    with pytest.raises(ReadOnlyError, match="may not write"):
        store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
    assert store.history() == []
    store.close()
    assert pg_server.execute(oro_db, "SELECT * FROM oro_config_value ORDER BY id") == before


def test_read_only_flag_uses_read_only_transactions(
        pg_server: PostgresServer, oro_db: str, oro_uri: str) -> None:
    import psycopg

    store = PostgresStore(oro_uri, read_only=True)
    assert store.read_only_reason == "opened with --read-only"
    with pytest.raises(ReadOnlyError):
        store.commit(store.load(), [SettingChange(1, INTERVAL, None, 300)])
    # even a write slipped past the store is refused by the server
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        store.connection.session.run(Statement("DELETE FROM oro_config_value"))
    store.close()


def test_saves_wait_for_the_history_table(pg_server: PostgresServer, oro_db: str) -> None:
    store = PostgresStore(pg_server.uri(oro_db))
    assert store.read_only_reason is not None
    assert "outlook-tui db init" in store.read_only_reason
    assert store.init_history() is True
    assert store.read_only_reason is None
    assert store.init_history() is False
    store.close()


def test_a_value_changed_behind_the_apps_back_is_noticed(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    pg_store.commit(pg_store.load(), [SettingChange(1, INTERVAL, None, 300)])
    seen = pg_store.load()
    assert not pg_store.changed_since(seen)
    # What Oro's settings page (or a DBA) does: a plain UPDATE, updated_at left alone.
    pg_server.execute(oro_db, "UPDATE oro_config_value SET text_value = '450' WHERE name = %s "
                      "AND section = 'oro_crm_pro_outlook' AND config_id = 2", (INTERVAL,))
    assert pg_store.changed_since(seen)
    assert pg_store.load().get(1).overrides[INTERVAL] == 450  # type: ignore[union-attr]
    seen = pg_store.load()
    pg_server.execute(oro_db, "UPDATE oro_organization SET name = 'Renamed' WHERE id = 1")
    assert pg_store.changed_since(seen)
    assert [o.name for o in pg_store.load().organizations()] == ["Renamed"]
    seen = pg_store.load()
    stored_as_oro_would(pg_server, oro_db, 1, "tasks_enabled", "")
    assert pg_store.changed_since(seen)
    seen = pg_store.load()
    pg_server.execute(oro_db, "UPDATE oro_config_value SET text_value = 'x' WHERE "
                      "section = 'oro_locale'")
    assert not pg_store.changed_since(seen)  # another section: nothing to reload


def test_oro_changing_the_same_setting_meanwhile_is_a_conflict(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    base = pg_store.load()
    stored_as_oro_would(pg_server, oro_db, 2, INTERVAL, "900")
    with pytest.raises(ConflictError) as caught:
        pg_store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
    assert caught.value.conflicts[0].theirs == 900
    assert value_row(pg_server, oro_db, INTERVAL)[1] == "900"  # type: ignore[index]
    result = pg_store.commit(base, [SettingChange(1, "tasks_enabled", None, False)])
    assert result.merged_over >= 1
    assert pg_store.changed_since(result.snapshot)  # the app reloads what Oro wrote
    assert pg_store.load().get(1).overrides == {  # type: ignore[union-attr]
        INTERVAL: 900, "tasks_enabled": False}


def test_a_damaged_value_is_shown_and_replaced_only_by_an_explicit_change(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    stored_as_oro_would(pg_server, oro_db, 2, INTERVAL, "90000")
    damaged_row = value_row(pg_server, oro_db, INTERVAL)
    base = pg_store.load()
    [damaged] = base.damaged
    assert (damaged.organization_name, damaged.key, damaged.text_value) == (
        "Default Organization", f"oro_crm_pro_outlook.{INTERVAL}", "90000")
    assert "out of range" in damaged.reason and damaged.row_id == damaged_row[0]
    # another setting of the same organization: saved; the damaged row left as it is
    base = pg_store.commit(base, [SettingChange(1, "tasks_enabled", None, False)]).snapshot
    assert value_row(pg_server, oro_db, INTERVAL) == damaged_row
    assert base.damaged == [damaged]
    # the admin sets that very setting, having seen it damaged: replaced, the history says so
    pg_store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
    assert value_row(pg_server, oro_db, INTERVAL) == (damaged_row[0], "300")  # type: ignore[index]
    assert pg_store.history(limit=1)[0].old == "90000"


def test_a_value_damaged_after_loading_is_a_conflict(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    base = pg_store.load()
    stored_as_oro_would(pg_server, oro_db, 2, INTERVAL, "soon")
    with pytest.raises(ConflictError, match="damaged: 'soon'"):
        pg_store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
    assert value_row(pg_server, oro_db, INTERVAL)[1] == "soon"  # type: ignore[index]


def test_capabilities_say_why(pg_store: PostgresStore) -> None:
    assert not pg_store.supports(Capability.ORGANIZATION_EDITING)
    assert pg_store.unsupported_reason(Capability.ORGANIZATION_EDITING) == \
        "organizations are managed in Oro"
    assert not pg_store.supports(Capability.BACKUPS)
    assert pg_store.kind == "Oro database (PostgreSQL)"
    assert "password" not in pg_store.location


def test_a_role_without_the_id_sequences_says_so(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, role: str) -> None:
    pg_server.execute(oro_db, f"GRANT SELECT ON oro_organization TO {role}; GRANT SELECT, "
                      f"INSERT, UPDATE, DELETE ON oro_config, oro_config_value TO {role}")
    store = PostgresStore(pg_server.uri(oro_db, user=role))
    assert store.read_only_reason is not None
    assert "USAGE on oro_config_value's id sequence" in store.read_only_reason
    store.close()


def test_a_lost_connection_is_reopened_for_the_next_read(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    before = pg_store.load()
    # the server restarting, or an idle timeout, ends the session under the app's feet
    pg_server.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND application_name = 'outlook-tui'", (oro_db,))
    assert not pg_store.changed_since(before)
    assert pg_store.load().document == before.document
    pg_server.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND application_name = 'outlook-tui'", (oro_db,))
    # a save finds the connection lost before it wrote anything: it goes on, on a new one
    pg_store.commit(before, [SettingChange(1, INTERVAL, None, 300)])
    assert value_row(pg_server, oro_db, INTERVAL)[1] == "300"  # type: ignore[index]
