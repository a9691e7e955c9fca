"""Create or edit an organization: Name (required, unique), Status, Description, as Oro's
organization form has them. Dismisses with the organization's id once saved, None if cancelled."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from outlook_tui.app.messages import SnapshotChanged
from outlook_tui.app.safe import data
from outlook_tui.app.screens.dialog import dialog
from outlook_tui.app.session import SessionModal
from outlook_tui.app.widgets.text_input import TextInput
from outlook_tui.app.widgets.toggles import ArrowChoice, RadioChoice
from outlook_tui.store import (
    Change,
    Conflict,
    InputError,
    NewOrganization,
    Organization,
    OrganizationChange,
    StoreError,
)
from outlook_tui.store.changes import DESCRIPTION_MAX_LENGTH
from outlook_tui.text import name_problem, printable


def name_error(name: str, records: list[dict[str, Any]], own_id: int | None) -> str | None:
    """Why ``name`` (already trimmed) cannot be saved, or None. Unique ignoring case, as Oro's
    database (a case-insensitive collation) enforces it."""
    if not name:
        return "Name is required."
    problem = name_problem(name)
    if problem is not None:
        return f"Name: {problem}."
    folded = name.casefold()
    for record in records:
        if record["name"].casefold() == folded and record["id"] != own_id:
            return f"An organization named “{record['name']}” already exists."
    return None


class OrganizationFormModal(SessionModal[int | None]):
    """Oro's organization form. Enter saves, Escape cancels."""

    HELP_TITLE = "Create / edit organization"
    CSS_PATH = "../styles/organization_form.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,ctrl+s", "save", "Save", priority=True, id="organization_form.save",
                tooltip="Save the organization"),
        Binding("escape", "cancel", "Cancel", id="organization_form.cancel",
                tooltip="Close without saving"),
    ]

    def __init__(self, organization: Organization | None) -> None:
        super().__init__()
        self.organization = organization
        #: What the user started from: the ``old`` of each change, kept per field.
        self._base: dict[str, Any] = {
            "name": organization.name if organization else "",
            "description": organization.description if organization else "",
            "enabled": organization.enabled if organization else True,
        }
        self._touched: set[str] = set()
        self._saving = False

    def compose(self) -> ComposeResult:
        org = self.organization
        title = "Create organization" if org is None else f"Edit organization: {org.name}"
        yield from dialog(
            title,
            Label("Name [b]*[/b]", classes="field-label"),
            # A name edited into the file by hand may hold control characters: the field shows
            # it escaped, and saving the form unchanged keeps the stored name (see _changes).
            TextInput(printable(self._base["name"]), id="name", max_length=255),
            Static("", id="name-error", classes="error"),
            Label("Status", classes="field-label"),
            ArrowChoice(RadioChoice("Active", value=self._base["enabled"], id="active"),
                        RadioChoice("Inactive", value=not self._base["enabled"], id="inactive"),
                        id="status"),
            Label("Description", classes="field-label"),
            TextInput(self._shown("description", self._base["description"]),
                      id="description", max_length=DESCRIPTION_MAX_LENGTH),
            Static("", id="description-note", classes="note"),
            Static("", id="form-error", classes="error"),
            buttons=[Button("Save (Enter)", variant="primary", id="save"),
                     Button("Cancel (Esc)", id="cancel")])

    def on_mount(self) -> None:
        self.query_one("#name-error").display = False
        self.query_one("#form-error").display = False
        self._note_cut_description()
        self.query_one("#name", Input).focus()

    # -- fields ----------------------------------------------------------------------------

    @staticmethod
    def _shown(field: str, value: object) -> str:
        """A stored value as its field shows it: escaped, and a description cut to what the
        field edits (a 20 MB one would make every key take seconds)."""
        text = str(value)
        if field == "description":
            return printable(text[:DESCRIPTION_MAX_LENGTH])[:DESCRIPTION_MAX_LENGTH]
        return printable(text)

    def _note_cut_description(self) -> None:
        stored = len(self._base["description"])
        note = self.query_one("#description-note", Static)
        note.update(f"The stored description has {stored:,} characters: the first "
                    f"{DESCRIPTION_MAX_LENGTH:,} are shown. It is kept whole unless you "
                    "edit it.")
        note.display = stored > DESCRIPTION_MAX_LENGTH

    def _enabled(self) -> bool:
        return self.query_one("#active", RadioButton).value

    @on(Input.Changed, "#name")
    def _name_changed(self) -> None:
        self._touched.add("name")
        self._show_error("#name-error", None)

    @on(TextInput.Refused)
    def _refused(self, event: TextInput.Refused) -> None:
        """A paste with a control character: refused, and said under the field."""
        field = "Name" if event.input.id == "name" else "Description"
        self._show_error("#name-error" if field == "Name" else "#form-error",
                         f"{field}: {event.problem}.")

    @on(Input.Changed, "#description")
    def _description_changed(self) -> None:
        self._touched.add("description")

    @on(RadioSet.Changed, "#status")
    def _status_changed(self) -> None:
        self._touched.add("enabled")

    def _show_error(self, where: str, message: str | None) -> None:
        widget = self.query_one(where, Static)
        widget.update(data(message or "", keep="\n"))
        widget.display = message is not None

    def on_snapshot_changed(self, event: SnapshotChanged) -> None:
        """Someone saved meanwhile: refresh what the user has not touched."""
        if self.organization is None:
            return
        current = event.snapshot.get(self.organization.id)
        if current is None:
            self._show_error("#form-error", "This organization no longer exists.")
            return
        fresh = {"name": current.name, "description": current.description,
                 "enabled": current.enabled}
        for field, value in fresh.items():
            if field in self._touched or self._base[field] == value:
                continue
            self._base[field] = value
            if field == "enabled":
                with self.prevent(RadioSet.Changed):
                    self.query_one("#active" if value else "#inactive", RadioButton).value = True
            else:
                widget = self.query_one(f"#{field}", Input)
                with self.prevent(Input.Changed):
                    widget.value = self._shown(field, value)
        self._note_cut_description()

    # -- saving ----------------------------------------------------------------------------

    def _changes(self, name: str, description: str, enabled: bool) -> list[Change]:
        if self.organization is None:
            return [NewOrganization(name=name, description=description, enabled=enabled)]
        org_id = self.organization.id
        wanted = {"name": name, "description": description, "enabled": enabled}
        return [
            OrganizationChange(org_id, column, self._base[column], value)  # type: ignore[arg-type]
            for column, value in wanted.items()
            if not self._unchanged(column, value)
        ]

    def _unchanged(self, column: str, value: object) -> bool:
        """The field still shows what is stored (escaped, cut, trimmed as the field shows
        it): saving keeps the stored value whole."""
        base = self._base[column]
        if value == base:
            return True
        shown = self._shown(column, base)
        return isinstance(value, str) and value in (shown, shown.strip())

    def action_save(self) -> None:
        focused = self.focused
        if isinstance(focused, Button) and focused.id == "cancel":
            self.dismiss(None)
            return
        self._save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self._save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def _take_theirs(self, conflicts: list[Conflict]) -> None:
        """The fields that conflicted show what was saved meanwhile, and become the base."""
        for conflict in conflicts:
            if self.organization is None or conflict.organization_id != self.organization.id:
                continue
            self._base[conflict.key] = conflict.theirs
            self._touched.discard(conflict.key)
            if conflict.key == "enabled":
                with self.prevent(RadioSet.Changed):
                    self.query_one("#active" if conflict.theirs else "#inactive",
                                   RadioButton).value = True
            else:
                with self.prevent(Input.Changed):
                    self.query_one(f"#{conflict.key}", Input).value = \
                        self._shown(conflict.key, conflict.theirs)
        self._note_cut_description()

    @work(exclusive=True, group="organization-save", exit_on_error=False,
          description="Saving the organization")
    async def _save(self) -> None:
        if self._saving:
            return
        snapshot = self.session.snapshot
        name = self.query_one("#name", Input).value.strip()
        description = self.query_one("#description", Input).value.strip()
        enabled = self._enabled()
        own_id = self.organization.id if self.organization else None
        problem = name_error(name, snapshot.records if snapshot else [], own_id)
        if problem is not None:
            self._show_error("#name-error", problem)
            self.query_one("#name", Input).focus()
            return
        changes = self._changes(name, description, enabled)
        if not changes:
            self.notify("Nothing changed.")
            self.dismiss(own_id)
            return
        self._saving = True
        self._show_error("#form-error", None)
        from outlook_tui.app.saving import notify_saved, save_changes
        from outlook_tui.store.saving import Outcome

        try:
            saved = await save_changes(self, changes, save_rest_after_theirs=False)
        except InputError as error:
            # A typed error names its field (a taken name: under Name).
            self._show_error("#name-error" if error.field == "name" else "#form-error",
                             str(error))
            return
        except StoreError as error:
            self._show_error("#form-error", f"Not saved: {error}")
            return
        finally:
            self._saving = False
        if saved.outcome is Outcome.TOOK_THEIRS:
            self._take_theirs(saved.conflicts)
            self.notify("Their values are in the form; your other edits are not saved yet "
                        "(Save: Enter).", title="Nothing saved")
            return
        if saved.outcome in (Outcome.CANCELLED, Outcome.GAVE_UP):
            if saved.outcome is Outcome.CANCELLED:
                self.notify("Your edits are still in the form.", title="Nothing saved")
            return
        applied = saved.result.applied if saved.result is not None else []
        if own_id is None:
            created = next((a.organization_id for a in applied
                            if a.key == "organization"), None)
            notify_saved(self, f"Organization “{name}” created.", saved.result)
            self.dismiss(created)
        else:
            notify_saved(self, f"Organization “{name}” saved.", saved.result)
            self.dismiss(own_id)


__all__ = ["OrganizationFormModal", "name_error"]
