"""after_save_command after a save to Oro's database (the real server): the app keeps taking
keys while it runs and shows it running, then its result; the stop key and ctrl+c end it, the
save staying committed; its environment holds no password. The command waits on a FIFO the
test writes when it chooses, never on the clock."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.help import HelpScreen
from outlook_tui.config import Config
from outlook_tui.store.postgres import PostgresStore
from tests.app.conftest import CRM, override_crm
from tests.conftest import loaded_app, settle, shown_notices
from tests.postgres.server import PostgresServer

STORED_CRM = ("SELECT v.text_value FROM oro_config_value v JOIN oro_config c ON c.id = "
              f"v.config_id WHERE v.config_id = 2 AND v.name = '{CRM}' "
              "AND v.section = 'oro_crm_pro_outlook'")
TASKS_AT_SYSTEM = ("SELECT v.text_value FROM oro_config_value v JOIN oro_config c ON c.id = "
                   "v.config_id WHERE c.entity = 'app' AND v.name = 'tasks_enabled' "
                   "AND v.section = 'oro_crm_pro_outlook'")


def messages(app: OutlookApp) -> list[str]:
    return [n.message for n in shown_notices(app)]


async def save_crm_interval(pilot: Any, value: str) -> None:
    """Admin opens the Default Organization's Configuration, gives CRM Sync Interval its own
    value and saves."""
    await override_crm(pilot, value)
    await pilot.press("ctrl+s")


def write_fifo(fifo: Path, text: str) -> None:
    with open(fifo, "w") as end:  # opens once the command reads
        end.write(text)


async def test_help_opens_while_the_command_runs_then_its_result_is_shown(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, tmp_path: Path) -> None:
    fifo = tmp_path / "cache-cleared"
    os.mkfifo(fifo)
    config = Config(after_save_command=f"cat {fifo}")
    async with loaded_app(PostgresStore(oro_uri), config=config) as (app, pilot):
        await save_crm_interval(pilot, "300")
        await settle(pilot, lambda: app.after_save.running, "the command to start")
        # The save is committed before the command runs.
        assert pg_server.execute(oro_db, STORED_CRM) == [("300",)]
        await settle(pilot, lambda: any("after_save_command running (revision 1): cat "
                                        in m for m in messages(app)), "the running notice")
        assert any("ctrl+g stops it" in m for m in messages(app))
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen), "Help")
        # Still running, and still said so on the Help screen.
        assert app.after_save.running
        assert any("after_save_command running" in m for m in messages(app))
        await asyncio.to_thread(write_fifo, fifo, "pool oro_config.cache cleared\n")
        await settle(pilot, lambda: not app.after_save.running, "the command to end")
        await settle(pilot)
        shown = messages(app)
        assert not any("after_save_command running" in m for m in shown)
        assert any(f"after_save_command ran: cat {fifo}" in m
                   and "after_save_command: pool oro_config.cache cleared" in m
                   for m in shown), shown
        app.store.close()


async def test_the_stop_key_ends_the_command_and_the_save_stays(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, tmp_path: Path) -> None:
    fifo = tmp_path / "never-written"
    os.mkfifo(fifo)
    async with loaded_app(PostgresStore(oro_uri),
                          config=Config(after_save_command=f"cat {fifo}")) as (app, pilot):
        await save_crm_interval(pilot, "450")
        await settle(pilot, lambda: app.after_save.running, "the command to start")
        await pilot.press("ctrl+g")
        await settle(pilot, lambda: not app.after_save.running, "the command to stop")
        await settle(pilot)
        assert any(f"after_save_command stopped with ctrl+g: cat {fifo}; the save itself is "
                   "committed" in m for m in messages(app)), messages(app)
        app.store.close()
    assert pg_server.execute(oro_db, STORED_CRM) == [("450",)]


def cli(uri: str, config: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """The command line as an admin runs it at a terminal, where ctrl+c reaches it.

    A test run started in the background (``make test &``, a CI runner's shell) ignores
    SIGINT, and an ignored signal stays ignored across exec: the command would never hear
    the test's ctrl+c. A handler, unlike an ignored signal, is reset to the default by exec."""
    environment = {**os.environ, "OUTLOOK_TUI_STORE": uri, "OUTLOOK_TUI_CONFIG": str(config),
                   **env}
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen([sys.executable, "-m", "outlook_tui", *args], text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    finally:
        if inherited is not None:  # None: not set from Python, nothing to give back
            signal.signal(signal.SIGINT, inherited)


def test_the_command_gets_no_password(pg_server: PostgresServer, oro_db: str,
                                      tmp_path: Path) -> None:
    seen = tmp_path / "environment"
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nafter_save_command = "env > {seen}"\n')
    uri = pg_server.uri(oro_db, password="Pa55 w%rd")  # the server trusts the socket anyway
    from outlook_tui.store.postgres import PostgresStore

    PostgresStore(uri).init_history()
    done = cli(uri, config, "set", "--system", "tasks_enabled", "no",
               PGPASSWORD="pg-secret", MYSQL_PWD="my-secret")
    out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    assert "saved revision 1" in out and "after_save_command ran" in out
    environment = dict(line.split("=", 1) for line in seen.read_text().splitlines()
                       if "=" in line)
    assert "PGPASSWORD" not in environment and "MYSQL_PWD" not in environment
    assert "Pa55" not in seen.read_text()
    assert environment["OUTLOOK_TUI_STORE"].startswith("postgresql://postgres@/")
    assert environment["OUTLOOK_TUI_REVISION"] == "1"


def test_ctrl_c_stops_the_command_the_save_stays_committed(
        pg_server: PostgresServer, oro_db: str, oro_uri: str, tmp_path: Path) -> None:
    fifo = tmp_path / "never-written"
    os.mkfifo(fifo)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nafter_save_command = "cat {fifo}"\n')
    done = cli(oro_uri, config, "set", "--system", "tasks_enabled", "no")
    assert done.stderr is not None
    line = done.stderr.readline()  # said before it waits
    assert line.startswith(f"after_save_command running (revision 1): cat {fifo} (ctrl+c "
                           "stops it)"), line
    done.send_signal(signal.SIGINT)
    out, err = done.communicate(timeout=60)
    assert done.returncode == 130
    assert "saved revision 1" in out
    assert f"after_save_command stopped with ctrl+c: cat {fifo}; the save itself is committed" \
        in err
    assert "Traceback" not in err
    assert pg_server.execute(oro_db, TASKS_AT_SYSTEM) == [("",)]
