"""Shown instead of a crash when the store cannot be loaded: what is wrong and where, and the way
out: look at the newest valid backup read-only, restore a chosen backup (the damaged file is kept
beside it as ``store.json.corrupt-<UTC time>``), or quit."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from outlook_tui.app.icons import ICONS
from outlook_tui.app.safe import content, data, plain
from outlook_tui.app.session import SessionScreen
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.app.widgets.read_only_banner import refusal
from outlook_tui.store import Backup, BackupStore, Capability, Snapshot, StoreError, backups_of

#: The error can quote a whole damaged record (names of 10,000 characters): clipped.
LINE_CELLS = 300
MESSAGE_LINES = 200


class RecoveryScreen(SessionScreen[None]):
    CSS_PATH = "../styles/recovery.tcss"
    BINDINGS = [
        Binding("o", "open_backup", "Open read-only", id="recovery.open",
                tooltip="Look at the highlighted backup without changing anything"),
        Binding("r", "restore", "Restore", id="recovery.restore",
                tooltip="Make the highlighted backup the store again, as a new revision"),
        Binding("q", "app.quit", "Quit", show=False, id="recovery.quit",
                tooltip="Leave outlook-tui"),
        Binding("escape", "back", "Back", id="recovery.back",
                tooltip="Keep working on the last good version (saving stays blocked)"),
    ]

    def __init__(self, error: StoreError) -> None:
        super().__init__()
        self.error = error
        self.backups: list[tuple[Backup, Snapshot | None, str]] = []

    @property
    def _backups(self) -> BackupStore:
        return backups_of(self.session.store)

    def compose(self) -> ComposeResult:
        yield Header(icon=ICONS.app)
        with VerticalScroll(id="recovery-body"):
            yield Static("The store could not be opened", id="recovery-title")
            # The header names the store; the message names it as the header does.
            message = str(self.error).replace(self.session.store.location,
                                              self.session.location_label)
            # Each problem on its line, clipped: a 10,000-character name quoted by one must
            # not push the others off the screen.
            yield Static(data("\n".join(plain(line, width=LINE_CELLS)
                                        for line in message.split("\n")[:MESSAGE_LINES]),
                              keep="\n", width=None), id="recovery-error")
            yield Static("Nothing has been written. Backups (newest first):",
                         classes="muted", id="recovery-hint")
            yield OptionList(Option("looking for backups…", disabled=True),
                             id="recovery-backups")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        store = self.session.store
        if not store.supports(Capability.BACKUPS):
            options = self.query_one(OptionList)
            options.clear_options()
            reason = store.unsupported_reason(Capability.BACKUPS)
            options.add_option(Option(content(f"no backups: {reason}"), disabled=True))
            return
        self._find_backups()

    @work(thread=True, exclusive=True, exit_on_error=False, description="Looking for backups")
    def _find_backups(self) -> None:
        found: list[tuple[Backup, Snapshot | None, str]] = []
        for backup in self._backups.backups():
            try:
                snapshot: Snapshot | None = self._backups.load_backup(backup)
                assert snapshot is not None
                count = len(snapshot)
                state = f"valid, {count:,} organization{'s' if count != 1 else ''}"
            except StoreError as error:
                snapshot, state = None, "damaged: " + str(error).splitlines()[-1].strip()
            found.append((backup, snapshot, state))
        self.app.call_from_thread(self._show_backups, found)

    def _show_backups(self, found: list[tuple[Backup, Snapshot | None, str]]) -> None:
        self.backups = found
        options = self.query_one(OptionList)
        options.clear_options()
        if not found:
            options.add_option(Option("no backups: fix the file by hand (the message above "
                                      "says where), then start again", disabled=True))
            return
        for backup, _, state in found:
            options.add_option(Option(content(
                f"{backup.number}. revision {backup.revision}, replaced {backup.saved_at}: "
                f"{state}"), disabled=False))
        newest_valid = next((i for i, (_, s, _) in enumerate(found) if s is not None), 0)
        options.highlighted = newest_valid

    def _chosen(self) -> tuple[Backup, Snapshot] | None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.backups):
            self.notify("No backup to choose", severity="warning")
            return None
        backup, snapshot, state = self.backups[index]
        if snapshot is None:
            self.notify(f"Backup {backup.number} is {state}", severity="error")
            return None
        return backup, snapshot

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_backup", "restore"):
            # A store without backups: the keys are hidden, the list says why.
            return self.session.store.supports(Capability.BACKUPS)
        if action == "back":
            # Only when the damage appeared after a good load: there is something to go back to.
            return self.session.snapshot is not None and self.session.snapshot.validated
        return True

    def action_back(self) -> None:
        self.notify("The store on disk is still damaged: saving is blocked until it is "
                    "restored or fixed", severity="warning", timeout=10)
        self.dismiss()

    def action_open_backup(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        backup, snapshot = chosen
        self.session.open_backup(backup, snapshot)
        self.dismiss()

    def action_restore(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        if self.session.read_only:
            self.notify(refusal(self.session.read_only_reason, "restoring a backup")
                        + " Ask an admin to restore it.", severity="error")
            return
        from outlook_tui.app.screens.confirm import ConfirmModal

        backup, snapshot = chosen
        question = (f"Restore backup {backup.number} (revision {backup.revision}, "
                    f"{len(snapshot):,} organizations) as the store? The damaged file is kept "
                    "beside it.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._restore(backup.number)

        self.app.push_screen(ConfirmModal("Restore backup", question), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, description="Restoring the backup")
    def _restore(self, number: int) -> None:
        snapshot = self._backups.restore(number)  # a failure is reported by the app
        self.app.call_from_thread(self._restored, snapshot)

    def _restored(self, snapshot: Snapshot) -> None:
        self.notify(f"Backup restored as revision {snapshot.revision}", title="Restored")
        self.session.reload_store()
        self.dismiss()
