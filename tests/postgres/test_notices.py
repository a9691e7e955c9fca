"""A save on Oro's database says everything in one notice (what was saved, and that Oro's
configuration cache must be cleared), and that notice covers none of the form at 80x24."""

from __future__ import annotations

from outlook_tui.app.app import OutlookApp
from outlook_tui.store.postgres import PostgresStore
from tests.app import conftest as story


async def test_a_save_on_oros_database_leaves_the_form_readable(
        pg_store: PostgresStore) -> None:
    app = OutlookApp(pg_store, watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await story.open_configuration(pilot, 1)
        await story.to_checkbox(pilot, story.CRM)
        await pilot.press("space", "tab", "end", "ctrl+u", *"300")
        saved = await story.the_saves_one_notice(pilot)
        assert saved.title == "Configuration saved"
        assert "cache:pool:clear oro_config.cache" in saved.message
        story.notice_on_screen(screen)
        assert story.form_readable(screen, f"value-{story.CRM}")
