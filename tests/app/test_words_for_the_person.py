"""Words for the person, not for the command line: a support person whose SSH login opens the
app read-only is told what they can and cannot do, never to tick a box they cannot tick; a
warning about a stale value waits until a value is chosen; leaving with unsaved changes names
them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.confirm import UnsavedChangesModal
from outlook_tui.store import JsonStore
from tests.app.conftest import (
    CRM,
    loaded,
    open_configuration,
    to_checkbox,
    type_into,
    type_own_value,
)
from tests.conftest import said, settle


def make_app(store: JsonStore) -> OutlookApp:
    return OutlookApp(store, watch_seconds=0, location_label="store.json")


async def test_support_is_told_what_they_can_do_not_which_flag_was_typed(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(["Acme"], read_only=True))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(pilot)
        banner = str(screen.query_one("#read-only", Static).render())
        assert "View only: you can read every setting, compare, see history" in banner
        assert "--read-only" not in banner and "--read-only" not in app.sub_title
        await pilot.press("e")
        await settle(pilot)
        assert "editing an organization is not possible here" in said(app)
        await pilot.press("enter")  # the Configuration, to look at
        form = await open_configuration(pilot, 1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "saving or resetting is not possible here" in said(app)
        assert "--read-only" not in said(app)
        assert form.session.read_only
    assert store_path.read_bytes() == before


async def test_support_is_not_told_to_tick_use_system(make_store: Any) -> None:
    app = make_app(make_store([{"name": "Acme", "overrides": {CRM: 300}}], {CRM: 300},
                              read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        notes = str(screen.query_one(f"#notes-{CRM}", Static).render())
        assert "Same as System (300)" in notes
        assert "Tick Use System" not in notes and "An admin can tick Use System" in notes


async def test_the_stale_warning_waits_until_a_value_is_chosen(make_store: Any) -> None:
    app = make_app(make_store(["Acme"]))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        notes = screen.query_one(f"#notes-{CRM}", Static)
        await to_checkbox(pilot, CRM)
        await pilot.press("space")  # Use System cleared: the field shows the default, 120
        await settle(pilot)
        assert screen.query_one(f"#value-{CRM}", Input).value == "120"
        assert not notes.display  # no value chosen yet: nothing to warn about
        await pilot.press("tab")
        await type_into(pilot, "300")
        await settle(pilot)
        assert not notes.display
        await type_into(pilot, "120")  # the default, chosen: now it is a stale override
        await settle(pilot)
        assert notes.display and "Same as the default (120)" in str(notes.render())
        assert "Tick Use System to follow" in str(notes.render())


async def test_leaving_names_each_unsaved_setting_and_the_invalid_one(
        make_store: Any, store_path: Path) -> None:
    app = make_app(make_store(["Acme"]))
    before = store_path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_configuration(pilot, 1)
        await pilot.press("space", "tab", "enter", "up", "enter")  # Outlook to OroCRM
        await type_own_value(pilot, CRM, "12x")
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, UnsavedChangesModal), "the question")
        question = str(app.screen.query_one(".dialog-message", Static).render())
        assert "2 settings of Acme changed and not saved" in question
        lines = question.splitlines()
        assert "CRM Sync Interval (In Seconds): '12x' is invalid" in lines[1]
        assert "Sync Direction: Outlook to OroCRM (saved: Use System)" in lines[2]
        await pilot.press("escape")
    assert store_path.read_bytes() == before


def test_the_header_names_the_database_and_host_that_matter() -> None:
    from outlook_tui.app.app import database_label

    kind = "Oro database (PostgreSQL)"
    assert database_label(kind, "postgresql://postgres@db1.example.com:5432/oro_crm") == \
        "oro_crm on db1.example.com:5432 (PostgreSQL)"
    assert database_label(kind, "postgresql://postgres@/oro_crm?host=/var/run/postgresql") == \
        "oro_crm on /var/run/postgresql (PostgreSQL)"
    assert database_label("Oro database (MySQL)", "mysql://oro@10.0.0.7/oro") == \
        "oro on 10.0.0.7 (MySQL)"


def test_without_a_terminal_only_what_can_be_reached_is_recommended() -> None:
    from outlook_tui.terminal import no_terminal_message

    commands = ["show", "set"]
    forced = no_terminal_message("standard input", commands,
                                 {"SSH_CONNECTION": "x", "SSH_ORIGINAL_COMMAND": "show"})
    assert "ssh -t HOST, with no command after HOST" in forced
    assert "show" not in forced.replace("SSH", "") and "set" not in forced
    over_ssh = no_terminal_message("standard input", commands, {"SSH_CONNECTION": "x"})
    assert "From a shell on this host" in over_ssh and "show, set" in over_ssh
    local = no_terminal_message("standard input", commands, {})
    assert "ssh -t HOST outlook-tui" in local and "show, set" in local
