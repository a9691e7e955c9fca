"""No row, anywhere, crashes anything: every odd row of ``oro_odd_rows.py`` through every
command and the app, against each real server (PostgreSQL and MariaDB). A damaged value is
shown as damaged with its row id, a refused save says why in one line, what only reads leaves
every row of Oro's tables as it was, and no traceback, ever."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from textual.widgets import Static

from outlook_tui import cli
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.history import HistoryScreen
from outlook_tui.app.widgets.virtual_table import VirtualTable
from outlook_tui.store import StoreBackend
from outlook_tui.store.mysql import MySQLStore
from outlook_tui.store.postgres import PostgresStore
from tests.conftest import loaded_app, settle
from tests.oro_odd_rows import BASE, HUGE, ODD_ROWS, DropScopeIndex, OddRow, Write, cases
from tests.oro_seeds import ORO_TABLES

DATABASES = ("postgres", "mysql")
CASES = [pytest.param((database, row), id=f"{database}-{row.name}")
         for database in DATABASES for row in cases(database)]

#: Commands that only read: the rows must be exactly as they were after each.
READING = [("orgs", "list"), ("orgs", "list", "--json"), ("show", "--system"),
           ("show", "--system", "--json"), ("show", "1"), ("show", "2"), ("show", "Acme", "--json"),
           ("show", "3"), ("history",), ("history", "--json"), ("history", "Acme"),
           ("history", "--system"), ("history", "--limit", "1"), ("export",), ("diff",),
           ("diff", "--json"), ("diff", "--only-overrides"), ("db", "init"),
           ("set", "--read-only", "Acme", "contacts_sync_interval_outlook", "301")]

#: How each database loses and gets back oro_config's unique index (entity, record_id); its
#: rows go first, so that the index can be made again.
SCOPE_INDEX = {
    "postgres": ("DROP INDEX config_uq_entity", [
        "TRUNCATE oro_config_value, oro_config CASCADE",
        "CREATE UNIQUE INDEX IF NOT EXISTS config_uq_entity ON oro_config (entity, record_id)"]),
    "mysql": ("ALTER TABLE oro_config DROP INDEX CONFIG_UQ_ENTITY", [
        "SET FOREIGN_KEY_CHECKS = 0; TRUNCATE oro_config_value; TRUNCATE oro_config; "
        "SET FOREIGN_KEY_CHECKS = 1; ALTER TABLE oro_config ADD UNIQUE INDEX "
        "CONFIG_UQ_ENTITY (entity, record_id)"]),
}


@dataclass
class OroDatabase:
    """A fresh Oro database on one of the real servers (``db init`` done)."""

    name: str  # "postgres" or "mysql"
    server: Any  # tests/postgres/server.py's PostgresServer, tests/mysql/server.py's
    database: str
    uri: str
    dropped_index: bool = False

    def write(self, writes: Sequence[Write]) -> None:
        for write in writes:
            if isinstance(write, DropScopeIndex):
                self.server.execute(self.database, SCOPE_INDEX[self.name][0])
                self.dropped_index = True
            else:
                self.server.execute(self.database, *write.statement())

    def dump(self) -> dict[str, object]:
        """Every row of Oro's tables and outlook-tui's, every column."""
        return {table: self.server.execute(self.database, f"SELECT * FROM {table} ORDER BY id")
                for table in ORO_TABLES}

    def store(self) -> StoreBackend:
        return PostgresStore(self.uri) if self.name == "postgres" else MySQLStore(self.uri)

    def restore(self) -> None:
        """The unique index back: the database is used again by the next test."""
        if self.dropped_index:
            for sql in SCOPE_INDEX[self.name][1]:
                self.server.execute(self.database, sql)


def oro_database(request: pytest.FixtureRequest, name: str) -> OroDatabase:
    """The database from the server's own fixtures (the server starts only when needed)."""
    if name == "postgres":
        uri = request.getfixturevalue("oro_uri")
        return OroDatabase(name, request.getfixturevalue("pg_server"),
                           request.getfixturevalue("oro_db"), uri)
    uri = request.getfixturevalue("mysql_uri")
    return OroDatabase(name, request.getfixturevalue("mysql_server"),
                       request.getfixturevalue("mysql_db"), uri)


@pytest.fixture(params=CASES)
def odd(request: pytest.FixtureRequest) -> Iterator[tuple[OddRow, OroDatabase]]:
    """The case's rows written into a fresh Oro database."""
    name, row = request.param
    database = oro_database(request, name)
    database.write(BASE + row.writes)
    yield row, database
    database.restore()


@pytest.fixture(params=DATABASES)
def oro(request: pytest.FixtureRequest) -> Iterator[OroDatabase]:
    database = oro_database(request, request.param)
    yield database
    database.restore()


def command(uri: str, capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["--store", uri, *args])
    out, err = capfd.readouterr()
    assert "Traceback" not in err, (args, err)
    assert "\x1b" not in out + err, (args, out, err)
    return status, out, err


def where(row: OddRow) -> list[str]:
    return ["--system"] if row.org is None else [str(row.org)]


def test_every_command_that_reads_shows_it_and_changes_no_row(
        odd: tuple[OddRow, OroDatabase], capfd: pytest.CaptureFixture[str]) -> None:
    row, database = odd
    before = database.dump()
    for args in [*READING, ("show", *where(row)), ("history", *where(row))]:
        status, out, err = command(database.uri, capfd, *args)
        assert status == (1 if args[0] == "set" else 0), (args, err)
        if args[0] != "export":  # export names each value it leaves out, one line each
            assert len(err.splitlines()) <= 1, (args, err)
        for words in row.never:
            assert words not in out + err, (args, out, err)
    assert database.dump() == before
    shown = command(database.uri, capfd, "show", *where(row))[1]
    if row.damaged is not None:
        assert f"(oro_config_value row {row.damaged})" in shown, shown
    else:
        assert "oro_config_value row" not in shown, shown
    history = command(database.uri, capfd, "history")[1]
    for words in row.history:
        assert words in history, history
    listed = command(database.uri, capfd, "orgs", "list")[1]
    for words in row.listed:
        assert f"  {words}  " in listed, listed


def test_a_save_beside_it_is_made_or_refused_in_one_line(
        odd: tuple[OddRow, OroDatabase], capfd: pytest.CaptureFixture[str]) -> None:
    row, database = odd
    before = database.dump()
    status, out, err = command(database.uri, capfd, "set", *where(row), "contacts_enabled",
                               "no")
    refused = row.refused.get(database.name)
    if refused is None:
        assert (status, err) == (0, ""), err
        assert "saved revision" in out
        return
    assert status == 1
    assert refused in err and len(err.splitlines()) == 1, err
    assert database.dump() == before


def test_a_5000_digit_value_on_the_command_line_gets_one_line(
        oro: OroDatabase, capfd: pytest.CaptureFixture[str]) -> None:
    oro.write(BASE)
    before = oro.dump()
    for args in (("set", "Acme", "contacts_sync_interval_orocrm", HUGE),
                 ("set", HUGE, "tasks_enabled", "no"), ("show", HUGE),
                 ("history", HUGE), ("history", "--limit", HUGE)):
        status = cli.main(["--store", oro.uri, *args]) if args[1] != "--limit" else None
        if status is None:
            with pytest.raises(SystemExit) as usage:
                cli.main(["--store", oro.uri, *args])
            status = int(str(usage.value.code))
        err = capfd.readouterr().err
        assert status in (1, 2)
        assert err.splitlines()[-1].count("9") < 100 and "Traceback" not in err, err
    assert oro.dump() == before


async def test_the_app_paints_opens_the_configuration_and_the_history(
        odd: tuple[OddRow, OroDatabase]) -> None:
    row, database = odd
    store = database.store()
    async with loaded_app(store) as (app, pilot):
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
        oro: OroDatabase, capfd: pytest.CaptureFixture[str]) -> None:
    [case] = [row for row in ODD_ROWS if row.name == "two-scope-rows"]
    oro.write(BASE + case.writes)
    before = oro.dump()
    status, _, err = command(oro.uri, capfd, "reset", "Acme", "--all")
    assert status == 1
    assert err == ("outlook-tui: organization id 2 has two scope rows in oro_config (ids 10 "
                   "and 12): Oro reads only one of them, so nothing was saved; a DBA removes "
                   "the one Oro does not use (and restores the unique index on entity, "
                   "record_id)\n")
    assert oro.dump() == before


def test_an_organization_named_with_a_digit_int_cannot_read_is_found_by_its_name(
        oro: OroDatabase, capfd: pytest.CaptureFixture[str]) -> None:
    oro.server.execute(oro.database, "INSERT INTO oro_organization (id, name, enabled) "
                       "VALUES (7, '²', true)")
    status, out, _ = command(oro.uri, capfd, "show", "²")
    assert status == 0 and out.startswith("² (id 7, Active)")
    status, out, _ = command(oro.uri, capfd, "set", "²", "tasks_enabled", "no")
    assert status == 0 and "saved revision 1: ²: " in out
