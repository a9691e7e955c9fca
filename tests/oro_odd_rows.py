"""Odd rows of Oro's tables, as data: what Oro, a migration or a DBA may have left there, and
what each must produce. Like ``tests/corpus/`` for the JSON file; run by ``test_odd_rows.py``
through every command and the app against each real server (PostgreSQL, MariaDB).

Each row is written into a fresh Oro database (the seed, ``db init`` done) holding two
organizations besides the Default Organization: Acme (id 2, scope row 10) and Globex (id 3,
scope row 11). Every case names the organization whose screens must show it (``org``), and
what a person must read: ``damaged`` (shown as damaged, its row id named), ``history`` (words
the history shows), or ``refused`` (a save's one-line message, in each database's words).
The rows are written with parameters, the same values on both databases; a row one database's
schema cannot hold names that database in ``not_on``, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ACME, GLOBEX = 2, 3
ACME_SCOPE, GLOBEX_SCOPE = 10, 11
TIME = "2026-02-01 08:00:00"


@dataclass(frozen=True)
class Insert:
    """One row written as Oro, a migration or a DBA would, any text in any column."""

    table: str
    row: Mapping[str, Any]

    def statement(self) -> tuple[str, tuple[Any, ...]]:
        """The INSERT and its parameters (``%s``: psycopg's and PyMySQL's style)."""
        columns = ", ".join(self.row)
        places = ", ".join(["%s"] * len(self.row))
        return (f"INSERT INTO {self.table} ({columns}) VALUES ({places})",
                tuple(self.row.values()))


@dataclass(frozen=True)
class DropScopeIndex:
    """The unique index on oro_config (entity, record_id) lost, as in a failed migration."""


Write = Insert | DropScopeIndex


def organization(id_: int, name: str, *, description: str | None = None,
                 enabled: Any = True, created_at: str | None = None,
                 updated_at: str | None = None) -> Insert:
    return Insert("oro_organization", {"id": id_, "name": name, "description": description,
                                       "enabled": enabled, "created_at": created_at,
                                       "updated_at": updated_at})


def scope(id_: int, record_id: int | None, entity: str = "organization") -> Insert:
    return Insert("oro_config", {"id": id_, "entity": entity, "record_id": record_id})


BASE: tuple[Write, ...] = (
    organization(ACME, "Acme", description="Anvils", created_at=TIME, updated_at=TIME),
    organization(GLOBEX, "Globex", enabled=False),
    scope(ACME_SCOPE, ACME), scope(GLOBEX_SCOPE, GLOBEX))


def value(row_id: int, name: str, text: str | None, *, scope: int = ACME_SCOPE,
          type_: str = "scalar", object_value: str | None = "Tjs=",
          array_value: str | None = "Tjs=", section: str = "oro_crm_pro_outlook",
          time: str = TIME) -> Insert:
    """One oro_config_value row of the MS Outlook section."""
    return Insert("oro_config_value", {
        "id": row_id, "config_id": scope, "name": name, "section": section,
        "text_value": text, "object_value": object_value, "array_value": array_value,
        "type": type_, "created_at": time, "updated_at": time})


def history(row_id: int, revision: int, old: str | None, new: str | None, *,
            key: str = "oro_crm_pro_outlook.contacts_sync_interval_orocrm",
            organization_id: int | None = ACME, name: str | None = "Acme",
            scope: str | None = "organization", time: str = "2026-02-02 09:00:00") -> Insert:
    """One outlook_tui_history row (old and new are JSON texts, as written, or anything)."""
    return Insert("outlook_tui_history", {
        "id": row_id, "revision": revision, "time": time, "os_user": "dba",
        "db_user": "dba", "scope": scope, "organization_id": organization_id,
        "organization_name": name, "setting_key": key, "old_value": old, "new_value": new})


@dataclass(frozen=True)
class OddRow:
    name: str
    why: str  # who may have written it
    writes: tuple[Write, ...]
    org: int | None = ACME  # the organization whose screens show it (None: the system)
    #: Shown as damaged, naming this oro_config_value row id.
    damaged: int | None = None
    #: Words `history` shows for it.
    history: tuple[str, ...] = ()
    #: A save (of another setting of ``org``) is refused with these words, by database
    #: ("postgres", "mysql"); a database not named: it saves.
    refused: Mapping[str, str] = field(default_factory=dict)
    #: Words `orgs list` shows.
    listed: tuple[str, ...] = field(default_factory=tuple)
    #: Words no command shows.
    never: tuple[str, ...] = ()
    #: Databases whose schema cannot hold these rows, and why.
    not_on: Mapping[str, str] = field(default_factory=dict)


HUGE = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000
INTERVAL = "contacts_sync_interval_orocrm"
ZERO_TIME = "0000-00-00 00:00:00"
#: The driver's words when a scope's row is stored twice (PostgreSQL's for a save that needs
#: ON CONFLICT (entity, record_id); MySQL's ON DUPLICATE KEY adds a third row, found under
#: the save's lock), and for a row MySQL's collation takes for ours.
TWO_SCOPES = {"postgres": "no unique or exclusion constraint matching the ON CONFLICT",
              "mysql": "organization id 2 has two scope rows in oro_config (ids 10 and 12)"}

ODD_ROWS: tuple[OddRow, ...] = (
    OddRow("integer-of-5000-digits", "a script, beyond Python's int-string limit",
           (value(100, INTERVAL, HUGE),), damaged=100),
    OddRow("integer-of-5000-zeros-then-120", "PHP's (int) reads 120: a value, not damage",
           (value(100, INTERVAL, "0" * 5000 + "120"),)),
    OddRow("integer-with-letters", "a hand edit", (value(100, INTERVAL, "12abc"),),
           damaged=100),
    OddRow("integer-as-float", "a script", (value(100, INTERVAL, "1.5e3"),), damaged=100),
    OddRow("integer-null", "a migration", (value(100, INTERVAL, None),), damaged=100),
    OddRow("integer-out-of-range", "Oro's API, unchecked", (value(100, INTERVAL, "-2147483648"),),
           damaged=100),
    OddRow("boolean-null", "Oro reads NULL as false: a value, not damage",
           (value(100, "tasks_enabled", None),)),
    OddRow("boolean-word", "a DBA typing true", (value(100, "tasks_enabled", "true"),),
           damaged=100),
    OddRow("type-array-serialized-php", "Oro's array type, PHP serialize()",
           (value(100, "contacts_sync_direction", None, type_="array",
                  array_value='a:1:{i:0;s:4:"Both";}'),), damaged=100),
    OddRow("type-object", "Oro's object type",
           (value(100, "contacts_sync_direction", None, type_="object",
                  object_value='O:8:"stdClass":0:{}'),), damaged=100),
    OddRow("serialized-php-in-text", "a value serialized twice",
           (value(100, "contacts_sync_direction", 's:4:"Both";'),), damaged=100),
    OddRow("choice-with-escape-codes", "an attacker with a DBA's access",
           (value(100, "contacts_conflict_resolution", "\x1b]0;pwned\x07\x1b[2J"),),
           damaged=100),
    OddRow("system-value-damaged", "the system scope, too",
           (value(100, "contacts_sync_interval_outlook", HUGE, scope=1),), org=None,
           damaged=100),
    OddRow("scope-of-a-deleted-organization", "Oro leaves the scope when it deletes one",
           (scope(12, 99), value(100, INTERVAL, "300", scope=12))),
    OddRow("scope-without-record", "a scope row with no record id",
           (scope(12, None), value(100, INTERVAL, "300", scope=12))),
    OddRow("two-scope-rows", "an installation whose unique index was lost in a migration",
           (DropScopeIndex(), scope(12, ACME), value(100, INTERVAL, "300"),
            value(101, INTERVAL, "600", scope=12)), damaged=101, refused=TWO_SCOPES),
    OddRow("name-in-other-letter-case", "a DBA's typo; MySQL's collation takes it for ours",
           (value(100, "Contacts_Enabled", "1"),),
           refused={"mysql": "differs from outlook-tui's only in letter case or trailing "
                             "spaces"}),
    OddRow("section-in-other-letter-case", "another bundle's section, to Oro and PostgreSQL",
           (value(100, INTERVAL, "12abc", section="ORO_CRM_PRO_OUTLOOK"),)),
    OddRow("zero-dates", "MySQL without NO_ZERO_DATE (before 5.7, or a DBA's sql_mode): no "
           "time at all", (organization(4, "Zero", created_at=ZERO_TIME, updated_at=ZERO_TIME),
                           scope(12, 4), value(100, INTERVAL, "300", scope=12, time=ZERO_TIME),
                           history(500, 1, "120", "600", organization_id=4, name="Zero",
                                   time="2026-00-00 09:00:00")),
           org=4, listed=("Zero",), history=("time unknown  r1",), never=("0000", "2026-00"),
           not_on={"postgres": "a timestamp has no month 0"}),
    OddRow("enabled-neither-0-nor-1", "a DBA's UPDATE: TINYINT(1) holds -128 to 127",
           (organization(4, "Two", enabled=2),), org=4, listed=("Two",),
           not_on={"postgres": "enabled is a boolean"}),
    OddRow("history-deep-json", "a history row written by hand",
           (history(500, 1, DEEP, "300"),), history=("r1", "not a value")),
    OddRow("history-huge-integer", "a history row written by hand",
           (history(500, 1, HUGE, "300"),), history=("r1", "not a value")),
    OddRow("history-not-json", "a history row written by hand",
           (history(500, 1, "Both ways", "{"),), history=("r1", "not a value")),
    OddRow("history-unknown-key-and-scope", "a newer outlook-tui",
           (history(500, 1, "1", "2", key="oro_crm_pro_outlook.leads_enabled",
                    scope="galaxy"),), history=("r1", "oro_crm_pro_outlook.leads_enabled")),
    OddRow("history-of-a-deleted-organization", "history outlives organizations",
           (history(500, 1, "120", "300", organization_id=99, name="Initech"),),
           history=("r1", "Initech")),
    OddRow("history-revision-at-int-limit", "a DBA's test row",
           (history(500, 2**31 - 1, "120", "300"),), history=("r2147483647",),
           refused={"postgres": "revision 2147483647", "mysql": "revision 2147483647"}),
    OddRow("names-that-differ-in-spaces", "Oro checks names case-insensitively, not spaces",
           tuple(organization(i, name) for i, name in ((4, "Acme "), (5, ""), (6, " "),
                                                       (7, "²"))),
           listed=("Acme␣", "(empty name)", "␣", "²"),
           not_on={"mysql": "utf8_unicode_ci pads with spaces: its unique index on name takes "
                            "'Acme ' for 'Acme' and ' ' for ''"}),
    OddRow("names-with-leading-spaces", "what MySQL's unique index lets differ in spaces",
           tuple(organization(i, name) for i, name in ((4, " Acme"), (5, ""), (6, "²"))),
           listed=("␣Acme", "(empty name)", "²")),
)


def cases(database: str) -> list[OddRow]:
    """The rows ``database`` ("postgres", "mysql") can hold."""
    return [row for row in ODD_ROWS if database not in row.not_on]
