"""The outlook-tui terminal app: holds the store and its current snapshot, loads big stores
without blocking the first paint, notices changes on disk, and saves for the screens."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, Protocol, cast, runtime_checkable

from textual import events, work
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, SearchIcon
from textual.content import Content
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.markup import escape as escape_markup
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.widgets._toast import ToastRack
from textual.worker import Worker, WorkerState

from outlook_tui.app.after_save import STOP_ID, STOP_KEY, AfterSaveRunner
from outlook_tui.app.commands import OrganizationCommands
from outlook_tui.app.icons import ICONS
from outlook_tui.app.key_order import KeyOrder
from outlook_tui.app.memory import QUIET_SECONDS, QuietCollector
from outlook_tui.app.messages import SnapshotChanged
from outlook_tui.app.safe import plain
from outlook_tui.app.session import Session
from outlook_tui.app.widgets.read_only_banner import view_only
from outlook_tui.app.widgets.text_input import TextInput
from outlook_tui.config import Config
from outlook_tui.store import (
    Backup,
    Change,
    CommitResult,
    HistoryEntry,
    Organization,
    Snapshot,
    StoreBackend,
    StoreError,
)
from outlook_tui.store.damaged import DamagedValue
from outlook_tui.store.factory import open_store
from outlook_tui.text import is_printable, name_problem
from outlook_tui.words import counted

#: Organizations parsed from the head of the file for the first paint (a screen and a half).
PREVIEW_ROWS = 40
#: A toast longer than this is clipped (a message quoting a 10,000-character name).
TOAST_CELLS = 480
#: How often the store file is checked for changes by others (one stat call).
WATCH_SECONDS = 1.0


@runtime_checkable
class GuardsEdits(Protocol):
    """A screen holding edits that leaving would lose (the configuration form)."""

    def before_leaving(self, leave: Callable[[], object]) -> None:
        """Call ``leave`` once the person has said what becomes of unsaved edits (at once
        when there are none); never call it when they cancel."""


def _top_screen(stack: Sequence[Screen[Any]]) -> Screen[Any] | None:
    """The screen a person is on: the topmost one that is not a dialog over it."""
    return next((s for s in reversed(stack) if not isinstance(s, ModalScreen)), None)


def damaged_text(damaged: list[DamagedValue]) -> str:
    """Stored values the store could not accept, each with its row, for a notification."""
    from outlook_tui.text import printable

    lines = [f"{printable(d.organization_name or 'System')}: {d.key} = {d.stored}"
             for d in damaged[:5]]
    if len(damaged) > 5:
        lines.append(f"... and {len(damaged) - 5} more (outlook-tui show ORG lists them)")
    lines.append("Shown as Use System and left alone. A value saved for that setting replaces "
                 "it; Use System cleared and ticked again, then saved, removes it.")
    return "\n".join(lines)


class _Palette(CommandPalette):
    """Textual's palette, its magnifying glass taken from the icon table (a Linux console's
    font has none)."""

    def on_mount(self) -> None:
        for icon in self.query(SearchIcon):
            icon.icon = ICONS.search


def _shorten(path: str) -> str:
    home = os.path.expanduser("~")
    return "~" + path[len(home):] if home != "/" and path.startswith(home + os.sep) else path


class OutlookApp(App[None]):
    """System > User Management > Organizations, and each organization's Configuration.

    Screens see it through :class:`outlook_tui.app.session.Session`: the store, its snapshot,
    saving, and navigation (every screen is opened here).
    """

    TITLE = "outlook-tui"
    # The organizations grid's styles are parsed with the app's: loading a screen's CSS_PATH
    # later reparses the whole stylesheet (~40 ms before the first frame).
    CSS_PATH = ["styles/app.tcss", "styles/organizations.tcss"]
    COMMANDS = App.COMMANDS | {OrganizationCommands}

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Leave outlook-tui"),
        Binding("f1,question_mark", "help", "Help", id="app.help",
                tooltip="Every key, on one screen"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette",
                tooltip="Open organization..., System configuration, ..."),
        Binding(STOP_KEY, "stop_after_save", "Stop command", id=STOP_ID,
                tooltip="Stop the after_save_command still running (the save stays committed)"),
    ]

    def __init__(self, store: StoreBackend, *, watch_seconds: float = WATCH_SECONDS,
                 location_label: str | None = None, config: Config | None = None) -> None:
        super().__init__()
        #: The user's config.toml, already checked (outlook_tui.app.keymap.check_config).
        self.config = config or Config()
        if self.config.theme is not None:
            self.theme = self.config.theme
        # Textual applies it to every screen's bindings: the footer shows the keys in force.
        self.set_keymap(dict(self.config.keymap))
        self.store = store
        #: How the header names the store (default: its path, with ~ for the home directory).
        self.location_label = location_label or _shorten(store.location)
        self.snapshot: Snapshot | None = None
        #: Set once the whole store has been validated; nothing is written before that.
        self.validated = False
        self.load_error: StoreError | None = None
        self._watch_seconds = watch_seconds
        self._saving = False
        #: The store's change token when it was found damaged: the disk watch waits for another.
        self._damaged_token: object = None
        self._started = time.monotonic()
        #: The damaged values last named in a notification (Oro's database): named once.
        self._damaged_shown: list[DamagedValue] = []
        #: Keys take effect one at a time, however they arrive (see key_order).
        self.key_order = KeyOrder(self)
        #: Full garbage collections only while nobody types (see memory).
        self.collector = QuietCollector()
        #: The screen each notification belongs to: it is dropped when that screen is left.
        self._notice_screens: dict[str, weakref.ref[Screen[Any]]] = {}
        #: Notifications that stay whatever screen is shown (a command still running).
        self.notices_everywhere: set[str] = set()
        #: The config's after_save_command, run after each save to Oro's database.
        self.after_save = AfterSaveRunner(self)

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    @property
    def read_only_reason(self) -> str | None:
        return self.store.read_only_reason

    @property
    def saving(self) -> bool:
        """A save is under way (a hang-up lets it finish before the process ends)."""
        return self._saving

    def _subtitle(self) -> str:
        where = self.location_label
        if self.store.kind != "JSON file":
            where = f"{self.store.kind} {where}"
        if self.store.read_only:
            return f"{where} · {view_only(self.store.read_only_reason).lower()}"
        return where

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste, events.MouseDown)):
            self.collector.activity()
        if isinstance(event, events.Paste) and self._refuse_paste(event.text):
            return
        if not self.key_order.take(event):
            await super().on_event(event)

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
        # Titles name organizations and store paths: escaped like every other piece of data.
        return super().format_title(plain(title), plain(sub_title))

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast (``Widget.notify`` lands here): never markup, hidden code points escaped,
        long values clipped. ``markup`` is accepted for Textual's signature and ignored."""
        super().notify(plain(message, keep="\n", width=TOAST_CELLS), title=plain(title),
                       severity=severity, timeout=timeout, markup=False)

    # -- start-up ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # The organizations grid is the app's first screen itself: pushing it over an empty
        # default screen cost a whole extra screen's layout before the first frame.
        from outlook_tui.app.screens.organizations import OrganizationsScreen

        return OrganizationsScreen()

    def on_mount(self) -> None:
        self.sub_title = self._subtitle()
        self._catch_terminate()
        try:
            if not self.store.exists():
                self._publish(self.store.load(), "validated")
                self.validated = True
            else:
                preview = self.store.peek(PREVIEW_ROWS)
                if preview is not None:
                    self._publish(preview, "preview")
        except StoreError as error:
            self._damaged(error)
            return
        if not self.validated:
            # Parsing a big store holds the GIL for a quarter of a second: let the first
            # frame (the preview rows) reach the terminal before the worker starts.
            self.call_after_refresh(self.call_after_refresh, self._load)
        if self._watch_seconds > 0:
            self.set_interval(self._watch_seconds, self._poll_disk, name="watch-store")
        self.set_interval(QUIET_SECONDS / 2, self._collect_when_quiet, name="quiet-collection")

    @work(thread=True, exclusive=True, group="load", exit_on_error=False,
          description="Loading the store")
    def _load(self) -> None:
        """Load and validate in small chunks so the UI thread keeps painting. Nothing is shown
        before it is validated (the preview's records are checked one by one: see ``peek``)."""
        try:
            snapshot = self.store.load(pause=lambda: time.sleep(0.001))
        except StoreError as error:
            self.call_from_thread(self._damaged, error)
            return
        self.call_from_thread(self._loaded, snapshot)

    def _loaded(self, snapshot: Snapshot) -> None:
        self.validated = True
        self.sub_title = self._subtitle()  # validation may have found a newer schema
        self._publish(snapshot, "validated")
        self.log(f"store validated {time.monotonic() - self._started:.3f}s after start")

    def _damaged(self, error: StoreError) -> None:
        """A store that fails to load opens the recovery screen instead of a crash (once per
        damaged version of the file: the disk watch must not stack them)."""
        from outlook_tui.app.screens.recovery import RecoveryScreen

        self.load_error = error
        self._damaged_token = self.store.change_token()
        if not isinstance(self.screen, RecoveryScreen):
            self.push_screen(RecoveryScreen(error))

    def _collect_when_quiet(self) -> None:
        self.collector.tick()

    # -- keeping up with the disk --------------------------------------------------------------

    def _poll_disk(self) -> None:
        if self._saving or not self.validated or self.snapshot is None:
            return
        self._check_store(self.snapshot)

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False,
          description="Watching the store")
    def _check_store(self, snapshot: Snapshot) -> None:
        """Off the UI thread: on Oro's database the change token is a query (tens of ms at
        100k organizations). A database that is down for a moment is asked again next time."""
        try:
            changed = self.store.changed_since(snapshot) and \
                self.store.change_token() != self._damaged_token
        except StoreError:
            return
        if changed:
            self.call_from_thread(self._reload_unless_saving)

    def _reload_unless_saving(self) -> None:
        if not self._saving:
            self._reload()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False,
          description="Reading the store again")
    def _reload(self) -> None:
        previous = self.snapshot
        # Who saved is in the last lines of the history: say so at once, before the store
        # (100k organizations: seconds, throttled to keep the screen live) is read again.
        announced = self._entries_since(previous)
        if announced:
            self.call_from_thread(self._announce, announced)
        try:
            snapshot = self.store.load(pause=lambda: time.sleep(0.001))
        except StoreError as error:
            self.call_from_thread(self._damaged, error)
            return
        entries = self._entries_since(previous)
        self.call_from_thread(self._publish, snapshot, "external", entries, not announced)

    def _entries_since(self, previous: Snapshot | None) -> list[HistoryEntry]:
        if previous is None:
            return []
        # Read from the end of the history, stopping at the first older revision: what changed
        # since is a few lines, however long the history is.
        return self.store.history(after_revision=previous.revision)

    def open_backup(self, backup: Backup, snapshot: Snapshot) -> None:
        """Look at a backup, read-only, in place of the damaged store."""
        store = open_store(str(backup.path), read_only=True)
        self.store = store
        self.location_label = f"{_shorten(store.location)} (backup)"
        self.sub_title = self._subtitle()
        self.validated = True
        self.load_error = None
        self._publish(snapshot, "validated")

    def reload_store(self) -> None:
        """Read the store again from disk (after a restore, say)."""
        self.validated = False
        self.load_error = None
        self._reload_all()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False,
          description="Reading the store again")
    def _reload_all(self) -> None:
        try:
            snapshot = self.store.load()
        except StoreError as error:
            self.call_from_thread(self._damaged, error)
            return
        self.call_from_thread(self._loaded, snapshot)

    # -- the screens' side ---------------------------------------------------------------------

    def _announce(self, entries: list[HistoryEntry]) -> None:
        """Name who saved meanwhile (from the history: ``entries`` newest first)."""
        who = sorted({e.who for e in entries})
        self.notify(f"{counted(len(entries), 'change')} saved by {', '.join(who)} "
                    f"(revision {entries[0].revision})", title="Store updated")

    def _publish(self, snapshot: Snapshot, reason: str,
                 entries: list[HistoryEntry] | None = None, announce: bool = True) -> None:
        previous, self.snapshot = self.snapshot, snapshot
        for screen in self.screen_stack:
            screen.post_message(SnapshotChanged(snapshot, previous, reason, entries))
        if reason in ("validated", "external") and snapshot.damaged and \
                snapshot.damaged != self._damaged_shown:
            self._damaged_shown = snapshot.damaged
            self.notify(damaged_text(snapshot.damaged), title="Values outlook-tui cannot accept",
                        severity="warning", timeout=30, markup=False)
        if reason == "external" and entries and announce:
            self._announce(entries)
        # Once the screens have built what they show from it: out of the collector's way.
        self.call_after_refresh(self.collector.settled)

    async def commit(self, changes: Sequence[Change]) -> CommitResult:
        """Save ``changes`` (made against what the user saw) as one revision.

        Runs in a thread so the screen keeps painting; the lock is held only inside it, never
        while a person looks at a dialog. Raises the store's errors (ConflictError...) for the
        screen to show. Publishes the new snapshot to every screen.
        """
        # Keys typed meanwhile act once the save and its snapshot are in, as they would have
        # if typed a moment later.
        with self.key_order.hold():
            return await self._commit(changes)

    async def _commit(self, changes: Sequence[Change]) -> CommitResult:
        assert self.snapshot is not None
        base = self.snapshot
        self._saving = True
        try:
            result = await asyncio.to_thread(self.store.commit, base, list(changes))
        finally:
            self._saving = False
        entries: list[HistoryEntry] = []
        if result.merged_over:  # who saved meanwhile: from the history file, off the UI thread
            since = await asyncio.to_thread(self._entries_since, base)
            entries = [e for e in since if e.revision != result.snapshot.revision]
        self.validated = True
        self._publish(result.snapshot, "saved", entries)
        if entries:
            who = sorted({e.who for e in entries})
            self.notify(f"merged with {counted(len(entries), 'change')} saved meanwhile by "
                        f"{', '.join(who)}", title="Merged")
        for warning in result.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if result.notices:
            self.notify("\n".join(result.notices), title="Saved", timeout=15, markup=False)
        if result.applied:
            self.after_save.start(result.snapshot.revision)
        return result

    # -- leaving: nothing edited is thrown away ---------------------------------------------

    async def action_quit(self) -> None:
        """ctrl+q, the palette's Quit and SIGTERM: every screen holding unsaved edits asks
        Save / Discard / Cancel first, as Escape does; Cancel keeps the app open."""
        from outlook_tui.app.screens.confirm import UnsavedChangesModal

        if isinstance(self.screen, UnsavedChangesModal):
            return  # already asking
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
        self.after_save.stop("stopped: outlook-tui ended")
        with contextlib.suppress(RuntimeError, NotImplementedError, ValueError):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGTERM)

    # -- notifications: never over the line in use, never on the next screen -----------------

    def on_notify(self, event: Notify) -> None:
        # Runs before Textual adds the notification: remember whose it is.
        here = _top_screen(self.screen_stack)
        if here is not None and event.notification.identity not in self.notices_everywhere:
            self._notice_screens[event.notification.identity] = weakref.ref(here)

    def _refresh_notifications(self) -> None:
        # A notice belongs to the screen it was given on (a dialog's, to the screen beneath
        # it): once that screen is left, "Configuration saved" must not follow the person.
        here = _top_screen(self.screen_stack)
        for notification in list(self._notifications):
            owner = self._notice_screens.get(notification.identity)
            if owner is not None and owner() is not here:
                del self._notifications[notification]
        live = {n.identity for n in self._notifications}
        self._notice_screens = {k: v for k, v in self._notice_screens.items() if k in live}
        self._place_toasts()
        super()._refresh_notifications()

    def withdraw_notice(self, notification: Notification) -> None:
        """Take a notification away before its time (a status that no longer holds)."""
        self.notices_everywhere.discard(notification.identity)
        if notification in self._notifications:
            del self._notifications[notification]
            self._refresh_notifications()

    def on_descendant_focus(self) -> None:
        self._place_toasts()

    def _place_toasts(self) -> None:
        """Toasts go to the half of the screen away from the focused line (top right when
        working in the lower half, bottom right otherwise)."""
        try:
            screen = self.screen
            rack = screen.get_child_by_type(ToastRack)
        except (NoMatches, ScreenStackError):
            return
        focused = screen.focused
        line = getattr(focused, "working_line", None)
        if focused is not None and line is None:
            region = focused.region
            line = region.y + region.height // 2
        rack.set_class(line is not None and line >= screen.size.height // 2, "-top")

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

    def open_matrix(self) -> None:
        from outlook_tui.app.screens.matrix import MatrixScreen

        self.push_screen(MatrixScreen())

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
                            self.open_matrix)
        yield from self._binding_commands(screen)
        yield SystemCommand("Theme", "Change the colours of outlook-tui",
                            self.action_change_theme)

    def _binding_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        seen: set[tuple[int, str]] = set()
        for active in screen.active_bindings.values():
            node, binding = active.node, active.binding
            if not binding.description or not active.enabled \
                    or not isinstance(node, App | Screen) \
                    or binding.action == "command_palette" or (id(node), binding.action) in seen:
                continue
            seen.add((id(node), binding.action))
            keys = self.get_key_display(binding)
            what = binding.tooltip or binding.description
            # Textual reads a command's help as markup; the keys come from the user's keymap.
            yield SystemCommand(binding.description, escape_markup(f"{what} ({keys})"),
                                partial(self.run_action, binding.action, node))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(_Palette(id="--command-palette"))

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
    from outlook_tui.app.widgets.toggles import ArrowChoice
    from outlook_tui.app.widgets.virtual_table import VirtualTable

    return (OutlookApp, OrganizationsScreen, OrganizationFormModal, _BulkModal,
            ApplySettingModal, ConfigurationScreen, EffectiveSettingsScreen, MatrixScreen,
            HistoryScreen, VirtualTable, ArrowChoice, ConfirmModal, UnsavedChangesModal,
            ConflictModal, RecoveryScreen, HelpScreen)


def _is_a_session(app: OutlookApp) -> Session:
    """mypy checks here that the app gives screens all the Session promises."""
    return app
