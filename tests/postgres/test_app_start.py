"""The app opens Oro's database while Textual starts (``store/ahead.py``): what it finds on
opening still decides what the first screen says, and a database it cannot use still ends the
command with one line before the app takes the screen."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator

import pytest

from outlook_tui.store import ReadOnlyError, SettingChange, StoreError, TableLockTimeout
from outlook_tui.store.ahead import FirstRows
from outlook_tui.store.postgres import PostgresStore
from tests.e2e.terminal import EXECUTABLE, Tmux, lines_left
from tests.oro_seeds import FIRST_ID
from tests.postgres.server import PostgresServer
from tests.postgres.waiting import TABLE_LOCKED, holding

INTERVAL = "contacts_sync_interval_orocrm"


@pytest.fixture(autouse=True)
def _tmux() -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (make test installs it with apt-get)")


@pytest.fixture
def reader(pg_server: PostgresServer, acme_db: str) -> Iterator[str]:
    """A login role that may only read Oro's tables."""
    name = f"reader_{uuid.uuid4().hex[:10]}"
    pg_server.execute(acme_db, f"CREATE ROLE {name} LOGIN")
    pg_server.execute(acme_db, f"GRANT SELECT ON oro_organization, oro_config, "
                      f"oro_config_value TO {name}")
    yield name
    pg_server.execute(acme_db, f"DROP OWNED BY {name}")
    pg_server.execute("postgres", f"DROP ROLE {name}")


def test_a_support_login_that_may_only_read_sees_view_only_on_the_first_screen(
        pg_server: PostgresServer, acme_db: str, reader: str) -> None:
    terminal = Tmux([str(EXECUTABLE), "--store", pg_server.uri(acme_db, user=reader)],
                    width=200)
    try:
        # The whole phrase waited for: a screen reaches the terminal in pieces, and a capture
        # between two of them can hold "View only" and not yet the rest of its line.
        terminal.wait_for("Acme", f"View only (database user {reader} may not write Oro's "
                          "settings")
    finally:
        terminal.close()


def test_a_database_that_is_not_oros_ends_the_app_with_one_line(
        pg_server: PostgresServer) -> None:
    uri = pg_server.uri("postgres")
    status, screen = Tmux([str(EXECUTABLE), "--store", uri], width=400).ended()
    assert status == 1
    lines = lines_left(screen, "outlook-tui: connecting to")
    assert lines == [f"outlook-tui: {uri}: no table oro_organization in database postgres: "
                     "this is not an Oro database (or the search_path misses Oro's schema)"]


def test_the_first_rows_read_in_another_process_are_the_databases_now(
        pg_server: PostgresServer, acme_uri: str, acme_db: str) -> None:
    first = FirstRows.opening_aside(lambda look: PostgresStore(acme_uri, first_look=look))
    store = first.store()
    rows = first.result()
    assert store.connection.lost  # connects when first used: after the first paint
    assert store.read_only_reason is None and store.database == acme_db
    assert rows is not None
    assert [o.name for o in rows.organizations()] == ["Acme", "Default Organization", "Globex"]
    assert rows.store_id == f"postgresql:{acme_db}"
    # The app's store then reads and saves on its own connection, all checks made again.
    snapshot = store.load()
    acme = next(r for r in snapshot.records if r["id"] == FIRST_ID)
    store.commit(snapshot, [SettingChange(FIRST_ID, INTERVAL, acme["overrides"][INTERVAL], 301)])
    assert store.load().effective(FIRST_ID)[INTERVAL].value == 301
    store.close()


def test_what_the_other_process_found_read_only_the_app_says(
        pg_server: PostgresServer, acme_db: str, reader: str) -> None:
    uri = pg_server.uri(acme_db, user=reader)
    store = FirstRows.opening_aside(lambda look: PostgresStore(uri, first_look=look)).store()
    assert store.read_only_reason == PostgresStore(uri).read_only_reason
    assert f"database user {reader} may not write" in str(store.read_only_reason)
    with pytest.raises(ReadOnlyError):
        store.commit(store.load(), [SettingChange(FIRST_ID, INTERVAL, None, 301)])


def test_a_database_the_other_process_cannot_use_fails_as_opening_it_here_would(
        pg_server: PostgresServer) -> None:
    uri = pg_server.uri("postgres")
    with pytest.raises(StoreError) as here:
        PostgresStore(uri)
    first = FirstRows.opening_aside(lambda look: PostgresStore(uri, first_look=look))
    with pytest.raises(StoreError) as aside:
        first.store()
    assert str(aside.value) == str(here.value)


def test_a_dbas_table_lock_at_start_is_met_by_the_first_rows_as_the_app_met_it(
        pg_server: PostgresServer, oro_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store is handed over once opened; the first rows' read, behind the DBA's lock,
    ends after the lock timeout naming them: the app waits visibly then (sync.py), once."""
    monkeypatch.setenv("OUTLOOK_TUI_LOCK_TIMEOUT", "1")
    with holding(oro_uri, TABLE_LOCKED) as dba:
        dba_pid = dba.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        first = FirstRows.opening_aside(lambda look: PostgresStore(oro_uri, first_look=look))
        store = first.store()
        with pytest.raises(TableLockTimeout) as waited:
            first.result()
    assert waited.value.holders == (f"postgres (dba-console, pid {dba_pid})",)
    assert store.connection.lost  # the other process waited, not this one a second time
    # The lock released, the app's read again (its watch's) reads the store, here.
    assert [o.name for o in store.load().organizations()][:1] == ["Default Organization"]
    store.close()
