"""A save that waits on Oro's database is seen, bounded and cancellable: another real
connection holds the rows (a DBA's ``BEGIN; SELECT ... FOR UPDATE``, Oro's own save), or the
savers' lock; a server that accepts and never answers is given up on."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest

from outlook_tui.store import SettingChange, StoreError
from outlook_tui.store.errors import DatabaseLockTimeout
from outlook_tui.store.postgres import PostgresStore
from outlook_tui.store.waiting import Cancelled, SaveControl, Waiting
from tests.postgres.server import PostgresServer
from tests.postgres.test_cli import SECTION_ROWS, run

INTERVAL = "contacts_sync_interval_orocrm"
#: Every test's wait for something the server does: generous, never reached when it works.
PATIENCE = 60
#: The Default Organization's oro_config row.
DEFAULT_ORGANIZATION_SCOPE = 2


@contextmanager
def holding(uri: str, sql: str, name: str = "dba-console") -> Iterator[psycopg.Connection]:
    """Another session holding a lock until the block ends (then rolled back)."""
    with psycopg.connect(uri, application_name=name) as holder:
        holder.execute(sql)
        try:
            yield holder
        finally:
            holder.rollback()


ROWS_HELD = f"SELECT id FROM oro_config WHERE id = {DEFAULT_ORGANIZATION_SCOPE} FOR UPDATE"
SAVERS_HELD = "SELECT pg_advisory_lock(hashtext('outlook-tui save'))"


class Saver:
    """A save in a thread of its own, as the app runs it, with what it reported."""

    def __init__(self, store: PostgresStore, value: int = 300) -> None:
        self.reports: list[Waiting | None] = []
        self.waiting = threading.Event()
        self.control = SaveControl(self._heard)
        self.outcome: Any = None
        base = store.load()
        self._thread = threading.Thread(target=self._save, args=(store, base, value))

    def _heard(self, waiting: Waiting | None) -> None:
        self.reports.append(waiting)
        if waiting is not None and waiting.holders:
            self.waiting.set()

    def _save(self, store: PostgresStore, base: Any, value: int) -> None:
        try:
            self.outcome = store.commit(base, [SettingChange(1, INTERVAL, None, value)],
                                        self.control)
        except Exception as error:
            self.outcome = error

    def start(self) -> Saver:
        self._thread.start()
        return self

    def wait_until_waiting(self) -> Waiting:
        assert self.waiting.wait(PATIENCE), f"never reported waiting: {self.reports}"
        waiting = next(r for r in self.reports if r is not None and r.holders)
        return waiting

    def result(self) -> Any:
        self._thread.join(PATIENCE)
        assert not self._thread.is_alive(), "the save did not end"
        return self.outcome


def test_a_save_behind_a_dbas_open_transaction_names_them_and_escape_cancels_it(
        pg_server: PostgresServer, oro_db: str, pg_store: PostgresStore, oro_uri: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "600")
    before = pg_server.execute(oro_db, SECTION_ROWS)
    with holding(oro_uri, ROWS_HELD):
        saver = Saver(pg_store).start()
        waiting = saver.wait_until_waiting()
        assert waiting.what == "Oro's settings rows (oro_config, oro_config_value)"
        [holder] = waiting.holders
        assert holder.startswith("postgres (dba-console, pid ")
        assert saver.control.cancel() is True
        assert isinstance(saver.result(), Cancelled)
        assert str(saver.outcome) == "the save was cancelled; nothing was saved"
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
        saver = Saver(pg_store).start()
        waiting = saver.wait_until_waiting()
        assert waiting.what.startswith("another outlook-tui save")
        assert "(outlook-tui, pid " in waiting.holders[0]
        assert saver.control.cancel() is True
        assert isinstance(saver.result(), Cancelled)
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
    before = pg_server.execute(oro_db, SECTION_ROWS)
    with holding(oro_uri, ROWS_HELD, name="oro-admin-save"):
        failed = run(oro_uri, "set", "Default Organization", INTERVAL, "300", ok=False,
                     env={"OUTLOOK_TUI_LOCK_TIMEOUT": "2"})
    assert failed.returncode == 1
    [line] = failed.stderr.splitlines()
    assert "waited 2 s for Oro's settings rows" in line and "(oro-admin-save, pid " in line
    assert pg_server.execute(oro_db, SECTION_ROWS) == before


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A listener on 127.0.0.1 that accepts connections and never answers; its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    listener.close()
    thread.join(PATIENCE)
    for connection in accepted:
        connection.close()


def test_a_server_that_never_answers_is_given_up_on_with_one_line(silent_server: int) -> None:
    uri = f"postgresql://oro:Secret%20pw@127.0.0.1:{silent_server}/oro?connect_timeout=1"
    with pytest.raises(StoreError) as raised:
        PostgresStore(uri)
    message = str(raised.value)
    assert message.startswith(f"cannot connect to postgresql://oro@127.0.0.1:{silent_server}/oro")
    assert "timeout" in message and "Secret" not in message
    failed = run(uri, "orgs", "list", ok=False)
    assert failed.returncode != 0
    [line] = failed.stderr.splitlines()
    assert "cannot connect to" in line and "Secret" not in line
