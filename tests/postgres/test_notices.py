"""A save on Oro's database says everything in one notice (what was saved, and that Oro's
configuration cache must be cleared), and that notice covers none of the form at 80x24."""

from __future__ import annotations

from textual.widgets import Input

from outlook_tui.app.app import OutlookApp
from outlook_tui.store.postgres import PostgresStore
from tests.app.conftest import CRM, notice_on_screen, open_configuration, to_checkbox, uncovered
from tests.conftest import settle, shown_notices


async def test_a_save_on_oros_database_leaves_the_form_readable(
        pg_store: PostgresStore) -> None:
    app = OutlookApp(pg_store, watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await to_checkbox(pilot, CRM)
        await pilot.press("space", "tab", "end", "ctrl+u", *"300")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: bool(shown_notices(app)), "the save's notice")
        await settle(pilot)

        [saved] = shown_notices(app)
        assert saved.title == "Configuration saved"
        assert "cache:pool:clear oro_config.cache" in saved.message
        notice_on_screen(screen)
        form = screen.query_one("#settings-form")
        labels = [label for label in screen.query(".field-label")
                  if label.region.intersection(form.region).area]
        assert len(labels) >= 2
        assert all(uncovered(label, form) for label in labels)
        field = app.focused
        assert isinstance(field, Input) and field.id == f"value-{CRM}"
        assert uncovered(field, form)
