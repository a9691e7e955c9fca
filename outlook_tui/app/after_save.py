"""The config's ``after_save_command`` in the app (:mod:`outlook_tui.after_save`): run in a
thread worker once a save to Oro's database is committed, while every key keeps acting. A toast
says it runs, on whichever screen the person goes to, until its result replaces it; the stop
key (``app.stop_after_save``, ctrl+g) or quitting ends it. A newer save while it runs stops it
and runs it again for the newer revision."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from textual.notifications import Notification, SeverityLevel

from outlook_tui.after_save import AfterSave, AfterSaveRun, command_environment
from outlook_tui.app.notices import notice
from outlook_tui.store import Capability

if TYPE_CHECKING:
    from outlook_tui.app.notices import NoticeBoard
    from outlook_tui.config import Config
    from outlook_tui.store.backend import StoreBackend

#: The binding that stops it, and its default key.
STOP_ID, STOP_KEY = "app.stop_after_save", "ctrl+g"
TITLE = "after_save_command"


class AfterSaveHost(Protocol):
    """What the runner asks of the app (:class:`outlook_tui.app.app.OutlookApp` has it): the
    config and the store, a thread worker, and the ways to tell the person."""

    @property
    def config(self) -> Config: ...

    @property
    def store(self) -> StoreBackend: ...

    @property
    def notice_board(self) -> NoticeBoard: ...

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None) -> None: ...

    def refresh_bindings(self) -> None: ...

    def run_worker(self, work: Callable[[], None], *, group: str, description: str,
                   exit_on_error: bool, thread: bool) -> object: ...

    def call_from_thread(self, callback: Callable[..., Any], *args: Any,
                         **kwargs: Any) -> Any: ...


class AfterSaveRunner:
    """The one command run at a time, and its toast."""

    def __init__(self, app: AfterSaveHost) -> None:
        self._app = app
        self._run: AfterSaveRun | None = None
        self._notice: Notification | None = None

    @property
    def running(self) -> bool:
        return self._run is not None

    @property
    def stop_key(self) -> str:
        return self._app.config.keymap.get(STOP_ID, STOP_KEY).split(",")[0]

    def start(self, revision: int) -> None:
        """After the save of ``revision``: run the command, when there is one and the store's
        saves call for it."""
        app = self._app
        command = app.config.after_save_command
        if command is None or not app.store.supports(Capability.AFTER_SAVE_COMMAND):
            return
        if self._run is not None:
            self._run.stop(f"stopped: revision {revision} was saved meanwhile and it runs "
                           "again for it")
        environment = command_environment(os.environ, revision=revision,
                                          store_location=app.store.location)
        run = AfterSaveRun(command, revision=revision, environment=environment,
                           timeout=app.config.after_save_timeout)
        self._run = run
        self._show(f"{run.running_text}\n{self.stop_key} stops it (the save stays committed)",
                   timeout=run.timeout + 10)
        app.run_worker(partial(self._wait, run), thread=True, group="after_save",
                       exit_on_error=False, description="after_save_command")

    def stop(self, reason: str) -> bool:
        """Stop the command running, if any (``reason`` ends up in its result)."""
        if self._run is None:
            return False
        self._run.stop(reason)
        return True

    def _wait(self, run: AfterSaveRun) -> None:
        outcome = run.run()
        with contextlib.suppress(RuntimeError):  # the app has ended: nobody is left to tell
            self._app.call_from_thread(self._done, run, outcome)

    def _done(self, run: AfterSaveRun, outcome: AfterSave) -> None:
        if self._run is not run:
            return  # a newer save's run took its place; its own result follows
        self._run = None
        self._hide()
        app = self._app
        if outcome.warnings:
            app.notify("\n".join(outcome.warnings), title=TITLE, severity="warning", timeout=20)
        if outcome.notices:
            app.notify("\n".join(outcome.notices), title=TITLE, timeout=10)
        app.refresh_bindings()

    def _show(self, message: str, *, timeout: float) -> None:
        self._hide()
        app = self._app
        self._notice = notice(message, TITLE, "information", timeout)
        app.notice_board.add(self._notice, everywhere=True)
        app.refresh_bindings()

    def _hide(self) -> None:
        notice, self._notice = self._notice, None
        if notice is not None:
            self._app.notice_board.withdraw(notice)


__all__ = ["STOP_ID", "STOP_KEY", "AfterSaveHost", "AfterSaveRunner"]
