"""What screens get from the app: the session (store, snapshot, navigation in one place) and
one report for a background task that fails."""

from __future__ import annotations

import pytest
from textual.worker import WorkerFailed

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.effective import EffectiveSettingsScreen
from outlook_tui.app.screens.history import HistoryScreen
from outlook_tui.app.screens.matrix import MatrixScreen
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.app.session import SessionScreen
from tests.conftest import StoreFactory


async def test_a_failing_background_task_is_named_in_a_notice_and_the_app_keeps_running(
        make_store: StoreFactory) -> None:
    app = OutlookApp(make_store(["Acme"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen

        def fail() -> None:
            raise OSError("[b]disk[/b] on fire")  # text from data: must stay text

        worker = screen.run_worker(fail, thread=True, exit_on_error=False,
                                   description="Counting [red]sheep[/red]")
        with pytest.raises(WorkerFailed):
            await worker.wait()
        await pilot.pause()
        assert app.is_running
        assert app.screen is screen
        notices = [(n.title, n.message, n.severity, n.markup) for n in app._notifications]
        assert ("Counting [red]sheep[/red] failed", "[b]disk[/b] on fire", "error",
                False) in notices


async def test_every_screen_reaches_the_app_through_its_session(make_store: StoreFactory) -> None:
    app = OutlookApp(make_store(["Acme"]), watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, OrganizationsScreen)
        assert isinstance(screen, SessionScreen)
        assert screen.session is app
        for key, opened in (("i", EffectiveSettingsScreen), ("m", MatrixScreen),
                            ("h", HistoryScreen)):
            await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, opened), key
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
