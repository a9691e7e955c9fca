"""A save that waits on Oro's database is seen, bounded and cancellable: another real
connection holds the rows (a DBA's ``BEGIN; SELECT ... FOR UPDATE``, Oro's own save), or the
savers' lock; a server that accepts and never answers is given up on."""

from __future__ import annotations

import shutil

import psycopg
import pytest

from outlook_tui.store import SettingChange, StoreError
from outlook_tui.store.errors import DatabaseLockTimeout
from outlook_tui.store.postgres import PostgresStore
from outlook_tui.store.waiting import Cancelled, SaveControl
from tests.conftest import run_cli as run
from tests.e2e.terminal import EXECUTABLE, Tmux, lines_left
from tests.postgres.fixtures import SECTION_ROWS
from tests.postgres.server import PostgresServer
from tests.postgres.waiting import (
    ROWS_HELD,
    SAVERS_HELD,
    a_save_is_waiting,
    holding,
    outlook_tui_sessions,
)
from tests.waiting_saves import INTERVAL, Saver, silent_server


def test_a_save_behind_a_dbas_open_transaction_names_them_and_a_cancel_ends_it(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore, oro_uri: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    before = pg_server.execute(oro_db, SECTION_ROWS)
    with holding(oro_uri, ROWS_HELD):
        saver = Saver(pg_store).start()
        waiting = saver.cancelled_while_waiting()
        assert waiting.what == "Oro's settings rows (oro_config, oro_config_value)"
        [holder] = waiting.holders
        assert holder.startswith("postgres (dba-console, pid ")
        assert str(saver.outcome) == "the save was cancelled; nothing was saved"
        # rolled back at once, while the DBA still holds the rows: nothing waits, nothing held
        assert outlook_tui_sessions(pg_server, oro_db) == []
    # the holder is gone: nothing of the cancelled save shows up, ever
    assert pg_server.execute(oro_db, SECTION_ROWS) == before
    assert pg_store.history() == []
    # and the store saves normally afterwards, on the same connection
    pg_store.commit(pg_store.load(), [SettingChange(1, INTERVAL, None, 120)])
    assert pg_store.load().get(1).overrides == {INTERVAL: 120}  # type: ignore[union-attr]


def test_a_save_waits_at_most_the_lock_timeout_and_names_the_holder(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore, oro_uri: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "3")
    before = pg_server.execute(oro_db, SECTION_ROWS)
    with holding(oro_uri, ROWS_HELD, name="oro-admin-save"):
        saver = Saver(pg_store).start()
        error = saver.result()
    assert isinstance(error, DatabaseLockTimeout)
    assert "waited 3 s for Oro's settings rows (oro_config, oro_config_value), held by " \
        "postgres (oro-admin-save, pid " in str(error)
    assert pg_server.execute(oro_db, SECTION_ROWS) == before


def test_another_outlook_tui_save_holding_the_savers_lock_is_waited_for_and_cancelled(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore, oro_uri: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    before = pg_server.execute(oro_db, SECTION_ROWS)
    with psycopg.connect(oro_uri, autocommit=True, application_name="outlook-tui") as other:
        other.execute(SAVERS_HELD)
        waiting = Saver(pg_store).start().cancelled_while_waiting()
        assert waiting.what.startswith("another outlook-tui save")
        assert "(outlook-tui, pid " in waiting.holders[0]
    assert pg_server.execute(oro_db, SECTION_ROWS) == before


def test_a_cancel_after_the_commit_point_is_refused_and_the_save_stands(
        pg_store: PostgresStore) -> None:
    control = SaveControl()
    result = pg_store.commit(pg_store.load(), [SettingChange(1, INTERVAL, None, 300)], control)
    assert result.applied and control.cancel() is False


def test_a_save_cancelled_before_it_starts_writes_nothing(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore) -> None:
    before = pg_server.execute(oro_db, SECTION_ROWS)
    control = SaveControl()
    control.cancel()
    with pytest.raises(Cancelled):
        pg_store.commit(pg_store.load(), [SettingChange(1, INTERVAL, None, 300)], control)
    assert pg_server.execute(oro_db, SECTION_ROWS) == before


def test_the_cli_gives_up_after_the_lock_timeout_naming_the_holder(
        pg_server: PostgresServer, oro_db: str, oro_uri: str) -> None:
    """OUTLOOK_TUI_LOCK_TIMEOUT=2 bounds the command line's save too (it once waited 24 s)."""
    before = pg_server.execute(oro_db, SECTION_ROWS)
    with holding(oro_uri, ROWS_HELD, name="oro-admin-save"):
        failed = run(oro_uri, "set", "Default Organization", INTERVAL, "300", ok=False,
                     env={"OUTLOOK_TUI_LOCK_TIMEOUT": "2"})
        # ended with the holder still there: the command gave up by itself
        assert outlook_tui_sessions(pg_server, oro_db) == []
    assert failed.returncode == 1
    [line] = failed.stderr.splitlines()
    assert "waited 2 s for Oro's settings rows" in line and "(oro-admin-save, pid " in line
    assert line.endswith("Nothing was saved: try again when they are done "
                         "(OUTLOOK_TUI_LOCK_TIMEOUT sets the wait)")
    assert pg_server.execute(oro_db, SECTION_ROWS) == before


def test_a_save_the_server_reports_waiting_is_the_one_the_watch_names(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore, oro_uri: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What the dialog says comes from the server: the save's own session is the one waiting."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    with holding(oro_uri, ROWS_HELD) as dba:
        saver = Saver(pg_store).start()
        [(pid, _)] = a_save_is_waiting(pg_server, oro_db)
        assert pid == pg_store.connection.backend_id
        dba_pid = dba.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        assert f"pid {dba_pid}" in saver.wait_until_waiting().holders[0]
        saver.control.cancel()
        assert isinstance(saver.result(), Cancelled)


def test_a_server_that_never_answers_is_given_up_on_with_one_line() -> None:
    with silent_server() as port:
        uri = f"postgresql://oro:Secret%20pw@127.0.0.1:{port}/oro?connect_timeout=1"
        with pytest.raises(StoreError) as raised:
            PostgresStore(uri)
        message = str(raised.value)
        assert message.startswith(f"cannot connect to postgresql://oro@127.0.0.1:{port}/oro")
        assert "timeout" in message and "Secret" not in message and "\n" not in message
        failed = run(uri, "orgs", "list", ok=False)
    assert failed.returncode != 0
    [line] = failed.stderr.splitlines()
    assert line.startswith(f"outlook-tui: cannot connect to postgresql://oro@127.0.0.1:{port}/")
    assert "Secret" not in line


def test_the_app_says_whom_it_connects_to_then_gives_up_with_one_line() -> None:
    """The app in a real terminal: "connecting to ..." while the server does not answer, then
    one line, never a blank terminal."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (make test installs it with apt-get)")
    with silent_server() as port:
        shown = f"postgresql://oro@127.0.0.1:{port}/oro?connect_timeout=1"
        terminal = Tmux([str(EXECUTABLE), "--store", shown.replace("oro@", "oro:Secret@")],
                        width=200)
        try:
            terminal.wait_for(f"outlook-tui: connecting to {shown} ...")
        finally:
            status, screen = terminal.ended()
    assert status == 1
    # What the terminal holds at the end: the error, one line (the "connecting" line above it,
    # unless tmux redrew the pane meanwhile), and tmux's own word on the ended command.
    lines = lines_left(screen, f"outlook-tui: connecting to {shown}")
    assert lines == [f"outlook-tui: cannot connect to {shown}: connection timeout expired"]
    assert "Secret" not in screen
