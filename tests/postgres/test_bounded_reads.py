"""Every statement the PostgreSQL store runs is bounded, not only a save's: a DBA's
``BEGIN; LOCK TABLE oro_config_value IN ACCESS EXCLUSIVE MODE`` stops every read of the table,
and each read (the app's change check, load, history...) ends after the lock timeout with one
line naming the table and who locked it; the app's change check, stuck behind such a lock on
its own connection, never holds up a save, whose own wait is then seen and cancelled."""

from __future__ import annotations

import pytest

from outlook_tui.store.postgres import PostgresStore
from tests.e2e.terminal import eventually
from tests.postgres.fixtures import SECTION_ROWS
from tests.postgres.server import PostgresServer
from tests.postgres.waiting import TABLE_LOCKED, holding, outlook_tui_sessions, waiting_session
from tests.waiting_saves import Saver, change_check, every_read_gives_up


def test_every_read_behind_a_dbas_table_lock_ends_after_the_lock_timeout_naming_them(
        pg_server: PostgresServer, oro_db: str, oro_uri: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "1")
    store = PostgresStore(oro_uri)
    try:
        base = store.load()
        with holding(oro_uri, TABLE_LOCKED) as dba:
            dba_pid = dba.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
            every_read_gives_up(store, base, (
                f"{store.location}: waited 1 s for a lock on oro_config_value, held by "
                f"postgres (dba-console, pid {dba_pid}); try again when they are done "
                "(OUTLOOK_TUI_LOCK_TIMEOUT sets the wait)"))
        # the lock is gone: the same connections read again
        assert store.change_token() == base.fingerprint
        assert store.load().fingerprint == base.fingerprint
    finally:
        store.close()


def test_a_save_never_waits_unseen_behind_the_change_check_stuck_on_a_locked_table(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, pg_store: PostgresStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The lead's story at the store: the app's once-a-second change check waits for the
    DBA's table lock; the save started meanwhile says whom it waits for, and is cancelled."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    before = pg_server.execute(oro_db, SECTION_ROWS)
    saver = Saver(pg_store)  # read before the lock: the lock stops readers too
    with holding(oro_uri, TABLE_LOCKED) as dba:
        dba_pid = dba.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        checking = change_check(pg_store)
        eventually(lambda: pg_store.watching.backend_id is not None and waiting_session(
            pg_server, oro_db, pg_store.watching.backend_id), "the change check to wait")
        waiting = saver.start().cancelled_while_waiting()
        assert waiting.what == "Oro's settings rows (oro_config, oro_config_value)"
        assert waiting.holders == (f"postgres (dba-console, pid {dba_pid})",)
        # the save's session neither waits nor holds anything; the check still waits
        sessions = [pid for pid, _, _ in outlook_tui_sessions(pg_server, oro_db)]
        assert sessions == [pg_store.watching.backend_id]
    checking.join()
    assert pg_server.execute(oro_db, SECTION_ROWS) == before
    assert pg_store.history() == []
