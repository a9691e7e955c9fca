"""Notices cover no work (issue 20): at 80x24 the form's labels, the field in use and the
grid's status line stay readable while notices show; a save says what it did in one notice;
ctrl+n dismisses them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Static

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.notices import NoticeArea
from outlook_tui.app.screens.configuration import ConfigurationScreen
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.store import SettingChange
from tests.app.conftest import (
    CRM,
    form_readable,
    notice_on_screen,
    open_configuration,
    the_saves_one_notice,
    to_checkbox,
    uncovered,
)
from tests.conftest import saved_meanwhile, settle, shown_notices


async def test_a_save_says_everything_in_one_notice_that_covers_no_label(
        make_store: Any, store_path: Path) -> None:
    app = OutlookApp(make_store(["Acme", "Initech"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await to_checkbox(pilot, CRM)
        await pilot.press("space", "tab", "end", "ctrl+u", *"300")
        # Meanwhile Bob saves Initech's interval: Acme's save merges over it.
        saved_meanwhile(store_path, SettingChange(2, CRM, None, 500))
        saved = await the_saves_one_notice(pilot)
        assert saved.title == "Configuration saved"
        assert "Merged with 1 change saved by" in saved.message
        notice = notice_on_screen(screen)
        assert "Merged with 1 change" in str(notice.render())
        assert form_readable(screen, f"value-{CRM}")


async def test_the_status_line_and_the_row_stay_readable_under_notices(
        make_store: Any) -> None:
    app = OutlookApp(make_store([f"Organization {n:02}" for n in range(1, 30)]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.validated, "the store to load")
        await pilot.press(*["down"] * 17)
        screen = app.screen
        assert isinstance(screen, OrganizationsScreen)
        for n in range(3):
            app.notify(f"notice {n} with a message long enough to wrap in its box: "
                       "the grid must not lose its rows under it", title=f"Notice {n}")
        await settle(pilot)
        assert "1 more" in str(screen.query_one("#notice-hint", Static).render())
        assert "notice 2" in str(notice_on_screen(screen).render())  # the newest first
        assert uncovered(screen.query_one("#status"))
        table = screen.query_one("VirtualTable")
        assert uncovered(table)


async def test_ctrl_n_dismisses_the_notices_and_gives_the_rows_back(make_store: Any) -> None:
    app = OutlookApp(make_store(["Acme"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        form = screen.query_one("#settings-form")
        height = form.region.height
        app.notify("Saved [b]Acme[/b] \x1b]0;pwned\x07", title="[red]Acme")
        await settle(pilot)
        notice = notice_on_screen(screen)
        assert form.region.height < height  # the notice took rows of its own
        drawn = str(notice.render())
        assert "[b]Acme[/b]" in drawn and "[red]Acme" in drawn and "\x1b" not in drawn
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert shown_notices(app) == []
        assert not screen.query_one(NoticeArea).display
        assert form.region.height == height
        assert isinstance(app.screen, ConfigurationScreen)
