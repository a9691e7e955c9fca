"""What screens get from the app: the session (store, snapshot, navigation in one place) and
one report for a background task that fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.worker import WorkerFailed

from outlook_tui.app.app import OutlookApp
from outlook_tui.app.screens.effective import EffectiveSettingsScreen
from outlook_tui.app.screens.history import HistoryScreen
from outlook_tui.app.screens.matrix import MatrixScreen
from outlook_tui.app.screens.organizations import OrganizationsScreen
from outlook_tui.app.session import SessionScreen
from tests.app.conftest import CRM, open_configuration, type_own_value
from tests.conftest import StoreFactory, notices, settle


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
        said = [(n.title, n.message, n.severity, n.markup) for n in notices(app)]
        assert ("Counting [red]sheep[/red] failed", "[b]disk[/b] on fire", "error",
                False) in said


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


async def test_a_save_that_fails_unexpectedly_is_reported_and_nothing_is_written(
        make_store: StoreFactory, store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_store(["Acme"])
    before = store_path.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk controller on fire")  # a fault no screen expects

    monkeypatch.setattr(store, "commit", broken)
    app = OutlookApp(store, watch_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_configuration(pilot, 1)
        await type_own_value(pilot, CRM, "600")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: any("failed" in n.title for n in notices(app)),
                     "the failure's notice")
        assert app.is_running and app.screen is screen
        said = [(n.title, n.message) for n in notices(app)]
        assert ("Saving the configuration failed", "disk controller on fire") in said
    assert store_path.read_bytes() == before
