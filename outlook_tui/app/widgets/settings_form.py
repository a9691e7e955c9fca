"""The MS Outlook Settings form, drawn from the catalog: one field per setting, fieldsets in
Oro's order, each field with its Use System (Use default) checkbox.

The form model (``outlook_tui.form_model``) holds the state; these widgets show it and report
what the person does. Adding a setting to the catalog adds its field here with no other edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.validation import Function
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select, Static

from outlook_tui.app.icons import ICONS
from outlook_tui.app.safe import data, plain
from outlook_tui.app.widgets.text_input import TextInput
from outlook_tui.app.widgets.toggles import TickBox
from outlook_tui.catalog import FIELDSETS, Scope, Setting, SettingType, in_fieldset
from outlook_tui.form_model import Field, FormModel, field_error, shown
from outlook_tui.store import Snapshot

_SOURCE_WORDS = {
    Scope.ORGANIZATION: "organization",
    Scope.SYSTEM: "system",
    Scope.DEFAULT: "default",
}


def _value_control(setting: Setting) -> Widget:
    """Oro's control for the setting's type: a choice list, a number field, a checkbox."""
    control_id = f"value-{setting.name}"
    if setting.type is SettingType.CHOICE:
        return Select(
            [(choice.label, choice.value) for choice in setting.choices],
            allow_blank=False, value=setting.default, compact=True, id=control_id,
            classes="value-control value-choice")
    if setting.type is SettingType.INTEGER:
        # TextInput: a paste carrying a control character is refused, never shown raw.
        return TextInput(
            str(setting.default),
            validators=[Function(lambda text: field_error(setting, text) is None,
                                 f"must be {setting.allowed}")],
            validate_on=["changed"], compact=True, id=control_id,
            classes="value-control value-integer")
    return TickBox(setting.label, bool(setting.default), compact=True, id=control_id,
                    classes="value-control value-boolean")


class SettingField(Vertical):
    """One setting: its label and description, the checkbox, the value, where the value comes
    from, and what to know about it (errors, notes, changes saved meanwhile)."""

    def __init__(self, setting: Setting, inherit_label: str) -> None:
        super().__init__(id=f"field-{setting.name}", classes="setting-field")
        self.setting = setting
        self.inherit_label = inherit_label

    def compose(self) -> ComposeResult:
        setting = self.setting
        yield Static(Text(setting.label, style="bold"), classes="field-label")
        yield Static(setting.description, classes="field-description")
        with Horizontal(classes="field-row"):
            yield TickBox(self.inherit_label, True, compact=True, id=f"inherit-{setting.name}",
                           classes="inherit")
            yield _value_control(setting)
        # On a line of its own: beside the value it would not fit 55 columns at 80x24.
        yield Static("", id=f"source-{setting.name}", classes="field-source")
        yield Static("", id=f"error-{setting.name}", classes="field-error")
        yield Static("", id=f"notes-{setting.name}", classes="field-notes")

    @property
    def inherit_box(self) -> Checkbox:
        return self.query_one(f"#inherit-{self.setting.name}", Checkbox)

    @property
    def control(self) -> Widget:
        return self.query_one(f"#value-{self.setting.name}")

    def show(self, field: Field, model: FormModel, note: str | None, read_only: bool) -> None:
        """Draw ``field`` without echoing change events back to the form."""
        setting = self.setting
        with self.prevent(Checkbox.Changed, Select.Changed, Input.Changed):
            box = self.inherit_box
            if box.value != field.inherit:
                box.value = field.inherit
            box.disabled = read_only
            control = self.control
            value = field.inherited if field.inherit else field.value
            if isinstance(control, Select):
                if control.value != value:
                    control.value = value
            elif isinstance(control, Input):
                if control.value != str(value):
                    control.value = str(value)
                    control.cursor_position = len(control.value)
            elif isinstance(control, Checkbox) and control.value != bool(value):
                control.value = bool(value)
            control.disabled = read_only or field.inherit

        source = _SOURCE_WORDS[model.source(setting.name)]
        line = Text("from ")
        line.append(source, style="bold")
        if field.dirty:
            line.append(f" {ICONS.dot} not saved", style="italic")
        self.query_one(f"#source-{setting.name}", Static).update(line)

        error = field.error
        error_line = self.query_one(f"#error-{setting.name}", Static)
        error_line.update(data(error or ""))
        error_line.display = error is not None
        self.set_class(error is not None, "-invalid")

        notes: list[Text] = []
        if note is not None and setting.effective_when is not None:
            notes.append(Text(f"Note: {note}.", style="italic"))
        if field.chosen_stale:
            above = "the default" if field.inherited_source is Scope.DEFAULT else "System"
            # Someone who cannot change anything is not told to tick a box.
            advice = (f" An admin can tick {model.inherit_label} to follow." if read_only
                      else f" Tick {model.inherit_label} to follow.")
            notes.append(Text(
                f"{ICONS.warning} Same as {above} ({setting.label_of(field.inherited)}): "
                f"this value is stored and no longer follows changes to {above}.{advice}"))
        if field.removes_damaged:
            notes.append(Text(
                f"{ICONS.warning} Stored in Oro's database: {field.damaged}. Saving removes "
                f"that row ({model.inherit_label})."))
        elif field.damaged is not None:
            notes.append(Text(
                f"{ICONS.warning} Stored in Oro's database: {field.damaged}. Shown as "
                "inherited; a value saved here replaces it. To remove the row, clear "
                f"{model.inherit_label}, tick it again and save."))
        if field.meanwhile:
            who = f" by {plain(field.meanwhile_by)}" if field.meanwhile_by else ""  # a user name
            notes.append(Text(
                f"{ICONS.warning} Saved meanwhile{who}: "
                f"{shown(setting, field.latest_stored, model.organization_id)}"
                " (saving asks which to keep)"))
        notes_line = self.query_one(f"#notes-{setting.name}", Static)
        notes_line.update(Text("\n").join(notes))
        notes_line.display = bool(notes)


class SettingsForm(VerticalScroll):
    """MS Outlook Settings of one scope: "Integration settings", then "Synchronization
    settings", then the Save Settings button."""

    class Edited(Message):
        """The person changed a field (the form may now differ from the store)."""

    class SaveRequested(Message):
        """The Save Settings button was pressed."""

    def __init__(self, organization_id: int | None, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="settings-form")
        self.model = FormModel(organization_id)
        self.loaded = False
        self.read_only = False

    def compose(self) -> ComposeResult:
        for fieldset in FIELDSETS:
            settings = list(in_fieldset(fieldset))
            if not settings:
                continue
            yield Static(Text(fieldset, style="bold"), classes="fieldset-title")
            for setting in settings:
                yield SettingField(setting, self.model.inherit_label)
        with Horizontal(classes="form-buttons"):
            yield Button("Save Settings", variant="primary", compact=True, id="save-settings")

    # -- from the store ------------------------------------------------------------------------

    def load(self, snapshot: Snapshot) -> bool:
        """Start over from ``snapshot``; False when the organization is not in it (yet)."""
        if not self.model.load(snapshot):
            return False
        self.loaded = True
        self.show_all()
        return True

    def refresh_from(self, snapshot: Snapshot, who: Mapping[str, str] | None = None) -> None:
        """Another revision: untouched fields follow it, edited ones say what was saved."""
        if not self.loaded:
            self.load(snapshot)
            return
        self.model.refresh(snapshot, who)
        self.show_all()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.query_one("#save-settings", Button).disabled = read_only
        if self.loaded:
            self.show_all()

    def show_all(self, names: Iterable[str] | None = None) -> None:
        note = self.model.note()
        wanted = set(names) if names is not None else None
        for widget in self.query(SettingField):
            name = widget.setting.name
            current = self.model.fields.get(name)
            if current is None or (wanted is not None and name not in wanted
                                   and widget.setting.effective_when is None):
                continue
            widget.show(current, self.model, note, self.read_only)

    # -- from the person -----------------------------------------------------------------------

    def _field_of(self, widget: Widget) -> str | None:
        for node in widget.ancestors:
            if isinstance(node, SettingField):
                return node.setting.name
        return None

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        name = self._field_of(event.checkbox)
        if name is None or not self.loaded:
            return
        event.stop()
        if event.checkbox.has_class("inherit"):
            self.model.set_inherit(name, event.value)
        else:
            self.model.set_value(name, event.value)
        self._edited(name)

    def on_select_changed(self, event: Select.Changed) -> None:
        name = self._field_of(event.select)
        if name is None or not self.loaded or event.select.disabled:
            return
        event.stop()
        if isinstance(event.value, str):
            self.model.set_value(name, event.value)
            self._edited(name)

    def on_input_changed(self, event: Input.Changed) -> None:
        name = self._field_of(event.input)
        if name is None or not self.loaded or event.input.disabled:
            return
        event.stop()
        self.model.set_value(name, event.value)
        self._edited(name)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save-settings":
            event.stop()
            self.post_message(self.SaveRequested())

    def _edited(self, name: str) -> None:
        self.show_all([name])
        self.post_message(self.Edited())

    # -- focus ---------------------------------------------------------------------------------

    def focus_first(self) -> None:
        """The first field's checkbox, or the form itself when nothing can be edited."""
        boxes = [f.inherit_box for f in self.query(SettingField)]
        if boxes and not boxes[0].disabled:
            boxes[0].focus()
        else:
            self.focus()

    def focus_field(self, name: str) -> None:
        """The field's value control (where the problem is), scrolled into view."""
        field = self.query_one(f"#field-{name}", SettingField)
        target = field.control if not field.control.disabled else field.inherit_box
        target.focus()
        self.scroll_to_widget(field, animate=False)
