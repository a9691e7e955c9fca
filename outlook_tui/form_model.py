"""The MS Outlook Settings form without a screen: what each field holds, what it is checked
against, and which store changes saving it makes.

One scope at a time: an organization (its checkboxes say "Use System") or the system level
("Use default"). The terminal app draws this model; tests drive it directly. No Textual here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from outlook_tui.catalog import CATALOG, Scope, Setting, SettingType, Value, same_value
from outlook_tui.scopes import EffectiveValue, conflict_resolution_note
from outlook_tui.store.changes import SettingChange
from outlook_tui.store.errors import Conflict
from outlook_tui.store.snapshot import Snapshot


def inherit_label(organization_id: int | None) -> str:
    """Oro's checkbox: "Use System" for an organization, "Use default" at system level."""
    return "Use default" if organization_id is None else "Use System"


def field_error(setting: Setting, text: str) -> str | None:
    """The message shown under a field for what was typed, or None when it is acceptable."""
    try:
        setting.parse(text)
    except ValueError:
        return f"must be {setting.allowed}"
    return None


def shown(setting: Setting, value: Value | None, organization_id: int | None) -> str:
    """A stored value as Oro labels it; None (not stored) as the checkbox that says so."""
    if value is None:
        return inherit_label(organization_id)
    return setting.label_of(value)


def setting_changes(
    organization_id: int | None,
    loaded: Mapping[str, Value],
    wanted: Mapping[str, Value | None],
) -> list[SettingChange]:
    """The changes that take one scope from what it ``loaded`` (the stored values the form
    started from) to what is ``wanted`` (None: Use System / Use default), in catalog order.

    A value equal to the inherited one is still stored: the person cleared the checkbox.
    ``True`` and ``1`` differ here, as they do in the store.
    """
    changes: list[SettingChange] = []
    for setting in CATALOG:
        if setting.name not in wanted:
            continue
        old = loaded.get(setting.name)
        new = wanted[setting.name]
        if same_value(old, new):
            continue
        changes.append(SettingChange(organization_id, setting.name, old, new))
    return changes


@dataclass
class Field:
    """One setting in the form.

    ``stored``/``inherited`` are what the form started from (the base of the next save);
    ``latest_*`` follow the store as others change it, so a field the person has edited can say
    "saved meanwhile" instead of being overwritten.
    """

    setting: Setting
    stored: Value | None
    inherited: Value
    inherited_source: Scope
    inherit: bool
    #: The value control's content: the value itself, or the text typed for an interval.
    value: Value | str
    latest_stored: Value | None = None
    latest_inherited: Value | None = None
    meanwhile_by: str | None = None
    #: A stored value the store could not accept (Oro's database: out of range...), in words
    #: naming its row; the field shows the inherited value until one is set.
    damaged: str | None = None
    #: The person ticked the checkbox of a damaged field again (clear, tick): saving removes
    #: the damaged row, as resetting it does from the command line.
    remove_damaged: bool = False
    #: The person picked or typed a value since the form started (clearing the checkbox alone
    #: only shows the inherited value: no value is chosen yet).
    picked: bool = False

    @property
    def name(self) -> str:
        return self.setting.name

    @property
    def error(self) -> str | None:
        """What is wrong with the value; a field that inherits is never checked (as in Oro)."""
        if self.inherit:
            return None
        return field_error(self.setting, str(self.value))

    @property
    def wanted(self) -> Value | None:
        """What saving stores (None: nothing, inherit). Only meaningful without an error."""
        if self.inherit:
            return None
        if isinstance(self.value, str) and self.setting.type is not SettingType.CHOICE:
            return self.setting.parse(self.value)
        return self.value

    @property
    def current(self) -> Value:
        """The value the form stands for now: the inherited one, or the (valid) own value."""
        if self.inherit:
            return self.inherited
        if self.error is not None:
            return self.stored if self.stored is not None else self.inherited
        wanted = self.wanted
        assert wanted is not None
        return wanted

    @property
    def removes_damaged(self) -> bool:
        """Saving deletes the damaged row this field stands over (and stores nothing)."""
        return self.inherit and self.remove_damaged and self.damaged is not None \
            and self.stored is None

    @property
    def dirty(self) -> bool:
        """The person changed this field: its stored state would differ from the base."""
        if self.inherit:
            return self.stored is not None or self.removes_damaged
        if self.error is not None:
            return True
        wanted = self.wanted
        return not same_value(wanted, self.stored)

    @property
    def meanwhile(self) -> bool:
        """Someone else saved another value for this scope since the form started from it."""
        return not same_value(self.latest_stored, self.stored)

    @property
    def stale(self) -> bool:
        """An own value equal to the inherited one: it no longer follows changes upstream."""
        if self.inherit or self.error is not None:
            return False
        return same_value(self.current, self.inherited)

    @property
    def chosen_stale(self) -> bool:
        """A stale own value the person has chosen (stored, or picked in the form): the one a
        warning is about. Right after clearing the checkbox, before any value is picked, the
        control shows the inherited value; that is not a choice yet."""
        return self.stale and (self.picked or self.stored is not None)

    def describe(self, inherit_label: str) -> str:
        """What the form holds for this field, in Oro's words, for a question about leaving:
        ``Sync Direction: Outlook to OroCRM (saved: Use System)``, or why it is invalid."""
        def words(value: Value | None) -> str:
            return inherit_label if value is None else self.setting.label_of(value)

        label = self.setting.label
        if self.error is not None:
            return f"{label}: {str(self.value)!r} is invalid, it {self.error}"
        if self.removes_damaged:
            return f"{label}: {inherit_label} (removes the damaged value stored)"
        now = f"{inherit_label} ({self.setting.label_of(self.inherited)})" if self.inherit \
            else words(self.wanted)
        return f"{label}: {now} (saved: {words(self.stored)})"

    def text(self) -> str:
        """What an interval's input shows."""
        return str(self.value)


@dataclass
class FormModel:
    """The MS Outlook Settings form of one scope."""

    organization_id: int | None
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def scope(self) -> Scope:
        return Scope.SYSTEM if self.organization_id is None else Scope.ORGANIZATION

    @property
    def inherit_label(self) -> str:
        return inherit_label(self.organization_id)

    # -- reading the store ---------------------------------------------------------------------

    def _stored_in(self, snapshot: Snapshot) -> Mapping[str, Value] | None:
        if self.organization_id is None:
            return snapshot.system
        org = snapshot.get(self.organization_id)
        return None if org is None else org.overrides

    def load(self, snapshot: Snapshot) -> bool:
        """Start every field from ``snapshot``; False when the organization is not in it."""
        stored = self._stored_in(snapshot)
        if stored is None:
            return False
        values = snapshot.effective(self.organization_id)
        damaged = self._damaged_in(snapshot)
        self.fields = {}
        for setting in CATALOG:
            self.fields[setting.name] = self._fresh(setting, stored, values[setting.name])
            self.fields[setting.name].damaged = damaged.get(setting.name)
        return True

    def _damaged_in(self, snapshot: Snapshot) -> dict[str, str]:
        return {d.name: d.stored for d in snapshot.damaged
                if d.organization_id == self.organization_id}

    def _fresh(self, setting: Setting, stored: Mapping[str, Value],
               value: EffectiveValue) -> Field:
        own = stored.get(setting.name)
        return Field(
            setting=setting, stored=own, inherited=value.inherited,
            inherited_source=value.inherited_source, inherit=own is None,
            value=value.value, latest_stored=own, latest_inherited=value.inherited)

    def refresh(self, snapshot: Snapshot, who: Mapping[str, str] | None = None) -> list[str]:
        """Follow a newer store: fields the person has not touched take the new values; edited
        ones keep the person's value and base, and remember what was saved meanwhile (and by
        ``who``, by setting name). Returns the names of the fields that changed."""
        stored = self._stored_in(snapshot)
        if stored is None:
            return []
        values = snapshot.effective(self.organization_id)
        damaged = self._damaged_in(snapshot)
        changed = []
        for setting in CATALOG:
            old = self.fields.get(setting.name)
            fresh = self._fresh(setting, stored, values[setting.name])
            fresh.damaged = damaged.get(setting.name)
            if old is not None and old.damaged != fresh.damaged:
                old.damaged = fresh.damaged
                changed.append(setting.name)
            if old is None or not old.dirty:
                if old is None or (old.stored, old.inherited, old.inherit, old.value) != (
                        fresh.stored, fresh.inherited, fresh.inherit, fresh.value):
                    changed.append(setting.name)
                self.fields[setting.name] = fresh
                continue
            before = (old.latest_stored, old.latest_inherited, old.inherited)
            old.latest_stored = fresh.stored
            old.latest_inherited = fresh.inherited
            # What inheriting means follows the store even while the person edits.
            old.inherited, old.inherited_source = fresh.inherited, fresh.inherited_source
            if old.meanwhile and who and setting.name in who:
                old.meanwhile_by = who[setting.name]
            if not old.meanwhile:
                old.meanwhile_by = None
            if before != (old.latest_stored, old.latest_inherited, old.inherited):
                changed.append(setting.name)
        return changed

    def take_theirs(self, conflicts: Iterable[Conflict]) -> list[str]:
        """After a conflict, "take theirs": those fields show what the other admin saved and
        become the base; every other edit stays in the form."""
        names = []
        for conflict in conflicts:
            if conflict.organization_id != self.organization_id:
                continue
            current = self.fields.get(conflict.key)
            if current is None:
                continue
            theirs = conflict.theirs
            assert theirs is None or isinstance(theirs, str | int | bool)
            current.stored = current.latest_stored = theirs
            current.inherit = theirs is None
            current.value = current.inherited if theirs is None else theirs
            current.meanwhile_by = None
            names.append(conflict.key)
        return names

    # -- what the person does ------------------------------------------------------------------

    def set_inherit(self, name: str, inherit: bool) -> None:
        """Tick or clear the checkbox. Ticking keeps the field's own value aside (the control
        shows the inherited one), so clearing it again brings that value back: the stored
        override, or what the person had typed. A field that never had one of its own starts
        from the inherited value."""
        current = self.fields[name]
        if current.inherit == inherit:
            return
        current.inherit = inherit
        # A damaged field starts ticked yet has a row of its own: ticking it once more is
        # how the person says "remove that row".
        current.remove_damaged = inherit and current.damaged is not None
        self._adopt_if_clean(current)

    def set_value(self, name: str, value: Value | str) -> None:
        current = self.fields[name]
        current.value = value
        current.picked = True
        self._adopt_if_clean(current)

    def _adopt_if_clean(self, current: Field) -> None:
        # Back to where it started while the store moved on: show the store as it is now.
        if not current.dirty and current.meanwhile:
            current.stored = current.latest_stored
            current.inherit = current.stored is None
            current.value = current.inherited if current.stored is None else current.stored
            current.meanwhile_by = None

    # -- saving --------------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return any(f.dirty for f in self.fields.values())

    def unsaved(self) -> list[str]:
        """Each changed field in words (invalid ones first: they stop a save), for the
        question asked before leaving with unsaved changes."""
        changed = [f for f in self.fields.values() if f.dirty]
        changed.sort(key=lambda f: f.error is None)
        return [f.describe(self.inherit_label) for f in changed]

    def errors(self) -> dict[str, str]:
        """Invalid fields by name, in form order."""
        return {f.name: f.error for f in self.fields.values() if f.error is not None}

    def changes(self) -> list[SettingChange]:
        """What saving writes; call only when :meth:`errors` is empty."""
        loaded = {f.name: f.stored for f in self.fields.values() if f.stored is not None}
        wanted = {f.name: f.wanted for f in self.fields.values()}
        changes = setting_changes(self.organization_id, loaded, wanted)
        # Nothing stored before or after, yet a row goes: the store deletes a damaged row for
        # a change to None (it checks the row still holds what was shown).
        removed = {f.name for f in self.fields.values() if f.removes_damaged}
        changes += [SettingChange(self.organization_id, name, None, None) for name in removed]
        order = [s.name for s in CATALOG]
        return sorted(changes, key=lambda change: order.index(change.name))

    def effective(self) -> dict[str, EffectiveValue]:
        """The form's current (unsaved) values as effective values, for notes that depend on
        other fields."""
        result = {}
        for f in self.fields.values():
            source = f.inherited_source if f.inherit else self.scope
            result[f.name] = EffectiveValue(f.setting, f.current, source, f.inherited,
                                            f.inherited_source)
        return result

    def note(self) -> str | None:
        """Conflict Resolution's note, following the form's current direction."""
        return conflict_resolution_note(self.effective())

    def source(self, name: str) -> Scope:
        """Where the field's current value comes from."""
        current = self.fields[name]
        return current.inherited_source if current.inherit else self.scope
