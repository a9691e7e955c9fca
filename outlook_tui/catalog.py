"""The settings catalog: every fact about Oro's MS Outlook settings, in one place.

The form, the command line, validation, the store's pydantic models and its JSON Schema all read
this module; nothing else spells out a key, a label, a default or a range. Adding a setting is one
entry below: a ``Setting(...)``, or ``_interval(...)`` / ``_synchronized(...)`` for another sync
interval or kind of record.

Facts follow ``shared/oro-reference.md`` (OroCRM Enterprise's ``oro_crm_pro_outlook`` section).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from outlook_tui.text import quoted

SECTION = "oro_crm_pro_outlook"

#: Where the page sits in Oro's configuration tree (System Configuration > Integrations > ...).
PAGE_PATH: tuple[str, ...] = ("System Configuration", "Integrations", "MS Outlook Settings")

INTEGRATION_SETTINGS = "Integration settings"
SYNCHRONIZATION_SETTINGS = "Synchronization settings"
#: Fieldsets shown at organization level, in Oro's order (the XAML "MS Outlook Add-in" fieldset
#: is global-only and not managed here).
FIELDSETS: tuple[str, ...] = (INTEGRATION_SETTINGS, SYNCHRONIZATION_SETTINGS)


class SettingType(StrEnum):
    CHOICE = "choice"
    INTEGER = "integer"
    BOOLEAN = "boolean"


class Scope(StrEnum):
    """Where a value can come from, most specific first (Oro: organization, global/app, code)."""

    ORGANIZATION = "organization"
    SYSTEM = "system"
    DEFAULT = "default"


Value = str | int | bool


def same_value(a: object, b: object) -> bool:
    """Whether two stored values (None: not stored) are the same. ``True == 1`` in Python, but
    a stored boolean is not the number 1: a change from one to the other is a change."""
    return a == b and type(a) is type(b)

_TRUE_WORDS = frozenset({"true", "yes", "1", "on", "enabled", "y"})
_FALSE_WORDS = frozenset({"false", "no", "0", "off", "disabled", "n"})


class InvalidValue(ValueError):
    """A value a setting does not accept; the message says what is allowed."""


@dataclass(frozen=True, slots=True)
class Choice:
    value: str  # what Oro stores
    label: str  # what Oro shows
    short: str = ""  # compact form for tables at 80 columns (the label if empty)


@dataclass(frozen=True, slots=True)
class Setting:
    name: str  # the part after the dot: the key used in the store
    label: str
    description: str
    fieldset: str
    type: SettingType
    default: Value
    short_label: str  # column header where space is tight (80 columns)
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    #: Another setting's (name, value) under which this one has an effect; shown as a note.
    effective_when: tuple[str, str] | None = None

    @property
    def key(self) -> str:
        """The full Oro key, e.g. ``oro_crm_pro_outlook.contacts_sync_direction``."""
        return f"{SECTION}.{self.name}"

    @property
    def allowed(self) -> str:
        """What the setting accepts, in words, for error messages and help."""
        if self.type is SettingType.CHOICE:
            return "one of " + ", ".join(f"{c.value} ({c.label})" for c in self.choices)
        if self.type is SettingType.INTEGER:
            return f"a whole number from {self.minimum} to {self.maximum}"
        return "true or false"

    def label_of(self, value: Value) -> str:
        """Oro's label for a stored value (``Both`` -> ``Bidirectional``)."""
        if self.type is SettingType.CHOICE:
            for choice in self.choices:
                if choice.value == value:
                    return choice.label
            return str(value)
        if self.type is SettingType.BOOLEAN:
            return "Yes" if value else "No"
        return str(value)

    def short_label_of(self, value: Value) -> str:
        """A compact form of :meth:`label_of` for the compare matrix (``Both`` -> ``Both ways``)."""
        if self.type is SettingType.CHOICE:
            for choice in self.choices:
                if choice.value == value:
                    return choice.short or choice.label
        return self.label_of(value)

    @property
    def short_forms(self) -> tuple[tuple[str, str], ...]:
        """(compact form, Oro's label) of each value whose compact form differs: the legend
        beside a table that uses them, so both words are seen together."""
        return tuple((c.short, c.label) for c in self.choices if c.short and c.short != c.label)

    def legend(self) -> str:
        """``Both ways = Bidirectional, To OroCRM = Outlook to OroCRM, ...``, or ``""``."""
        return ", ".join(f"{short} = {label}" for short, label in self.short_forms)

    def check(self, value: object) -> Value:
        """Return ``value`` if it is a valid stored value, else raise :class:`InvalidValue`."""
        if self.type is SettingType.CHOICE:
            if isinstance(value, str) and any(c.value == value for c in self.choices):
                return value
        elif self.type is SettingType.INTEGER:
            if isinstance(value, int) and not isinstance(value, bool):
                assert self.minimum is not None and self.maximum is not None
                if self.minimum <= value <= self.maximum:
                    return value
                raise InvalidValue(f"must be {self.allowed}, got {value}")
        elif isinstance(value, bool):
            return value
        raise InvalidValue(f"must be {self.allowed}, got {value!r}")

    def parse(self, text: str) -> Value:
        """Read a value typed by a person: the stored value or its label, case-insensitive;
        booleans as true/false/yes/no/1/0; integers as whole numbers in range."""
        raw = text.strip()
        folded = raw.casefold()
        if self.type is SettingType.CHOICE:
            for choice in self.choices:
                if folded in (choice.value.casefold(), choice.label.casefold()):
                    return choice.value
            raise InvalidValue(f"must be {self.allowed}, got {quoted(raw)}")
        if self.type is SettingType.INTEGER:
            if not raw.lstrip("+-").isdigit() or not raw.isascii():
                raise InvalidValue(f"must be {self.allowed}, got {quoted(raw)}")
            if len(raw.lstrip("+-").lstrip("0")) > len(str(self.maximum)):
                # Beyond the range whatever its digits (and beyond what int() reads when
                # longer than Python's 4,300-digit limit): said without the number itself.
                raise InvalidValue(f"must be {self.allowed}, got a number of "
                                   f"{len(raw.lstrip('+-')):,} digits")
            return self.check(int(raw))
        if folded in _TRUE_WORDS:
            return True
        if folded in _FALSE_WORDS:
            return False
        raise InvalidValue(f"must be true or false (yes/no, 1/0), got {quoted(raw)}")


def _interval(name: str, label: str, short_label: str, description: str, *,
              default: int) -> Setting:
    """A sync interval: whole seconds from 1 to 86399 (one day less one second)."""
    return Setting(name=name, label=label, short_label=short_label, description=description,
                   fieldset=INTEGRATION_SETTINGS, type=SettingType.INTEGER, default=default,
                   minimum=1, maximum=86399)


def _synchronized(name: str, label: str, short_label: str) -> Setting:
    """Whether one kind of record synchronizes ("Synchronize contacts"): Yes by default."""
    return Setting(name=name, label=label, short_label=short_label,
                   description=f"Synchronize {label.lower()}",
                   fieldset=SYNCHRONIZATION_SETTINGS, type=SettingType.BOOLEAN, default=True)


CATALOG: tuple[Setting, ...] = (
    Setting(
        name="contacts_sync_direction",
        label="Sync Direction",
        short_label="Direction",
        description="The data synchronization direction",
        fieldset=INTEGRATION_SETTINGS,
        type=SettingType.CHOICE,
        choices=(
            Choice("OroCRMToOutlook", "OroCRM to Outlook", "To Outlook"),
            Choice("OutlookToOroCRM", "Outlook to OroCRM", "To OroCRM"),
            Choice("Both", "Bidirectional", "Both ways"),
        ),
        default="Both",
    ),
    Setting(
        name="contacts_conflict_resolution",
        label="Conflict Resolution",
        short_label="Conflicts",
        description=(
            "Conflict resolution strategy to be used if the same data are changed in both "
            "Outlook and OroCRM"
        ),
        fieldset=INTEGRATION_SETTINGS,
        type=SettingType.CHOICE,
        choices=(
            Choice("OroCRMAlwaysWins", "OroCRM always wins", "OroCRM"),
            Choice("OutlookAlwaysWins", "Outlook always wins", "Outlook"),
        ),
        default="OroCRMAlwaysWins",
        effective_when=("contacts_sync_direction", "Both"),
    ),
    _interval("contacts_sync_interval_orocrm", "CRM Sync Interval (In Seconds)", "CRM (s)",
              "How often changes on the CRM side are checked", default=120),
    _interval("contacts_sync_interval_outlook", "Outlook Sync Interval (In Seconds)",
              "Outlook (s)", "How often changes on Outlook side are checked", default=30),
    _synchronized("contacts_enabled", "Contacts", "Contacts"),
    _synchronized("tasks_enabled", "Tasks", "Tasks"),
    _synchronized("calendar_events_enabled", "Calendar Events", "Events"),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in CATALOG}
DEFAULTS: dict[str, Value] = {s.name: s.default for s in CATALOG}


def lookup(key: str) -> Setting:
    """Find a setting by its full Oro key or the part after the dot (case-insensitive)."""
    folded = key.strip().casefold()
    prefix = SECTION.casefold() + "."
    if folded.startswith(prefix):
        folded = folded[len(prefix) :]
    for setting in CATALOG:
        if setting.name == folded:
            return setting
    known = ", ".join(s.name for s in CATALOG)
    raise KeyError(f"unknown setting {key!r}; known settings: {known}")


def in_fieldset(fieldset: str) -> Iterator[Setting]:
    return (s for s in CATALOG if s.fieldset == fieldset)
