"""Bulk changes to marked organizations: Apply setting (a value, or Use System) and Reset
overrides. Each modal returns a :class:`BulkPlan` (the changes, and the words to confirm them);
the organizations screen confirms it and saves it as one revision. Oro itself cannot do this:
its command line only changes the system scope.

How many organizations change and how many already have the value is the store's own plan
(``store.plan``, what ``--dry-run`` prints), asked when the person chooses: what is stored
now, not what this view read a while ago."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from outlook_tui.app.icons import ICONS
from outlook_tui.app.safe import plain
from outlook_tui.app.screens.dialog import dialog
from outlook_tui.app.session import Session, SessionModal
from outlook_tui.app.widgets.text_input import TextInput
from outlook_tui.catalog import (
    BY_NAME,
    CATALOG,
    InvalidValue,
    Setting,
    SettingType,
    Value,
)
from outlook_tui.store import Change, Conflict, ConflictError, SettingChange, StoreError
from outlook_tui.store.changes import AppliedChange
from outlook_tui.store.damaged import DamagedValue
from outlook_tui.store.snapshot import column_of

USE_SYSTEM = "Use System"
#: How many organization names a confirmation spells out before "and N more".
NAMES_SHOWN = 5


@dataclass(frozen=True)
class BulkPlan:
    """What a bulk action will save, and how to say it."""

    changes: list[Change]
    title: str
    message: str
    summary: str  # for the notification after saving
    changing: int  # organizations whose stored values change


#: Cells of one organization name in a bulk question.
NAME_CELLS = 40


@dataclass(frozen=True)
class Counted:
    """What the changes would do to what is stored now, by the store's plan."""

    applied: list[AppliedChange] = field(default_factory=list)
    #: Changes that collide with a value saved meanwhile: saving asks about each.
    meanwhile: list[Conflict] = field(default_factory=list)

    @property
    def changing(self) -> set[int | None]:
        """The organizations whose stored values change."""
        return {a.organization_id for a in self.applied}

    @property
    def colliding(self) -> set[int | None]:
        return {c.organization_id for c in self.meanwhile}


async def counted_by_store(session: Session, changes: Sequence[Change]) -> Counted:
    """The store's plan for ``changes`` (as ``--dry-run``); the ones colliding with a value
    saved meanwhile are set aside and counted as such, the rest planned without them."""
    try:
        return Counted((await session.plan(changes)).applied)
    except ConflictError as error:
        clashing = {(c.organization_id, c.key) for c in error.conflicts}
        rest = [c for c in changes if not (isinstance(c, SettingChange)
                                           and (c.organization_id, c.name) in clashing)]
        applied = (await session.plan(rest)).applied if rest else []
        return Counted(applied, list(error.conflicts))


def names(records: Sequence[Mapping[str, Any]]) -> str:
    # Each name clipped: ten 10,000-character names must still leave room for the question.
    shown = ", ".join(plain(r["name"], width=NAME_CELLS) for r in records[:NAMES_SHOWN])
    more = len(records) - NAMES_SHOWN
    return f"{shown} and {more:,} more" if more > 0 else shown


def organizations(count: int) -> str:
    return f"{count:,} organization{'s' if count != 1 else ''}"


def _has(count: int) -> str:
    return "has" if count == 1 else "have"


def _meanwhile(counted: Counted) -> str:
    colliding = len(counted.colliding)
    if not colliding:
        return ""
    return (f" {organizations(colliding)} {_has(colliding)} another value saved since this "
            "view was read: saving asks about each.")


def apply_changes(records: Sequence[Mapping[str, Any]], setting: Setting,
                  value: Value | None) -> list[Change]:
    """One SettingChange per marked organization: store ``value`` (None: Use System)."""
    return [SettingChange(record["id"], setting.name,
                          column_of(record, "overrides").get(setting.name), value)
            for record in records]


def apply_plan(records: Sequence[Mapping[str, Any]], setting: Setting,
               value: Value | None, system: Mapping[str, Value], counted: Counted) -> BulkPlan:
    """Apply ``value`` to the marked organizations, in words from the store's plan."""
    changes = apply_changes(records, setting, value)
    changing = len(counted.changing) + len(counted.colliding)
    inherited = setting.label_of(system.get(setting.name, setting.default))
    count = organizations(len(records))
    if value is None:
        what = f"{setting.label}: {USE_SYSTEM} (now {inherited})"
        consequence = "They will follow System configuration for this setting again."
    else:
        what = f"{setting.label} = {setting.label_of(value)}"
        consequence = ("Each stores its own value and no longer follows System configuration "
                       f"for {setting.label} (System: {inherited}).")
    unchanged = len(records) - changing
    already = f" {organizations(unchanged)} already {_has(unchanged)} it." if unchanged else ""
    message = (f"{what}\non {count}: {names(records)}.\n{consequence}\n"
               f"{organizations(len(counted.changing))} change.{already}{_meanwhile(counted)}\n"
               "Saved in one revision.")
    return BulkPlan(changes, f"Apply setting to {count}?", message,
                    f"{what} on {count}", changing)


def damaged_names(damaged: Sequence[DamagedValue]) -> dict[int, set[str]]:
    """Organization id -> the settings whose stored value is damaged (Oro's database)."""
    found: dict[int, set[str]] = {}
    for entry in damaged:
        if entry.organization_id is not None:
            found.setdefault(entry.organization_id, set()).add(entry.name)
    return found


def stored_names(record: Mapping[str, Any], damaged: Mapping[int, set[str]]) -> set[str]:
    """The settings an organization has a row of its own for: its overrides, and any value
    stored there this tool cannot accept (reset removes those rows too, as the CLI's does)."""
    return set(column_of(record, "overrides")) | damaged.get(record["id"], set())


def reset_changes(records: Sequence[Mapping[str, Any]], setting: Setting | None,
                  damaged: Mapping[int, set[str]] | None = None) -> list[Change]:
    """Remove overrides (of one setting, or all of them) from every marked organization that
    has one here; ``damaged`` (by organization id) names damaged values, removed with them."""
    damaged = damaged or {}
    wanted = [setting] if setting is not None else list(CATALOG)
    changes: list[Change] = []
    for record in records:
        overrides = column_of(record, "overrides")
        stored = stored_names(record, damaged)
        changes += [SettingChange(record["id"], s.name, overrides.get(s.name), None)
                    for s in wanted if s.name in stored]
    return changes


def reset_plan(records: Sequence[Mapping[str, Any]], setting: Setting | None,
               damaged: Mapping[int, set[str]] | None, counted: Counted) -> BulkPlan:
    """Reset overrides of the marked organizations, in words from the store's plan."""
    changes = reset_changes(records, setting, damaged)
    removed = len(counted.applied)
    broken = _damaged_removed(records, damaged or {}, counted)
    touched = [r for r in records if r["id"] in counted.changing]
    looked = {c.organization_id for c in changes if isinstance(c, SettingChange)}
    already = len(looked - counted.changing - counted.colliding)
    which = setting.label if setting is not None else "every setting"
    of_them = f" ({broken:,} of them damaged)" if broken else ""
    left = (f" {organizations(already)} already {_has(already)} none (saved meanwhile)."
            if already else "")
    message = (f"Remove {removed:,} override{'s' if removed != 1 else ''}{of_them} "
               f"of {which}\n"
               f"from {organizations(len(touched))}: {names(touched)}.\n"
               f"They will use System configuration ({USE_SYSTEM}) instead.{left}"
               f"{_meanwhile(counted)}\n"
               "Saved in one revision.")
    return BulkPlan(changes, f"Reset overrides of {organizations(len(touched))}?", message,
                    f"Overrides of {which} reset on {organizations(len(touched))}",
                    len(touched) + len(counted.colliding))


def _damaged_removed(records: Sequence[Mapping[str, Any]], damaged: Mapping[int, set[str]],
                     counted: Counted) -> int:
    """Rows removed that hold a value this tool cannot read (not overrides as shown)."""
    overrides = {r["id"]: column_of(r, "overrides") for r in records}
    return sum(1 for a in counted.applied if a.organization_id is not None
               and (name := a.key.rpartition(".")[2]) in damaged.get(a.organization_id, set())
               and name not in overrides.get(a.organization_id, {}))


class _BulkModal(SessionModal["BulkPlan | None"]):
    HELP_TITLE = "Apply setting / Reset overrides (marked organizations)"
    CSS_PATH = "../styles/bulk.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="bulk.cancel", tooltip="Close; nothing is saved"),
    ]

    def __init__(self, records: Sequence[Mapping[str, Any]], *, hidden: int = 0) -> None:
        super().__init__()
        self.records = list(records)
        #: Marked organizations the organizations filter does not show: they are changed too.
        self.hidden = hidden

    def _hidden_line(self) -> Static:
        verb = "is" if self.hidden == 1 else "are"
        line = Static(f"{self.hidden:,} of the {len(self.records):,} {verb} hidden by the "
                      "filter, and changed too.", id="hidden-marked", classes="warning")
        line.display = self.hidden > 0
        return line

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def _counting_line(self) -> Static:
        line = Static("Counting what would change in the store…", id="counting",
                      classes="hint")
        line.display = False
        return line

    @work(exclusive=True, group="bulk-plan", exit_on_error=False,
          description="Counting what would change")
    async def _finish(self, changes: list[Change], words: Callable[[Counted], BulkPlan],
                      nothing: str) -> None:
        """Ask the store what ``changes`` would do now, then confirm that in ``words``; stay
        (saying ``nothing``) when nothing would change."""
        counting = self.query_one("#counting", Static)
        counting.display = True
        try:
            counted = await counted_by_store(self.session, changes) if changes else Counted()
        except StoreError as error:
            self.notify(str(error), title="Nothing saved", severity="error", timeout=10)
            return
        finally:
            counting.display = False
        if not counted.applied and not counted.meanwhile:
            self.notify(nothing, title="Nothing to save")
            return
        self.dismiss(words(counted))


class ApplySettingModal(_BulkModal):
    """Pick a setting, then a value or Use System, for every marked organization."""

    HELP_TITLE = "Apply setting (marked organizations)"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Arrows go between the setting list and its values, as between two columns.
        # Priority: the lists would scroll sideways; check_action lets the number field keep
        # its arrows.
        Binding("right", "to_values", "Values", key_display=ICONS.right, priority=True,
                id="bulk.to_values",
                tooltip="From the setting list to its values"),
        Binding("left", "to_settings", "Settings", key_display=ICONS.left, priority=True,
                id="bulk.to_settings",
                tooltip="From the values back to the setting list"),
    ]

    def __init__(self, records: Sequence[Mapping[str, Any]],
                 system: Mapping[str, Value] | None = None, *, hidden: int = 0) -> None:
        super().__init__(records, hidden=hidden)
        self.system = dict(system or {})
        self.setting: Setting = CATALOG[0]

    def compose(self) -> ComposeResult:
        count = organizations(len(self.records))
        settings = Vertical(
            Label("Setting", classes="field-label"),
            OptionList(*[Option(s.label, id=s.name) for s in CATALOG], id="settings",
                       compact=True),
            classes="column", id="settings-column")
        values = Vertical(
            Label("Value", classes="field-label", id="values-label"),
            OptionList(id="values", compact=True),
            # Refuses pasted controls; keeps a digit typed on the way in (no select-all).
            TextInput(id="number", compact=True, select_on_focus=False),
            classes="column", id="values-column")
        yield from dialog(
            f"Apply setting to {count}", self._hidden_line(),
            Horizontal(settings, values, classes="lists"),
            Static("", id="value-error", classes="error"), self._counting_line(),
            buttons=[Button("Apply… (Enter)", variant="primary", id="apply"),
                     Button("Cancel (Esc)", id="cancel")])

    def on_mount(self) -> None:
        self.query_one("#value-error").display = False
        self._show_values(CATALOG[0])
        self.query_one("#settings", OptionList).focus()

    def _show_values(self, setting: Setting) -> None:
        self.setting = setting
        # The value column names its setting: no doubt which setting the value is for.
        self.query_one("#values-label", Label).update(f"Value of {setting.label}")
        values = self.query_one("#values", OptionList)
        values.clear_options()
        inherited = setting.label_of(self.system.get(setting.name, setting.default))
        options = [Option(f"{USE_SYSTEM} ({inherited})", id="use-system")]
        if setting.type is SettingType.CHOICE:
            options += [Option(c.label, id=f"v:{c.value}") for c in setting.choices]
        elif setting.type is SettingType.BOOLEAN:
            options += [Option("Yes", id="v:true"), Option("No", id="v:false")]
        else:
            options.append(Option(f"A value ({setting.minimum} to {setting.maximum}):",
                                  id="number"))
        values.add_options(options)
        values.highlighted = 1
        number = self.query_one("#number", Input)
        number.display = setting.type is SettingType.INTEGER
        number.value = ""
        number.placeholder = f"{setting.minimum} to {setting.maximum}"
        self._error(None)

    def _error(self, message: str | None) -> None:
        widget = self.query_one("#value-error", Static)
        widget.update(message or "")
        widget.display = message is not None

    @on(OptionList.OptionHighlighted, "#settings")
    def _setting_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        assert event.option.id is not None
        if event.option.id != self.setting.name:
            self._show_values(BY_NAME[event.option.id])

    @on(OptionList.OptionSelected, "#settings")
    def _setting_selected(self) -> None:
        self.query_one("#values", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused
        if action == "to_values":
            return focused is not None and focused.id == "settings"
        if action == "to_settings":
            return focused is not None and focused.id == "values"
        return True

    def on_key(self, event: events.Key) -> None:
        # Digits typed in the value list are the value: they go into the number field, which
        # takes the rest (keys act one at a time, so the next digit finds it focused).
        values = self.query_one("#values", OptionList)
        char = event.character
        if self.setting.type is SettingType.INTEGER and values.has_focus and char is not None \
                and char.isdigit():
            event.stop()
            number = self.query_one("#number", Input)
            values.highlighted = 1  # "A value (1 to 86399)"
            number.focus()
            number.insert_text_at_cursor(char)

    def action_to_values(self) -> None:
        self.query_one("#values", OptionList).focus()

    def action_to_settings(self) -> None:
        self.query_one("#settings", OptionList).focus()

    @on(OptionList.OptionSelected, "#values")
    def _value_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "number" and not self.query_one("#number", Input).value:
            self.query_one("#number", Input).focus()
            return
        self._apply()

    @on(Input.Changed, "#number")
    def _number_typed(self) -> None:
        values = self.query_one("#values", OptionList)
        values.highlighted = 1
        self._error(None)

    @on(Input.Submitted, "#number")
    def _number_submitted(self) -> None:
        self._apply()

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self._apply()

    def _value(self) -> tuple[bool, Value | None]:
        """(ok, value): the value picked, None for Use System; inline error when not ok."""
        option = self.query_one("#values", OptionList).highlighted_option
        if option is None or option.id == "use-system":
            return True, None
        if option.id == "number":
            text = self.query_one("#number", Input).value
            try:
                return True, self.setting.parse(text)
            except InvalidValue:
                self._error(f"{self.setting.label} must be {self.setting.allowed}.")
                self.query_one("#number", Input).focus()
                return False, None
        assert option.id is not None
        return True, self.setting.parse(option.id.removeprefix("v:"))

    def _apply(self) -> None:
        ok, value = self._value()
        if ok:
            setting, system = self.setting, self.system
            self._finish(apply_changes(self.records, setting, value),
                         lambda counted: apply_plan(self.records, setting, value, system,
                                                    counted),
                         "Nothing to change: the marked organizations already have it.")


class ResetOverridesModal(_BulkModal):
    """Remove the marked organizations' overrides: of every setting, or of one."""

    def __init__(self, records: Sequence[Mapping[str, Any]], *, hidden: int = 0,
                 damaged: Sequence[DamagedValue] = ()) -> None:
        super().__init__(records, hidden=hidden)
        self.damaged = damaged_names(damaged)

    def compose(self) -> ComposeResult:
        count = organizations(len(self.records))
        overrides = [stored_names(r, self.damaged) for r in self.records]
        total = sum(len(o) for o in overrides)
        options = [Option(f"Every setting ({total:,} overrides)", id="all")]
        for setting in CATALOG:
            having = sum(setting.name in o for o in overrides)
            if having:
                options.append(Option(f"{setting.label} ({organizations(having)})",
                                      id=setting.name))
        yield from dialog(
            f"Reset overrides of {count}", self._hidden_line(),
            Label("Which settings go back to Use System", classes="field-label"),
            OptionList(*options, id="reset-what", compact=True), self._counting_line(),
            buttons=[Button("Reset… (Enter)", variant="warning", id="reset"),
                     Button("Cancel (Esc)", id="cancel")])

    def on_mount(self) -> None:
        self.query_one("#reset-what", OptionList).focus()

    @on(OptionList.OptionSelected, "#reset-what")
    @on(Button.Pressed, "#reset")
    def _reset(self) -> None:
        option = self.query_one("#reset-what", OptionList).highlighted_option
        which = None if option is None or option.id == "all" else BY_NAME[str(option.id)]
        self._finish(reset_changes(self.records, which, self.damaged),
                     lambda counted: reset_plan(self.records, which, self.damaged, counted),
                     "None of the marked organizations override that now.")


def confirm_screen(plan: BulkPlan) -> ModalScreen[bool]:
    """The confirmation that names how many organizations and what changes."""
    from outlook_tui.app.screens.confirm import ConfirmModal

    return ConfirmModal(plan.title, plan.message, confirm_label="Save")


__all__ = ["ApplySettingModal", "BulkPlan", "Counted", "ResetOverridesModal", "apply_changes",
           "apply_plan", "confirm_screen", "counted_by_store", "damaged_names", "reset_changes",
           "reset_plan", "stored_names"]
