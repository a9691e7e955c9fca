"""Effective settings of one organization: what Oro uses, and where each value comes from.

The support staff's screen ("why does this customer sync every 5 minutes?"): every setting's
effective value, its source (organization, system or default), the system value beside an
override, and a warning on overrides equal to the inherited value. It never writes, so every key
works in read-only mode.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.widgets import Header, Static

from outlook_tui.app.icons import ICONS
from outlook_tui.app.messages import SnapshotChanged
from outlook_tui.app.safe import data, plain
from outlook_tui.app.session import SessionScreen
from outlook_tui.app.widgets.footer import KeysFooter
from outlook_tui.app.widgets.read_only_banner import ReadOnlyBanner
from outlook_tui.catalog import CATALOG, FIELDSETS, Scope, in_fieldset
from outlook_tui.compare import STALE_MARK
from outlook_tui.history_text import DescribedEntry, describe
from outlook_tui.scopes import EffectiveValue, conflict_resolution_note
from outlook_tui.store import Snapshot, StoreError
from outlook_tui.store.outside import is_outside

#: How a source reads in the Source column.
SOURCE_WORDS = {Scope.ORGANIZATION: "Organization", Scope.SYSTEM: "System",
                Scope.DEFAULT: "Default"}


def source_text(ev: EffectiveValue) -> str:
    """``Organization`` (its own value), ``System`` or ``Default``; ``!`` marks a stale override."""
    return SOURCE_WORDS[ev.source] + (f" {STALE_MARK}" if ev.stale_override else "")


def stale_warning(ev: EffectiveValue, read_only: bool = False) -> str:
    # Someone who cannot change anything is not told to tick a box.
    who = "An admin can tick" if read_only else "Tick"
    return (f"{STALE_MARK} {ev.setting.label}: the organization stores {ev.label}, the value it"
            f" would inherit anyway, so it no longer follows system changes. {who} Use System"
            " to inherit again.")


#: Below this width the value columns give up their fixed widths (see effective.tcss).
NARROW_WIDTH = 76


class EffectiveSettingsScreen(SessionScreen[None]):
    """Every setting of one organization as Oro resolves it: organization, system, default."""

    CSS_PATH = "../styles/effective.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="effective.back",
                tooltip="Back to the previous screen"),
        Binding("c", "configuration", "Configuration", id="effective.configuration",
                tooltip="Open this organization's MS Outlook Settings"),
        Binding("h", "history", "History", id="effective.history",
                tooltip="Who changed this organization's settings, and when"),
    ]

    def __init__(self, organization_id: int) -> None:
        super().__init__()
        self.organization_id = organization_id
        self.title = "Effective settings"
        #: Lines on the settings changed outside outlook-tui, once read.
        self.outside: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header(icon=ICONS.app)
        yield ReadOnlyBanner()
        yield Static("Loading…", id="organization")
        with VerticalScroll(id="body"):
            with Vertical(id="settings"):
                with Horizontal(classes="row column-headers"):
                    for column, kind in (("Setting", "label"), ("Effective value", "value"),
                                         ("Source", "source"), ("System value", "system")):
                        yield Static(column, classes=kind)
                for number, fieldset in enumerate(FIELDSETS):
                    yield Static(fieldset, classes="fieldset" + (" -later" if number else ""))
                    for setting in in_fieldset(fieldset):
                        with Horizontal(classes="row"):
                            yield Static(setting.label, classes="label")
                            yield Static("", id=f"value-{setting.name}", classes="value")
                            yield Static("", id=f"source-{setting.name}", classes="source")
                            yield Static("", id=f"system-{setting.name}", classes="system")
            yield Static("", id="notes")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#body").focus()
        self._show(self.session.snapshot)
        self._read_outside()

    @work(thread=True, exclusive=True, group="outside", exit_on_error=False,
          description="Reading changes made outside outlook-tui")
    def _read_outside(self) -> None:
        """The organization's changes made outside outlook-tui (Oro's screens, SQL, a hand
        edit), from its history: what is stored compared with what was recorded."""
        try:
            entries = self.session.store.history(self.organization_id)
        except (StoreError, OSError):
            return  # the History screen says why; here the values are still right
        outside: dict[str, DescribedEntry] = {}
        for entry in entries:
            if is_outside(entry) and entry.key is not None:
                outside.setdefault(entry.key, describe(entry))
        self.app.call_from_thread(self._show_outside, list(outside.values()))

    def _show_outside(self, changes: list[DescribedEntry]) -> None:
        self.outside = [f"Changed outside outlook-tui: {c.what}: {c.old} -> {c.new} "
                        f"({c.when})" for c in changes]
        self._show(self.session.snapshot)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        self._show(message.snapshot)
        self._read_outside()

    def _show(self, snapshot: Snapshot | None) -> None:
        title = self.query_one("#organization", Static)
        organization = snapshot.get(self.organization_id) if snapshot is not None else None
        if organization is None or snapshot is None:
            loading = snapshot is None or not snapshot.validated
            title.update("Loading…" if loading else
                         f"No organization with id {self.organization_id} in this store.")
            self.query_one("#settings").display = False
            return
        self.query_one("#settings").display = True
        values = snapshot.effective(self.organization_id)
        overridden = sum(1 for ev in values.values() if ev.overridden)
        title.update(Content.assemble(
            (plain(organization.name), "bold"), "  ",
            (f"id {organization.id} {ICONS.dot} {organization.status} {ICONS.dot} {overridden} of "
             f"{len(CATALOG)} settings overridden", "dim")))
        notes: list[str] = []
        for setting in CATALOG:
            ev = values[setting.name]
            value = self.query_one(f"#value-{setting.name}", Static)
            source = self.query_one(f"#source-{setting.name}", Static)
            system = self.query_one(f"#system-{setting.name}", Static)
            value.update(data(ev.label))
            source.update(source_text(ev))
            # Beside an override, what Use System would give (the system value, else default).
            system.update(data(ev.setting.label_of(ev.inherited)) if ev.overridden else "")
            for widget in (value, source, system):
                widget.set_class(ev.overridden, "-overridden")
                widget.set_class(ev.stale_override, "-stale")
            if ev.stale_override:
                notes.append(stale_warning(ev, self.session.read_only))
        note = conflict_resolution_note(values)
        if note:
            notes.append(f"Note: {note}.")
        notes.extend(self.outside)
        notes_widget = self.query_one("#notes", Static)
        notes_widget.update(data("\n".join(notes), keep="\n", width=None))
        notes_widget.display = bool(notes)

    # -- actions -------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_configuration(self) -> None:
        self.session.open_configuration(self.organization_id)

    def action_history(self) -> None:
        self.session.open_history(self.organization_id)
