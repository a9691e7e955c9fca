"""Every statement the MySQL store runs is bounded, as on PostgreSQL: a DBA's ``LOCK TABLES
oro_config_value WRITE`` stops every read of the table, and each read (the app's change check,
load, history...) ends after the lock timeout with one line saying what it waited for (the
server does not say who holds a table's lock); the change check, stuck behind it on its own
connection, never holds up a save, whose own wait is then seen and cancelled."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import pytest

from outlook_tui.store import StoreError, TableLockTimeout
from outlook_tui.store.mysql import MySQLStore
from outlook_tui.store.waiting import Cancelled
from tests.e2e.terminal import eventually
from tests.mysql.server import MariaDBServer
from tests.waiting_saves import Saver, every_read

ROWS = "SELECT * FROM oro_config_value ORDER BY id"


@contextmanager
def table_locked(server: MariaDBServer, database: str) -> Iterator[Any]:
    """A DBA's session holding ``LOCK TABLES oro_config_value WRITE`` until the block ends."""
    dba = server.connect(database)
    try:
        with dba.cursor() as cursor:
            cursor.execute("LOCK TABLES oro_config_value WRITE")
        yield dba
    finally:
        dba.close()


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
        with table_locked(mysql_server, mysql_db):
            for name, read in every_read(store, base).items():
                with pytest.raises(TableLockTimeout) as raised:
                    read()
                assert str(raised.value) == (
                    f"{store.location}: waited 1 s for a lock on Oro's tables "
                    "(oro_organization, oro_config, oro_config_value, outlook_tui_history), "
                    "held by another session (the database does not say whose); try again "
                    "when they are done (OUTLOOK_TUI_LOCK_TIMEOUT sets the wait)"), name
        assert store.change_token() == base.fingerprint
    finally:
        store.close()


def test_a_save_never_waits_unseen_behind_the_change_check_stuck_on_a_locked_table(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    before = mysql_server.execute(mysql_db, ROWS)
    saver = Saver(mysql_store)  # read before the lock: the lock stops readers too
    with table_locked(mysql_server, mysql_db):

        def check() -> None:
            with suppress(StoreError):
                mysql_store.change_token()

        checking = threading.Thread(target=check)
        checking.start()
        eventually(lambda: mysql_store.watching.backend_id is not None and state(
            mysql_server, mysql_store.watching.backend_id) == "Waiting for table metadata lock",
            "the change check to wait for the table")
        saver.start()
        waiting = saver.wait_until_waiting()
        assert waiting.what == "Oro's settings rows (oro_config, oro_config_value)"
        assert waiting.holders == ()
        assert saver.control.cancel() is True
        assert isinstance(saver.result(), Cancelled)
        # the save's session runs nothing any more; the check still waits
        eventually(lambda: state(mysql_server, mysql_store.connection.backend_id) is None,
                   "the save's statement to have ended")
        assert state(mysql_server, mysql_store.watching.backend_id) == \
            "Waiting for table metadata lock"
    checking.join()
    assert mysql_server.execute(mysql_db, ROWS) == before
    assert mysql_store.history() == []
