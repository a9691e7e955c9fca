"""Oro's MySQL database as the store, against a real MariaDB server: rows as Oro writes them,
other bundles' rows untouched, accounts that may only read, locks held by another connection,
lost connections, MySQL's case-insensitive comparisons, and the password's ways in."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from outlook_tui.store import ReadOnlyError, SettingChange, StoreError
from outlook_tui.store.factory import open_store
from outlook_tui.store.mysql import MySQLStore
from outlook_tui.store.oro.sql import Statement
from tests.e2e.terminal import eventually
from tests.mysql.server import OTHER_ROWS_SQL, READER, READER_PASSWORD, MariaDBServer
from tests.mysql.waiting import ROWS, ROWS_HELD, SAVERS_HELD, TABLE_LOCKED, holding
from tests.waiting_saves import Saver, silent_server

INTERVAL = "contacts_sync_interval_orocrm"
OURS = """SELECT c.entity, c.record_id, v.name, v.text_value, v.object_value, v.array_value,
v.type FROM oro_config_value v JOIN oro_config c ON c.id = v.config_id
WHERE BINARY v.section = 'oro_crm_pro_outlook' AND v.name <> 'layouts'
AND c.entity <> 'user' ORDER BY v.id"""


@pytest.fixture(params=["utf8", "utf8mb4"])
def database(request: pytest.FixtureRequest, mysql_server: MariaDBServer) -> Iterator[str]:
    """Oro's tables as Oro 1.x-3.x (utf8) and later versions (utf8mb4) made them."""
    name = mysql_server.database(request.param)
    MySQLStore(mysql_server.uri(name)).init_history()
    yield name
    mysql_server.drop(name)


def test_values_are_written_as_oro_writes_them_and_nothing_else_changes(
        mysql_server: MariaDBServer, database: str) -> None:
    before = mysql_server.execute(database, OTHER_ROWS_SQL)
    store = MySQLStore(mysql_server.uri(database))
    saved = store.commit(store.load(), [
        SettingChange(None, INTERVAL, None, 300), SettingChange(1, "tasks_enabled", None, True),
        SettingChange(1, "calendar_events_enabled", None, False),
        SettingChange(1, "contacts_sync_direction", None, "OroCRMToOutlook")]).snapshot
    assert mysql_server.execute(database, OURS) == [
        ("app", 0, INTERVAL, "300", "Tjs=", "Tjs=", "scalar"),
        ("organization", 1, "tasks_enabled", "1", "Tjs=", "Tjs=", "scalar"),
        ("organization", 1, "calendar_events_enabled", "", "Tjs=", "Tjs=", "scalar"),
        ("organization", 1, "contacts_sync_direction", "OroCRMToOutlook", "Tjs=", "Tjs=",
         "scalar")]
    # the snapshot a save returns is the database as it is now: no reload needed
    assert not store.changed_since(saved)
    # Use System deletes the row
    saved = store.commit(saved, [SettingChange(1, "tasks_enabled", True, None),
                                 SettingChange(None, INTERVAL, 300, None)]).snapshot
    assert [row[2] for row in mysql_server.execute(database, OURS)] == [
        "calendar_events_enabled", "contacts_sync_direction"]
    assert not store.changed_since(saved)
    assert saved.document == store.load().document
    assert mysql_server.execute(database, OTHER_ROWS_SQL) == before
    # the user-level value of the same name, and the global-only layouts, are not ours
    assert store.load().effective(1)[INTERVAL].value == 120
    store.close()


def test_an_account_that_may_only_select_opens_read_only_and_writes_nothing(
        mysql_server: MariaDBServer, mysql_uri: str, mysql_db: str) -> None:
    before = mysql_server.execute(mysql_db, ROWS)
    store = MySQLStore(mysql_server.uri(mysql_db, READER, READER_PASSWORD))
    assert store.read_only_reason == (
        f"database user {READER}@localhost may not write Oro's settings (no INSERT on "
        "oro_config_value, UPDATE on oro_config_value, DELETE on oro_config_value, INSERT on "
        "oro_config, UPDATE on oro_config)")
    with pytest.raises(ReadOnlyError, match="may not write"):
        store.commit(store.load(), [SettingChange(1, INTERVAL, None, 300)])
    assert store.history() == []
    store.close()
    assert mysql_server.execute(mysql_db, ROWS) == before


def test_read_only_flag_makes_the_session_read_only(mysql_uri: str) -> None:
    store = MySQLStore(mysql_uri, read_only=True)
    assert store.read_only_reason == "opened with --read-only"
    with pytest.raises(ReadOnlyError):
        store.commit(store.load(), [SettingChange(1, INTERVAL, None, 300)])
    # even a write slipped past the store is refused by the server
    session = store.connection.session
    with pytest.raises(Exception, match="READ ONLY"), session.transaction([]):
        session.run(Statement("DELETE FROM oro_config_value", ()))
    store.close()


def test_a_change_made_in_oro_or_by_a_dba_is_noticed(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore) -> None:
    mysql_store.commit(mysql_store.load(), [SettingChange(1, INTERVAL, None, 300)])
    seen = mysql_store.load()
    assert not mysql_store.changed_since(seen)
    # A DBA's plain UPDATE: updated_at left alone, the count unchanged.
    mysql_server.execute(mysql_db, "UPDATE oro_config_value SET text_value = '450' WHERE "
                         "name = %s AND section = 'oro_crm_pro_outlook' AND config_id = 2",
                         (INTERVAL,))
    assert mysql_store.changed_since(seen)
    assert mysql_store.load().get(1).overrides[INTERVAL] == 450  # type: ignore[union-attr]
    seen = mysql_store.load()
    mysql_server.execute(mysql_db, "UPDATE oro_organization SET name = 'Renamed' WHERE id = 1")
    assert mysql_store.changed_since(seen)
    assert [o.name for o in mysql_store.load().organizations()] == ["Renamed"]
    seen = mysql_store.load()
    mysql_server.execute(mysql_db, "UPDATE oro_config_value SET text_value = 'x' WHERE "
                         "section = 'oro_locale'")
    assert not mysql_store.changed_since(seen)  # another section: nothing to reload


def test_oros_writes_while_an_admin_saves_are_noticed_after_the_save(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore) -> None:
    """A save sums only the scopes it saved (no scan of the section): Oro's write in another
    organization meanwhile is still noticed by the next check, and one in the same
    organization is merged over and noticed too."""
    mysql_server.execute(mysql_db, "INSERT INTO oro_organization (id, name, enabled) "
                         "VALUES (2, 'Acme', 1)")
    oro_writes = ("INSERT INTO oro_config_value (config_id, name, section, text_value, "
                  "object_value, array_value, type, created_at, updated_at) VALUES (%s, %s, "
                  "'oro_crm_pro_outlook', '450', 'Tjs=', 'Tjs=', 'scalar', NOW(), NOW())")
    base = mysql_store.load()
    saved = mysql_store.commit(base, [SettingChange(1, "tasks_enabled", None, False)])
    assert not mysql_store.changed_since(saved.snapshot)  # nobody else wrote

    base = saved.snapshot
    mysql_server.execute(mysql_db, "INSERT INTO oro_config (id, entity, record_id) "
                         "VALUES (20, 'organization', 2)")
    mysql_server.execute(mysql_db, oro_writes, (20, INTERVAL))  # Acme's, in Oro
    saved = mysql_store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
    assert mysql_store.changed_since(saved.snapshot)  # the watch reloads Acme's
    assert mysql_store.load().get(2).overrides == {INTERVAL: 450}  # type: ignore[union-attr]

    base = mysql_store.load()
    mysql_server.execute(mysql_db, oro_writes, (2, "contacts_sync_interval_outlook"))
    saved = mysql_store.commit(base, [SettingChange(1, "tasks_enabled", False, True)])
    assert saved.merged_over >= 1 and mysql_store.changed_since(saved.snapshot)
    assert mysql_store.load().get(1).overrides == {  # type: ignore[union-attr]
        "tasks_enabled": True, INTERVAL: 300, "contacts_sync_interval_outlook": 450}


def test_a_save_waits_for_a_lock_held_elsewhere_at_most_the_lock_timeout(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A DBA's open transaction holds the organization's scope row: the save gives up after
    OUTLOOK_TUI_LOCK_TIMEOUT with nothing written, and succeeds once the lock is gone."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "1")
    base = mysql_store.load()
    before = mysql_server.execute(mysql_db, ROWS)
    with holding(mysql_server, mysql_db, ROWS_HELD), pytest.raises(
            StoreError, match=r"waited \d+ s for Oro's settings rows \(oro_config, "
            r"oro_config_value\), held by .*Nothing was saved"):
        mysql_store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
    assert mysql_server.execute(mysql_db, ROWS) == before
    assert mysql_store.history() == []
    mysql_store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
    assert mysql_store.load().get(1).overrides == {INTERVAL: 300}  # type: ignore[union-attr]


def test_a_save_waits_for_another_outlook_tui_save_at_most_the_lock_timeout(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "1")
    with holding(mysql_server, mysql_db, SAVERS_HELD), pytest.raises(
            StoreError, match=r"waited \d+ s for another outlook-tui save "
            r"\(outlook-tui's savers' lock\)"):
        mysql_store.commit(mysql_store.load(), [SettingChange(1, INTERVAL, None, 300)])
    assert mysql_store.history() == []


def _kill_the_stores_connection(server: MariaDBServer, store: MySQLStore) -> None:
    [(connection_id,)] = store.connection.session.rows(Statement("SELECT CONNECTION_ID()", ()))
    server.execute(None, "KILL %s", (connection_id,))


def test_a_lost_connection_is_reopened(mysql_server: MariaDBServer, mysql_db: str,
                                       mysql_store: MySQLStore) -> None:
    before = mysql_store.load()
    _kill_the_stores_connection(mysql_server, mysql_store)
    # the change check has a connection of its own: one organization's read reopens this one
    assert mysql_store.load_named([1]).get(1) == before.get(1)
    assert not mysql_store.changed_since(before)
    assert mysql_store.load().document == before.document
    _kill_the_stores_connection(mysql_server, mysql_store)
    # a save finds the connection lost before it wrote anything: it goes on, on a new one
    mysql_store.commit(before, [SettingChange(1, INTERVAL, None, 300)])
    assert mysql_store.load().get(1).overrides == {INTERVAL: 300}  # type: ignore[union-attr]


def test_a_row_whose_name_differs_only_in_case_is_left_as_oro_leaves_it(
        mysql_server: MariaDBServer, database: str) -> None:
    """utf8_unicode_ci takes 'CONTACTS_SYNC_INTERVAL_OROCRM ' for our setting's name; Oro's
    PHP does not, and neither does outlook-tui: it is not read as the organization's value,
    and a save that would collide with it says why, writing nothing. On Oro 1.x-3.x's utf8
    tables and on later utf8mb4 ones alike."""
    mysql_db, mysql_store = database, MySQLStore(mysql_server.uri(database))
    mysql_server.execute(mysql_db, "INSERT INTO oro_config_value (config_id, name, section, "
                         "text_value, object_value, array_value, type, created_at, updated_at) "
                         "VALUES (2, %s, 'oro_crm_pro_outlook', '900', 'Tjs=', 'Tjs=', "
                         "'scalar', NOW(), NOW())", (INTERVAL.upper() + " ",))
    base = mysql_store.load()
    assert base.get(1).overrides == {}  # type: ignore[union-attr]
    before = mysql_server.execute(mysql_db, ROWS)
    with pytest.raises(StoreError, match="differs from outlook-tui's only in letter case or "
                                         "trailing spaces"):
        mysql_store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
    assert mysql_server.execute(mysql_db, ROWS) == before
    assert mysql_store.history() == []
    # other settings of that organization still save
    mysql_store.commit(base, [SettingChange(1, "tasks_enabled", None, False)])


def test_a_scope_row_oro_would_find_is_used_not_doubled(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore) -> None:
    """Oro's own query finds the scope 'Organization'/1 for 'organization'/1 on MySQL: so does
    outlook-tui, and it adds no second scope row."""
    mysql_server.execute(mysql_db, "UPDATE oro_config SET entity = 'Organization' WHERE id = 2")
    mysql_store.commit(mysql_store.load(), [SettingChange(1, INTERVAL, None, 300)])
    assert mysql_server.execute(mysql_db, "SELECT id, entity, record_id FROM oro_config "
                                "ORDER BY id") == [(1, "app", 0), (2, "Organization", 1),
                                                   (3, "user", 1)]
    assert mysql_store.load().get(1).overrides == {INTERVAL: 300}  # type: ignore[union-attr]


def test_the_password_comes_from_mysql_pwd_or_an_option_file_and_is_never_shown(
        mysql_server: MariaDBServer, mysql_uri: str, mysql_db: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    without = mysql_server.uri(mysql_db, READER)
    monkeypatch.setenv("MYSQL_PWD", READER_PASSWORD)
    assert MySQLStore(without).load().get(1) is not None
    monkeypatch.delenv("MYSQL_PWD")
    option_file = tmp_path / "my.cnf"
    option_file.write_text(f'[client]\npassword = "{READER_PASSWORD}"\n')
    assert MySQLStore(f"{without}&read_default_file={option_file}").load().get(1) is not None
    wrong = mysql_server.uri(mysql_db, READER, "Pa55%zz word")
    with pytest.raises(StoreError) as refused:
        MySQLStore(wrong)
    assert "Access denied" in str(refused.value)
    assert "Pa55" not in str(refused.value) and "zz word" not in str(refused.value)
    store = MySQLStore(mysql_server.uri(mysql_db, "root", "secret-in-uri").replace(
        "root:secret-in-uri", "root"))
    assert "secret" not in store.location


@pytest.mark.parametrize("uri", ["mysql://u@[::1/oro", "mysql://u@host:port/oro",
                                 "mysql://u@host/", "mysql://u@host/oro?sslmode=require",
                                 "mysql://u@host/oro?connect_timeout=soon"])
def test_a_uri_that_is_not_one_is_a_one_line_message(uri: str) -> None:
    with pytest.raises(StoreError) as refused:
        MySQLStore(uri)
    assert "\n" not in str(refused.value)


def test_without_pymysql_the_message_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pymysql", None)  # what an install without the extra has
    with pytest.raises(StoreError) as refused:
        open_store("mysql://oro_admin@db.example.com/oro")
    assert str(refused.value) == ("Oro's MySQL database needs PyMySQL, which is not installed: "
                                  "pip install 'outlook-tui[mysql]'")


def test_a_save_waiting_for_the_savers_lock_is_interrupted_and_writes_nothing(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Another saver holds the lock; the waiting save's statement is interrupted (KILL QUERY,
    what cancelling a save does): the save ends with nothing written."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "60")
    saver = Saver(mysql_store)
    with holding(mysql_server, mysql_db, SAVERS_HELD):
        saver.start()
        waiting = eventually(lambda: mysql_server.execute(
            None, "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE "
            "'SELECT GET_LOCK%%'"), "the save waiting for the savers' lock")
        mysql_server.execute(None, "KILL QUERY %s", (waiting[0][0],))
        outcome = saver.result()
    assert isinstance(outcome, StoreError)
    assert str(outcome).endswith("the wait for the savers' lock was interrupted; nothing "
                                 "was saved")
    assert mysql_store.history() == []
    assert mysql_store.load().get(1).overrides == {}  # type: ignore[union-attr]


def test_a_server_that_accepts_and_never_answers_is_given_up_with_a_one_line_message() -> None:
    with silent_server() as port, pytest.raises(StoreError) as refused:
        MySQLStore(f"mysql://oro@127.0.0.1:{port}/oro?connect_timeout=1")
    message = str(refused.value)
    assert message.startswith(f"cannot connect to mysql://oro@127.0.0.1:{port}/oro")
    assert "timed out" in message and "\n" not in message


def test_a_table_locked_by_a_dba_bounds_the_save_too(
        mysql_server: MariaDBServer, mysql_uri: str, mysql_db: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """LOCK TABLES (or an ALTER TABLE running) holds the table's metadata lock, which MySQL
    waits for a day by default: the save waits the lock timeout, then nothing is written."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "1")
    store = MySQLStore(mysql_uri)
    base = store.load()
    with holding(mysql_server, mysql_db, TABLE_LOCKED), pytest.raises(
            StoreError, match=r"waited \d+ s for Oro's settings rows .*Nothing was "
            r"saved: .*\(OUTLOOK_TUI_LOCK_TIMEOUT sets the wait\)"):
        store.commit(base, [SettingChange(1, INTERVAL, None, 300)])
    assert store.history() == []
    assert store.load().get(1).overrides == {}  # type: ignore[union-attr]
    store.close()
