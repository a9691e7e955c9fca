"""No row, anywhere, crashes anything: every odd row of ``odd_rows.py`` through every command and
the app, against the real server. A damaged value is shown as damaged with its row id, a refused
save says why in one line, what only reads leaves every row of Oro's tables as it was, and no
traceback, ever."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Static

from outlook_tui import cli
from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.history import HistoryScreen
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.store.postgres import PostgresStore
from tests.conftest import settle
from tests.postgres.fixtures import ORO_TABLES
from tests.postgres.odd_rows import BASE, HUGE, ODD_ROWS, OddRow
from tests.postgres.server import PostgresServer

CASES = [pytest.param(row, id=row.name) for row in ODD_ROWS]

#: Commands that only read: the rows must be exactly as they were after each.
READING = [("orgs", "list"), ("orgs", "list", "--json"), ("show", "--system"),
           ("show", "--system", "--json"), ("show", "1"), ("show", "2"), ("show", "Acme", "--json"),
           ("show", "3"), ("history",), ("history", "--json"), ("history", "Acme"),
           ("history", "--system"), ("history", "--limit", "1"), ("export",), ("diff",),
           ("diff", "--json"), ("diff", "--only-overrides"), ("db", "init"),
           ("set", "--read-only", "Acme", "contacts_sync_interval_outlook", "301")]


def dump(pg_server: PostgresServer, db: str) -> dict[str, object]:
    """Every row of Oro's tables and outlook-tui's, every column."""
    return {table: pg_server.execute(db, f"SELECT * FROM {table} ORDER BY id")
            for table in ORO_TABLES}


@pytest.fixture(params=CASES)
def odd(pg_server: PostgresServer, oro_uri: str, request: pytest.FixtureRequest
        ) -> Iterator[tuple[OddRow, str, str]]:
    """The case's rows written into a fresh Oro database: the case, its URI, its name."""
    row: OddRow = request.param
    db = oro_uri.split("/")[3].split("?")[0]
    pg_server.execute(db, BASE + row.sql)
    yield row, oro_uri, db
    # The database is the worker's for the session: its unique index back for the next test.
    pg_server.execute(db, "TRUNCATE oro_config_value, oro_config CASCADE; CREATE UNIQUE INDEX "
                      "IF NOT EXISTS config_uq_entity ON oro_config (entity, record_id)")


def command(uri: str, capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["--store", uri, *args])
    out, err = capfd.readouterr()
    assert "Traceback" not in err, (args, err)
    assert "\x1b" not in out + err, (args, out, err)
    return status, out, err


def where(row: OddRow) -> list[str]:
    return ["--system"] if row.org is None else [str(row.org)]


def test_every_command_that_reads_shows_it_and_changes_no_row(
        odd: tuple[OddRow, str, str], pg_server: PostgresServer,
        capfd: pytest.CaptureFixture[str]) -> None:
    row, uri, db = odd
    before = dump(pg_server, db)
    for args in READING:
        status, _, err = command(uri, capfd, *args)
        assert status == (1 if args[0] == "set" else 0), (args, err)
        if args[0] != "export":  # export names each value it leaves out, one line each
            assert len(err.splitlines()) <= 1, (args, err)
    assert dump(pg_server, db) == before
    shown = command(uri, capfd, "show", *where(row))[1]
    if row.damaged is not None:
        assert f"(oro_config_value row {row.damaged})" in shown, shown
    history = command(uri, capfd, "history")[1]
    for words in row.history:
        assert words in history, history
    listed = command(uri, capfd, "orgs", "list")[1]
    for words in row.listed:
        assert f"  {words}  " in listed, listed


def test_a_save_beside_it_is_made_or_refused_in_one_line(
        odd: tuple[OddRow, str, str], pg_server: PostgresServer,
        capfd: pytest.CaptureFixture[str]) -> None:
    row, uri, db = odd
    before = dump(pg_server, db)
    status, out, err = command(uri, capfd, "set", *where(row), "contacts_enabled", "no")
    if row.refused is None:
        assert (status, err) == (0, ""), err
        assert "saved revision" in out
        return
    assert status == 1
    assert row.refused in err and len(err.splitlines()) == 1, err
    assert dump(pg_server, db) == before


def test_a_5000_digit_value_on_the_command_line_gets_one_line(
        pg_server: PostgresServer, oro_uri: str, capfd: pytest.CaptureFixture[str]) -> None:
    db = oro_uri.split("/")[3].split("?")[0]
    pg_server.execute(db, BASE)
    before = dump(pg_server, db)
    for args in (("set", "Acme", "contacts_sync_interval_orocrm", HUGE),
                 ("set", HUGE, "tasks_enabled", "no"), ("show", HUGE),
                 ("history", HUGE), ("history", "--limit", HUGE)):
        status = cli.main(["--store", oro_uri, *args]) if args[1] != "--limit" else None
        if status is None:
            with pytest.raises(SystemExit) as usage:
                cli.main(["--store", oro_uri, *args])
            status = int(str(usage.value.code))
        err = capfd.readouterr().err
        assert status in (1, 2)
        assert err.splitlines()[-1].count("9") < 100 and "Traceback" not in err, err
    assert dump(pg_server, db) == before


async def test_the_app_paints_opens_the_configuration_and_the_history(
        odd: tuple[OddRow, str, str]) -> None:
    row, uri, _ = odd
    store = PostgresStore(uri)
    app = OutlookApp(store, watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated, "the database to load")
        table = app.screen.query_one(VirtualTable)
        grid = "\n".join(table.render_line(y).text for y in range(table.size.height))
        for words in row.listed:  # the organizations grid tells the names apart
            assert f" {words} " in grid, grid
        app.open_configuration(row.org)
        await settle(pilot, lambda: isinstance(app.screen, ConfigurationScreen)
                     and app.screen.form.loaded, "the configuration form")
        if row.damaged is not None:
            notes = " ".join(str(n.render()) for n in app.screen.query(Static))
            assert f"oro_config_value row {row.damaged}" in notes, notes
        app.open_history(row.org, system=row.org is None)
        await settle(pilot, lambda: isinstance(app.screen, HistoryScreen), "the history")
        await settle(pilot)
        assert app.is_running and app.return_code is None
    store.close()


def test_a_reset_where_the_scope_is_stored_twice_is_refused_naming_both_rows(
        pg_server: PostgresServer, oro_uri: str, capfd: pytest.CaptureFixture[str]) -> None:
    [case] = [row for row in ODD_ROWS if row.name == "two-scope-rows"]
    db = oro_uri.split("/")[3].split("?")[0]
    pg_server.execute(db, BASE + case.sql)
    try:
        before = dump(pg_server, db)
        status, _, err = command(oro_uri, capfd, "reset", "Acme", "--all")
        assert status == 1
        assert err == ("outlook-tui: organization id 2 has two scope rows in oro_config (ids 10 "
                       "and 12): Oro reads only one of them, so nothing was saved; a DBA removes "
                       "the one Oro does not use (and restores the unique index on entity, "
                       "record_id)\n")
        assert dump(pg_server, db) == before
    finally:
        pg_server.execute(db, "TRUNCATE oro_config_value, oro_config CASCADE; CREATE UNIQUE "
                          "INDEX IF NOT EXISTS config_uq_entity ON oro_config (entity, record_id)")


def test_an_organization_named_with_a_digit_int_cannot_read_is_found_by_its_name(
        pg_server: PostgresServer, oro_uri: str, capfd: pytest.CaptureFixture[str]) -> None:
    db = oro_uri.split("/")[3].split("?")[0]
    pg_server.execute(db, "INSERT INTO oro_organization (id, name, enabled) VALUES (7, '²', true)")
    status, out, _ = command(oro_uri, capfd, "show", "²")
    assert status == 0 and out.startswith("² (id 7, Active)")
    status, out, _ = command(oro_uri, capfd, "set", "²", "tasks_enabled", "no")
    assert status == 0 and "saved revision 1: ²: " in out
