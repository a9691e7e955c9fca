"""Every statement the MySQL store runs is bounded, as on PostgreSQL: a DBA's ``LOCK TABLES
oro_config_value WRITE`` stops every read of the table, and each read (the app's change check,
load, history...) ends after the lock timeout with one line saying what it waited for (the
server does not say who holds a table's lock); the change check, stuck behind it on its own
connection, never holds up a save, whose own wait is then seen and cancelled."""

from __future__ import annotations

import pytest

from outlook_tui.store.mysql import MySQLStore
from tests.e2e.terminal import eventually
from tests.mysql.server import MariaDBServer
from tests.mysql.waiting import ROWS, TABLE_LOCKED, holding
from tests.waiting_saves import Saver, change_check, every_read_gives_up


def state(server: MariaDBServer, session: object) -> str | None:
    """What the server says session ``session`` does now (``Waiting for table metadata
    lock``), None when idle."""
    rows = server.execute(None, "SELECT STATE, COMMAND FROM information_schema.PROCESSLIST "
                          "WHERE ID = %s", (session,))
    return None if not rows or rows[0][1] == "Sleep" else str(rows[0][0])


def test_every_read_behind_a_dbas_table_lock_ends_after_the_lock_timeout_saying_so(
        mysql_server: MariaDBServer, mysql_db: str, mysql_uri: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "1")
    store = MySQLStore(mysql_uri)
    try:
        base = store.load()
        with holding(mysql_server, mysql_db, TABLE_LOCKED):
            every_read_gives_up(store, base, (
                f"{store.location}: waited 1 s for a lock on Oro's tables "
                "(oro_organization, oro_config, oro_config_value, outlook_tui_history), "
                "held by another session (the database does not say whose); try again "
                "when they are done (OUTLOOK_TUI_LOCK_TIMEOUT sets the wait)"))
        assert store.change_token() == base.fingerprint
    finally:
        store.close()


def test_a_save_never_waits_unseen_behind_the_change_check_stuck_on_a_locked_table(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    before = mysql_server.execute(mysql_db, ROWS)
    saver = Saver(mysql_store)  # read before the lock: the lock stops readers too
    with holding(mysql_server, mysql_db, TABLE_LOCKED):
        checking = change_check(mysql_store)
        eventually(lambda: mysql_store.watching.backend_id is not None and state(
            mysql_server, mysql_store.watching.backend_id) == "Waiting for table metadata lock",
            "the change check to wait for the table")
        waiting = saver.start().cancelled_while_waiting()
        assert waiting.what == "Oro's settings rows (oro_config, oro_config_value)"
        assert waiting.holders == ()
        # the save's session runs nothing any more; the check still waits
        eventually(lambda: state(mysql_server, mysql_store.connection.backend_id) is None,
                   "the save's statement to have ended")
        assert state(mysql_server, mysql_store.watching.backend_id) == \
            "Waiting for table metadata lock"
    checking.join()
    assert mysql_server.execute(mysql_db, ROWS) == before
    assert mysql_store.history() == []
