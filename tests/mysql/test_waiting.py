"""A save that waits on Oro's MySQL database is seen, bounded and cancellable, as on
PostgreSQL: another real connection holds the rows (``SELECT ... FOR UPDATE`` in a transaction
of its own) or the savers' lock; the save names who holds it when the server can tell (InnoDB's
lock waits need the PROCESS privilege), says it does not know otherwise, and a cancel (``KILL
QUERY`` from a second connection) rolls it back with nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from outlook_tui.store import StoreError
from outlook_tui.store.mysql import MySQLStore
from tests.conftest import run_cli as run
from tests.e2e.terminal import eventually
from tests.mysql.server import MariaDBServer
from tests.mysql.waiting import (
    ROWS,
    ROWS_HELD,
    SAVERS_HELD,
    TABLE_LOCKED,
    connection_id,
    holding,
    metadata_lock_info,
)
from tests.waiting_saves import INTERVAL, Saver, silent_server

SAVER = "oro_saver"
SAVER_PASSWORD = "saves, no PROCESS"


@pytest.fixture(autouse=True)
def patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saves wait as long as the test needs, unless a test sets the bound itself."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")


def lingering(server: MariaDBServer, store: MySQLStore) -> list[tuple[Any, ...]]:
    """What the store's own session still runs or holds: a statement, a transaction."""
    session = store.connection.backend_id
    return server.execute(None, "SELECT ID, STATE, INFO FROM information_schema.PROCESSLIST "
                          "WHERE ID = %s AND COMMAND <> 'Sleep'", (session,)) + server.execute(
        None, "SELECT trx_id, trx_state FROM information_schema.INNODB_TRX "
        "WHERE trx_mysql_thread_id = %s", (session,))


def ended(server: MariaDBServer, store: MySQLStore) -> None:
    """The store's session neither runs a statement nor holds a transaction: InnoDB's tables
    show transactions as of up to 0.1 s ago, so this waits (bounded) for them to say so."""
    eventually(lambda: lingering(server, store) == [], "the save's transaction to have ended",
               describe=lambda: repr(lingering(server, store)))


@pytest.mark.parametrize(("held", "what"), [
    (ROWS_HELD, "Oro's settings rows (oro_config, oro_config_value)"),
    (SAVERS_HELD, "another outlook-tui save (outlook-tui's savers' lock)"),
], ids=["another transaction holding the rows", "another outlook-tui save holding its lock"])
def test_a_save_behind_another_session_names_it_and_a_cancel_ends_it(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore, held: str,
        what: str) -> None:
    before = mysql_server.execute(mysql_db, ROWS)
    with holding(mysql_server, mysql_db, held) as other:
        waiting = Saver(mysql_store).start().cancelled_while_waiting()
        assert waiting.what == what
        assert waiting.holders == (
            f"root (connection {connection_id(other)}, from localhost)",)
        # rolled back at once, while the other session still holds what the save needs
        ended(mysql_server, mysql_store)
    assert mysql_server.execute(mysql_db, ROWS) == before
    assert mysql_store.history() == []
    # and the store saves normally afterwards
    Saver(mysql_store, 120).start().result()
    assert mysql_store.load().get(1).overrides == {INTERVAL: 120}  # type: ignore[union-attr]


@pytest.fixture
def saver_without_process(mysql_server: MariaDBServer, mysql_db: str,
                          mysql_uri: str) -> Iterator[MySQLStore]:
    """A store whose account may save but not see other sessions (no PROCESS privilege)."""
    mysql_server.execute(None, f"CREATE USER {SAVER}@localhost IDENTIFIED BY %s",
                         (SAVER_PASSWORD,))
    try:
        mysql_server.execute(None, f"GRANT SELECT, INSERT, UPDATE, DELETE ON {mysql_db}.* TO "
                             f"{SAVER}@localhost")
        store = MySQLStore(mysql_server.uri(mysql_db, SAVER, SAVER_PASSWORD))
        assert store.read_only_reason is None
        yield store
        store.close()
    finally:
        mysql_server.execute(None, f"DROP USER {SAVER}@localhost")


def test_a_save_that_may_not_see_who_holds_the_rows_says_so_and_can_still_be_cancelled(
        mysql_server: MariaDBServer, mysql_db: str, saver_without_process: MySQLStore) -> None:
    before = mysql_server.execute(mysql_db, ROWS)
    with holding(mysql_server, mysql_db, ROWS_HELD):
        # cancelled on its own session: KILL QUERY needs no privilege
        waiting = Saver(saver_without_process).start().cancelled_while_waiting()
        assert waiting.holders == ()
        assert str(waiting) == ("waiting for Oro's settings rows (oro_config, oro_config_value)"
                                "; the database does not say who holds it")
        ended(mysql_server, saver_without_process)
    assert mysql_server.execute(mysql_db, ROWS) == before


def test_a_table_locked_by_a_dba_is_waited_for_visibly_and_cancelled(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore) -> None:
    """LOCK TABLES holds a table's metadata lock, whose holder no table names."""
    before = mysql_server.execute(mysql_db, ROWS)
    saver = Saver(mysql_store)  # loaded before: the lock stops readers too
    with holding(mysql_server, mysql_db, TABLE_LOCKED):
        waiting = saver.start().cancelled_while_waiting()
        assert waiting.what == "Oro's settings rows (oro_config, oro_config_value)"
        assert waiting.holders == ()
    assert mysql_server.execute(mysql_db, ROWS) == before
    assert mysql_store.history() == []


def test_with_metadata_lock_info_who_holds_a_table_lock_is_named(
        mysql_server: MariaDBServer, mysql_db: str, mysql_store: MySQLStore) -> None:
    """Once a DBA has installed MariaDB's metadata_lock_info plugin, the waiting save names
    the session that ran LOCK TABLES."""
    before = mysql_server.execute(mysql_db, ROWS)
    saver = Saver(mysql_store)
    with metadata_lock_info(mysql_server), \
            holding(mysql_server, mysql_db, TABLE_LOCKED) as dba:
        waiting = saver.start().cancelled_while_waiting()
        assert waiting.holders == (f"root (connection {connection_id(dba)}, from localhost)",)
    assert mysql_server.execute(mysql_db, ROWS) == before
    assert mysql_store.history() == []


def test_the_cli_gives_up_after_the_lock_timeout_naming_the_holder(
        mysql_server: MariaDBServer, mysql_db: str, mysql_uri: str) -> None:
    before = mysql_server.execute(mysql_db, ROWS)
    with holding(mysql_server, mysql_db, ROWS_HELD) as dba:
        failed = run(mysql_uri, "set", "Default Organization", INTERVAL, "300", ok=False,
                     env={"OUTLOOK_TUI_LOCK_TIMEOUT": "2"})
        holder = connection_id(dba)
    assert failed.returncode == 1
    [line] = failed.stderr.splitlines()
    assert "waited 2 s for Oro's settings rows (oro_config, oro_config_value), held by root " \
        f"(connection {holder}, from localhost). Nothing was saved" in line
    assert mysql_server.execute(mysql_db, ROWS) == before


def test_a_server_that_never_answers_is_given_up_on_with_one_line() -> None:
    with silent_server() as port:
        uri = f"mysql://oro:Secret%20pw@127.0.0.1:{port}/oro?connect_timeout=1"
        with pytest.raises(StoreError) as raised:
            MySQLStore(uri)
        assert str(raised.value).startswith(f"cannot connect to mysql://oro@127.0.0.1:{port}/oro")
        failed = run(uri, "orgs", "list", ok=False)
    assert failed.returncode != 0
    [line] = failed.stderr.splitlines()
    assert line.startswith(f"outlook-tui: cannot connect to mysql://oro@127.0.0.1:{port}/oro")
    assert "Secret" not in line and "Secret" not in str(raised.value)
