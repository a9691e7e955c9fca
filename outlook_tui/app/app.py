"""The outlook-tui terminal app: holds the store and its current snapshot, loads big stores
without blocking the first paint, notices changes on disk, and saves for the screens."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, Protocol, cast, runtime_checkable
from urllib.parse import unquote

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.content import Content
from textual.dom import DOMNode
from textual.markup import escape as escape_markup
from textual.notifications import Notification, SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from outlook_tui.app import plain_glyphs
from outlook_tui.app.after_save import STOP_ID, STOP_KEY, AfterSaveRunner
from outlook_tui.app.commands import AppCommands, OrganizationCommands, Palette, binding_commands
from outlook_tui.app.icons import ICONS, PLAIN
from outlook_tui.app.key_order import Hold, KeyOrder
from outlook_tui.app.memory import QUIET_SECONDS, QuietCollector
from outlook_tui.app.notices import DISMISS_ID, DISMISS_KEY, NoticeBoard, notice
from outlook_tui.app.safe import plain
from outlook_tui.app.screens.save_waiting import SaveWaitingModal
from outlook_tui.app.session import Session
from outlook_tui.app.sync import WATCH_SECONDS, FromSync, StoreSync
from outlook_tui.app.unused_keys import explain as explain_unused_key
from outlook_tui.app.widgets.read_only_banner import view_only
from outlook_tui.app.widgets.text_input import TextInput
from outlook_tui.config import Config
from outlook_tui.store import (
    Backup,
    Change,
    CommitResult,
    Organization,
    Snapshot,
    StoreBackend,
    StoreError,
)
from outlook_tui.store.ahead import FirstRows
from outlook_tui.store.backend import SavePlan
from outlook_tui.store.uri import MalformedURI
from outlook_tui.store.uri import parse as parse_uri
from outlook_tui.store.waiting import SaveControl, Waiting
from outlook_tui.text import is_printable, name_problem

#: The command palette's prompt (Textual's ends with "…", which a Linux console may not draw).
PALETTE_PLACEHOLDER = "Search commands and organizations"


@runtime_checkable
class GuardsEdits(Protocol):
    """A screen holding edits that leaving would lose (the configuration form)."""

    def before_leaving(self, leave: Callable[[], object]) -> None:
        """Call ``leave`` once the person has said what becomes of unsaved edits (at once
        when there are none); never call it when they cancel."""


def _shorten(path: str) -> str:
    home = os.path.expanduser("~")
    return "~" + path[len(home):] if home != "/" and path.startswith(home + os.sep) else path


def database_label(kind: str, uri: str) -> str:
    """A database store as the header names it: the database and the host that matter,
    ``oro_crm on db1.example.com:5432 (PostgreSQL)``, not a URI cut after its user name."""
    try:
        parts = parse_uri(uri)
    except MalformedURI:
        return f"{kind} {uri}"
    database = unquote((parts.path or "").lstrip("/")) or "the default database"
    host = parts.hosts or dict(parts.parameters).get("host") or "the local socket"
    engine = kind[kind.find("(") + 1:kind.rfind(")")] if "(" in kind else kind
    return f"{database} on {unquote(host)} ({engine})"


class OutlookApp(App[None]):
    """System > User Management > Organizations, and each organization's Configuration.

    Screens see it through :class:`outlook_tui.app.session.Session`: the store, its snapshot,
    saving, and navigation (every screen is opened here).
    """

    TITLE = "outlook-tui"
    # The organizations grid's styles are parsed with the app's: loading a screen's CSS_PATH
    # later reparses the whole stylesheet (~40 ms before the first frame).
    CSS_PATH = ["styles/app.tcss", "styles/organizations.tcss", "styles/plain.tcss"]
    COMMANDS = {AppCommands, OrganizationCommands}

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave outlook-tui"),
        Binding("f1,question_mark", "help", "Help", id="app.help",
                tooltip="Every key, on one screen"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette",
                tooltip="Open organization..., System configuration, ..."),
        Binding(DISMISS_KEY, "dismiss_notices", "Dismiss notices", show=False, id=DISMISS_ID,
                tooltip="Take the notices shown away"),
        Binding(STOP_KEY, "stop_after_save", "Stop command", id=STOP_ID,
                tooltip="Stop the after_save_command still running (the save stays committed)"),
    ]

    def __init__(self, store: StoreBackend, *, watch_seconds: float = WATCH_SECONDS,
                 location_label: str | None = None, config: Config | None = None,
                 first_rows: FirstRows | None = None) -> None:
        super().__init__()
        #: The user's config.toml, already checked (outlook_tui.app.keymap.check_config).
        self.config = config or Config()
        if self.config.theme is not None:
            self.theme = self.config.theme
        # Textual applies it to every screen's bindings: the footer shows the keys in force.
        self.set_keymap(dict(self.config.keymap))
        #: How the header names the store (default: its path, with ~ for the home directory).
        self.location_label = location_label or (
            _shorten(store.location) if store.kind == "JSON file"
            else database_label(store.kind, store.location))
        #: Keys take effect one at a time, however they arrive (see key_order).
        self.key_order = KeyOrder(self)
        #: The save in flight, to cancel (Escape while it waits, quitting).
        self.save_control: SaveControl | None = None
        self._held_keys = Hold(lambda: None)
        #: What waits for the save in flight to end.
        self._once_saved: list[Callable[[], object]] = []
        #: Full garbage collections only while nobody types (see memory).
        self.collector = QuietCollector()
        #: Every notification, drawn above the footer where it covers nothing (see notices).
        self.notice_board = NoticeBoard(self)
        #: The store and its snapshot, kept up to date (loading, the disk watch, saving).
        self.sync = StoreSync(self, store, watch_seconds=watch_seconds,
                              notices=self.notice_board, store_changed=self._retitle,
                              published=self._settled, first_rows=first_rows)
        #: What the app told the person lately, oldest first (for tests and the log).
        self.notified = self.notice_board.notified
        #: The config's after_save_command, run after each save to Oro's database.
        self.after_save = AfterSaveRunner(self)

    # -- the store, as screens see it (Session): kept by self.sync ------------------------------
    store = FromSync[StoreBackend]()
    snapshot = FromSync[Snapshot | None]()
    validated = FromSync[bool]()
    load_error = FromSync[StoreError | None]()
    read_only = FromSync[bool]("store.read_only")
    read_only_reason = FromSync[str | None]("store.read_only_reason")
    #: A save is under way (a hang-up lets it finish before the process ends).
    saving = FromSync[bool]()

    async def commit(self, changes: Sequence[Change],
                     base: Snapshot | None = None) -> CommitResult:
        """Save ``changes`` (see :meth:`StoreSync.commit`). Keys typed meanwhile act once the
        save and its snapshot are in, as they would have if typed a moment later."""
        loop = asyncio.get_running_loop()

        def heard(waiting: Waiting | None) -> None:  # in the store's thread
            with contextlib.suppress(RuntimeError):  # the app (its loop) has ended meanwhile
                loop.call_soon_threadsafe(self.call_later, self._show_waiting, control, waiting)

        control = SaveControl(heard)
        self.save_control = control
        # A save that waits lets the keys go (see _show_waiting): Escape must reach the dialog.
        with self.key_order.hold() as held:
            self._held_keys = held
            try:
                result = await self.sync.commit(changes, base, control)
            finally:
                self.save_control = None
                if isinstance(self.screen, SaveWaitingModal) and self.screen.control is control:
                    self.screen.dismiss()
                once_saved, self._once_saved = self._once_saved, []
                for then in once_saved:
                    self.call_later(then)
            if result.applied:
                self.after_save.start(result.snapshot.revision)
            return result

    async def plan(self, changes: Sequence[Change]) -> SavePlan:
        """What saving ``changes`` would do now (see :meth:`StoreSync.plan`). Keys typed
        meanwhile act once it is known, on what it opened (a confirmation)."""
        with self.key_order.hold():
            return await self.sync.plan(changes)

    async def read_organization(self, organization_id: int | None) -> Snapshot:
        """One organization read on its own (see :meth:`StoreSync.read_organization`)."""
        return await self.sync.read_organization(organization_id)

    def _show_waiting(self, control: SaveControl, waiting: Waiting | None) -> None:
        """The store waits for a lock: say so, and who holds it (see SaveWaitingModal)."""
        if control is not self.save_control or waiting is None:
            return
        # Keys act again, in order, on the dialog (Escape cancels the save) while it runs.
        self._held_keys.release()
        if isinstance(self.screen, SaveWaitingModal) and self.screen.control is control:
            self.screen.show(waiting)
        else:
            self.push_screen(SaveWaitingModal(control, waiting))

    def reload_store(self) -> None:
        """Read the store again from disk (after a restore, say)."""
        self.sync.read_again()

    def open_backup(self, backup: Backup, snapshot: Snapshot) -> None:
        """Look at a backup, read-only, in place of the damaged store."""
        self.sync.open_backup(backup, snapshot)
        self.location_label = f"{_shorten(self.store.location)} (backup)"
        self._retitle()

    def _retitle(self) -> None:
        self.sub_title = self._subtitle()

    def _settled(self) -> None:
        # A new snapshot and what the screens built over it: out of the collector's way.
        self.collector.settled()

    def _subtitle(self) -> str:
        where = self.location_label
        if self.store.read_only:
            return f"{where} {ICONS.dot} {view_only(self.store.read_only_reason).lower()}"
        return where

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste, events.MouseDown)):
            self.collector.activity()
            # A read in the background steps aside until what the key did is on screen.
            self.sync.foreground.key()
            if not self.call_after_refresh(self.sync.foreground.painted):
                self.sync.foreground.painted()  # closing: nothing more is painted
        if isinstance(event, events.Paste) and self._refuse_paste(event.text):
            return
        if not self.key_order.take(event):
            await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        # A key nothing handled on its way up: it says why rather than vanish (unused_keys).
        explain_unused_key(self, event)

    def _refuse_paste(self, text: str) -> bool:
        """A paste holding a control character never reaches a field Textual draws raw (the
        palette's); our own fields (TextInput) refuse it themselves, saying so in place."""
        if isinstance(self.focused, TextInput):
            return False
        line = text.splitlines()[0] if text else ""
        problem = None if is_printable(line) else name_problem(line)
        if problem is None:
            return False
        self.bell()
        self.notify(f"Not pasted: the text {problem}.", severity="warning")
        return True

    # -- text from data is only ever text ---------------------------------------------------

    def format_title(self, title: str, sub_title: str) -> Content:
        # Titles name organizations and store paths: escaped like every other piece of data;
        # joined as Textual does, with a dash the terminal can draw.
        if not sub_title:
            return Content(plain(title))
        return Content.assemble(Content(plain(title)), (ICONS.title_separator, "dim"),
                                Content(plain(sub_title)).stylize("dim"))

    def get_key_display(self, binding: Binding) -> str:
        # ⏎, ↑ and the like, on a terminal that draws ASCII only: the key's name instead.
        shown = super().get_key_display(binding)
        return shown if shown.isascii() or not PLAIN else binding.key

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast (``Widget.notify`` lands here): never markup, hidden code points escaped,
        long values clipped. ``markup`` is accepted for Textual's signature and ignored."""
        self.notice_board.add(notice(message, title, severity,
                                     self.NOTIFICATION_TIMEOUT if timeout is None else timeout))

    def action_help_quit(self) -> None:
        """ctrl+c outside a field (where it copies): Textual's hint on how to quit, its markup
        rendered (the key in bold), the key itself escaped like any other text."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                hint = Notification(f"Press [b]{escape_markup(key)}[/b] to quit the app",
                                    "Do you want to quit?", "information",
                                    self.NOTIFICATION_TIMEOUT, markup=True)
                self.notice_board.add(hint)
                return

    # -- start-up ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # The organizations grid is the app's first screen itself: pushing it over an empty
        # default screen cost a whole extra screen's layout before the first frame.
        from outlook_tui.app.screens.organizations import OrganizationsScreen

        return OrganizationsScreen()

    def on_mount(self) -> None:
        plain_glyphs.start(self)
        self.notice_board.start()
        self.sub_title = self._subtitle()
        self._catch_terminate()
        self.sync.start()
        self.set_interval(QUIET_SECONDS / 2, self._collect_when_quiet, name="quiet-collection")

    def _collect_when_quiet(self) -> None:
        self.collector.tick()

    # -- leaving: nothing edited is thrown away ---------------------------------------------

    async def action_quit(self) -> None:
        """ctrl+q, the palette's Quit and SIGTERM: every screen holding unsaved edits asks
        Save / Discard / Cancel first, as Escape does; Cancel keeps the app open."""
        from outlook_tui.app.screens.confirm import UnsavedChangesModal

        if isinstance(self.screen, UnsavedChangesModal):
            return  # already asking
        if self.save_control is not None:
            # A save still waiting is cancelled before anything is asked (or, past its commit,
            # its outcome shown): what is not saved is then in the form, and a Discard can
            # never be followed by its commit.
            self.save_control.cancel()
            self._once_saved.append(self.action_quit)
            return
        guards = [s for s in reversed(self.screen_stack) if isinstance(s, GuardsEdits)]

        def ask(at: int) -> None:
            if at == len(guards):
                self.exit()
            else:
                guards[at].before_leaving(lambda: ask(at + 1))

        ask(0)

    def _catch_terminate(self) -> None:
        """SIGTERM (a closing session, ``kill``) asks about unsaved edits like ctrl+q; a
        second one while the question is open quits."""
        try:
            loop = asyncio.get_running_loop()
            loop.add_signal_handler(signal.SIGTERM, self._terminate)
        except (RuntimeError, NotImplementedError, ValueError):
            return  # not the main thread, or no signals here: the default applies

    def _terminate(self) -> None:
        from outlook_tui.app.screens.confirm import UnsavedChangesModal

        if isinstance(self.screen, UnsavedChangesModal):
            self.exit()
        else:
            self.call_later(self.action_quit)

    def on_unmount(self) -> None:
        if self.save_control is not None:
            self.save_control.cancel()  # an app that ended saves nothing more
        self.sync.stop()
        self.after_save.stop("stopped: outlook-tui ended")
        with contextlib.suppress(RuntimeError, NotImplementedError, ValueError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)

    # -- notifications: above the footer, on the screen they were given on ------------------

    def shown_notices(self) -> list[Notification]:
        """The notifications on the screen the person is on now, oldest first."""
        return self.notice_board.shown()

    def clear_notifications(self) -> None:
        self.notice_board.dismiss()

    def action_dismiss_notices(self) -> None:
        self.notice_board.dismiss()

    # -- errors of background work --------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker(event)

    def report_worker(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker is reported (workers run with ``exit_on_error=False``;
        screens pass their workers' events here): a notification naming what failed, instead
        of a crash or a silent nothing. The error's text comes from data: never markup."""
        if event.state is not WorkerState.ERROR:
            return
        worker = event.worker
        what = worker.description or worker.name or "A background task"
        error = worker.error
        detail = str(error) or type(error).__name__
        self.log.error(f"{what} failed: {error!r}")
        self.notify(detail, title=f"{what} failed", severity="error", timeout=15, markup=False)

    # -- navigation: every screen is opened here ---------------------------------------------
    # Screens are imported when first opened: the first paint needs only the organizations.

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_after_save":  # in the footer only while the command runs
            return self.after_save.running
        if action == "dismiss_notices":
            return bool(self.notice_board.shown())
        return True

    def action_stop_after_save(self) -> None:
        if not self.after_save.stop(f"stopped with {self.after_save.stop_key}"):
            self.notify("No after_save_command is running.")

    def action_help(self) -> None:
        self.open_help()

    def open_help(self) -> None:
        from outlook_tui.app.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            here = [type(self.screen)] + ([type(self.focused)] if self.focused else [])
            self.push_screen(HelpScreen(keyed_classes(), self.config.keymap, here))

    def open_configuration(self, organization_id: int | None) -> None:
        """Oro's row action "Configuration"; ``None`` opens System configuration."""
        from outlook_tui.app.screens.configuration import ConfigurationScreen

        self.push_screen(ConfigurationScreen(organization_id))

    def open_history(self, organization_id: int | None = None, *, system: bool = False) -> None:
        from outlook_tui.app.screens.history import HistoryScreen

        self.push_screen(HistoryScreen(organization_id, system=system))

    def open_effective(self, organization_id: int) -> None:
        from outlook_tui.app.screens.effective import EffectiveSettingsScreen

        self.push_screen(EffectiveSettingsScreen(organization_id))

    def open_matrix(self, chosen: Collection[int] | None = None) -> None:
        from outlook_tui.app.screens.matrix import MatrixScreen

        self.push_screen(MatrixScreen(chosen))

    def open_organization_form(self, organization: Organization | None,
                               done: Callable[[int | None], None]) -> None:
        from outlook_tui.app.screens.organization_form import OrganizationFormModal

        self.push_screen(OrganizationFormModal(organization), done)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette: this app's places, then every key of the screen it was opened on (so
        a key shown nowhere else can still be found by name), then Theme. Textual's own
        Keys, Maximize and Screenshot are left out: Help (F1) lists the keys, nothing here
        needs maximizing, and no action of the app writes a file but the store's own."""
        yield SystemCommand("System configuration",
                            "MS Outlook Settings at system level (Use default)",
                            lambda: self.open_configuration(None))
        yield SystemCommand("History of all changes",
                            "Every change to the store, newest first: when, who, what",
                            self.open_history)
        yield SystemCommand("Compare organizations",
                            "Effective values of every organization side by side",
                            lambda: self.open_matrix())
        yield from binding_commands(self, screen)
        yield SystemCommand("Theme", "Change the colours of outlook-tui",
                            self.action_change_theme)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(Palette(id="--command-palette", placeholder=PALETTE_PLACEHOLDER))

    # Textual's screenshot writes an SVG file into the working directory: not from this app
    # (no key, no palette entry, no action markup can reach it).
    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.notify("Screenshots are not available in outlook-tui.", severity="warning")

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        self.notify("Screenshots are not available in outlook-tui.", severity="warning")
        return None


def keyed_classes() -> tuple[type[DOMNode], ...]:
    """The app, its screens, dialogs and widgets that declare bindings, in the order Help lists
    them: what the keymap (:mod:`outlook_tui.app.keymap`) reads. Imported on demand: Help and a
    config's keymap need them, the first paint does not."""
    from outlook_tui.app.screens.bulk import ApplySettingModal, _BulkModal
    from outlook_tui.app.screens.configuration import ConfigurationScreen
    from outlook_tui.app.screens.confirm import ConfirmModal, UnsavedChangesModal
    from outlook_tui.app.screens.conflict import ConflictModal
    from outlook_tui.app.screens.effective import EffectiveSettingsScreen
    from outlook_tui.app.screens.help import HelpScreen
    from outlook_tui.app.screens.history import HistoryScreen
    from outlook_tui.app.screens.matrix import MatrixScreen
    from outlook_tui.app.screens.organization_form import OrganizationFormModal
    from outlook_tui.app.screens.organizations import OrganizationsScreen
    from outlook_tui.app.screens.recovery import RecoveryScreen
    from outlook_tui.app.screens.save_waiting import SaveWaitingModal
    from outlook_tui.app.widgets.toggles import ArrowChoice
    from outlook_tui.app.widgets.virtual_table import VirtualTable

    return (OutlookApp, OrganizationsScreen, OrganizationFormModal, _BulkModal,
            ApplySettingModal, ConfigurationScreen, EffectiveSettingsScreen, MatrixScreen,
            HistoryScreen, VirtualTable, ArrowChoice, ConfirmModal, UnsavedChangesModal,
            ConflictModal, SaveWaitingModal, RecoveryScreen, HelpScreen)


def _is_a_session(app: OutlookApp) -> Session:
    """mypy checks here that the app gives screens all the Session promises."""
    return app
