"""The app opens Oro's database while Textual starts (``store/ahead.py``): what it finds on
opening still decides what the first screen says, and a database it cannot use still ends the
command with one line before the app takes the screen."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator

import pytest

from tests.e2e.terminal import EXECUTABLE, Tmux, lines_left
from tests.postgres.server import PostgresServer


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
        screen = terminal.wait_for("Acme")
        if "View only" not in screen:
            screen = terminal.wait_for("View only")
    finally:
        terminal.close()
    assert f"View only (database user {reader} may not write Oro's settings" in screen


def test_a_database_that_is_not_oros_ends_the_app_with_one_line(
        pg_server: PostgresServer) -> None:
    uri = pg_server.uri("postgres")
    status, screen = Tmux([str(EXECUTABLE), "--store", uri], width=400).ended()
    assert status == 1
    lines = lines_left(screen, "outlook-tui: connecting to")
    assert lines == [f"outlook-tui: {uri}: no table oro_organization in database postgres: "
                     "this is not an Oro database (or the search_path misses Oro's schema)"]
