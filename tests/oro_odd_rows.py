"""Odd rows of Oro's tables, as data: what Oro, a migration or a DBA may have left there, and
what each must produce. Like ``tests/corpus/`` for the JSON file; run by ``test_odd_rows.py``
through every command and the app against the real server.

Each row is written into a fresh Oro database (the template's seed, ``db init`` done) holding
two organizations besides the Default Organization: Acme (id 2, scope row 10) and Globex (id 3,
scope row 11). Every case names the organization whose screens must show it (``org``), and
what a person must read: ``damaged`` (shown as damaged, its row id named), ``history`` (words
the history shows), or ``refused`` (a save's one-line message).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACME, GLOBEX = 2, 3
ACME_SCOPE, GLOBEX_SCOPE = 10, 11

BASE = f"""
INSERT INTO oro_organization (id, name, description, enabled, created_at, updated_at) VALUES
  ({ACME}, 'Acme', 'Anvils', true, '2026-02-01 08:00:00', '2026-02-01 08:00:00'),
  ({GLOBEX}, 'Globex', NULL, false, NULL, NULL);
INSERT INTO oro_config (id, entity, record_id) VALUES ({ACME_SCOPE}, 'organization', {ACME}),
  ({GLOBEX_SCOPE}, 'organization', {GLOBEX});
"""


def value(row_id: int, name: str, text: str | None, *, scope: int = ACME_SCOPE,
          type_: str = "scalar", object_value: str | None = "Tjs=",
          array_value: str | None = "Tjs=") -> str:
    """One oro_config_value row of the MS Outlook section (dollar-quoted: any text)."""
    text_sql = "NULL" if text is None else f"$odd${text}$odd$"
    object_sql = "NULL" if object_value is None else f"$odd${object_value}$odd$"
    array_sql = "NULL" if array_value is None else f"$odd${array_value}$odd$"
    return (f"INSERT INTO oro_config_value (id, config_id, name, section, text_value, "
            f"object_value, array_value, type, created_at, updated_at) VALUES ({row_id}, "
            f"{scope}, '{name}', 'oro_crm_pro_outlook', {text_sql}, {object_sql}, {array_sql}, "
            f"'{type_}', '2026-02-01 08:00:00', '2026-02-01 08:00:00');")


def history(row_id: int, revision: int, old: str | None, new: str | None, *,
            key: str = "oro_crm_pro_outlook.contacts_sync_interval_orocrm",
            organization_id: int | None = ACME, name: str | None = "Acme",
            scope: str | None = "organization") -> str:
    """One outlook_tui_history row (old and new are JSON texts, as written, or anything)."""
    def text(value: str | None) -> str:
        return "NULL" if value is None else f"$odd${value}$odd$"

    org_sql = "NULL" if organization_id is None else str(organization_id)
    return (f"INSERT INTO outlook_tui_history (id, revision, time, os_user, db_user, scope, "
            f"organization_id, organization_name, setting_key, old_value, new_value) VALUES "
            f"({row_id}, {revision}, '2026-02-02 09:00:00', 'dba', 'postgres', {text(scope)}, "
            f"{org_sql}, {text(name)}, {text(key)}, {text(old)}, {text(new)});")


@dataclass(frozen=True)
class OddRow:
    name: str
    why: str  # who may have written it
    sql: str
    org: int | None = ACME  # the organization whose screens show it (None: the system)
    #: Shown as damaged, naming this oro_config_value row id.
    damaged: int | None = None
    #: Words `history` shows for it.
    history: tuple[str, ...] = ()
    #: A save (of another setting of ``org``) is refused with these words; None: it saves.
    refused: str | None = None
    #: Words `orgs list` shows.
    listed: tuple[str, ...] = field(default_factory=tuple)


HUGE = "9" * 5000
DEEP = "[" * 100_000 + "]" * 100_000

ODD_ROWS: tuple[OddRow, ...] = (
    OddRow("integer-of-5000-digits", "a script, beyond Python's int-string limit",
           value(100, "contacts_sync_interval_orocrm", HUGE), damaged=100),
    OddRow("integer-of-5000-zeros-then-120", "PHP's (int) reads 120: a value, not damage",
           value(100, "contacts_sync_interval_orocrm", "0" * 5000 + "120")),
    OddRow("integer-with-letters", "a hand edit", value(100, "contacts_sync_interval_orocrm",
                                                        "12abc"), damaged=100),
    OddRow("integer-as-float", "a script", value(100, "contacts_sync_interval_orocrm", "1.5e3"),
           damaged=100),
    OddRow("integer-null", "a migration", value(100, "contacts_sync_interval_orocrm", None),
           damaged=100),
    OddRow("integer-out-of-range", "Oro's API, unchecked",
           value(100, "contacts_sync_interval_orocrm", "-2147483648"), damaged=100),
    OddRow("boolean-null", "Oro reads NULL as false: a value, not damage",
           value(100, "tasks_enabled", None)),
    OddRow("boolean-word", "a DBA typing true", value(100, "tasks_enabled", "true"),
           damaged=100),
    OddRow("type-array-serialized-php", "Oro's array type, PHP serialize()",
           value(100, "contacts_sync_direction", None, type_="array",
                 array_value='a:1:{i:0;s:4:"Both";}'), damaged=100),
    OddRow("type-object", "Oro's object type", value(100, "contacts_sync_direction", None,
                                                     type_="object",
                                                     object_value='O:8:"stdClass":0:{}'),
           damaged=100),
    OddRow("serialized-php-in-text", "a value serialized twice",
           value(100, "contacts_sync_direction", 's:4:"Both";'), damaged=100),
    OddRow("choice-with-escape-codes", "an attacker with a DBA's access",
           value(100, "contacts_conflict_resolution", "\x1b]0;pwned\x07\x1b[2J"), damaged=100),
    OddRow("system-value-damaged", "the system scope, too",
           value(100, "contacts_sync_interval_outlook", HUGE, scope=1), org=None, damaged=100),
    OddRow("scope-of-a-deleted-organization", "Oro leaves the scope when it deletes one",
           "INSERT INTO oro_config (id, entity, record_id) VALUES (12, 'organization', 99);"
           + value(100, "contacts_sync_interval_orocrm", "300", scope=12)),
    OddRow("scope-without-record", "a scope row with no record id",
           "INSERT INTO oro_config (id, entity, record_id) VALUES (12, 'organization', NULL);"
           + value(100, "contacts_sync_interval_orocrm", "300", scope=12)),
    OddRow("two-scope-rows", "an installation whose unique index was lost in a migration",
           "DROP INDEX config_uq_entity;"
           "INSERT INTO oro_config (id, entity, record_id) VALUES (12, 'organization', 2);"
           + value(100, "contacts_sync_interval_orocrm", "300")
           + value(101, "contacts_sync_interval_orocrm", "600", scope=12),
           # PostgreSQL's own words, for a save that needs ON CONFLICT (entity, record_id)
           damaged=101, refused="no unique or exclusion constraint matching the ON CONFLICT"),
    OddRow("history-deep-json", "a history row written by hand",
           history(500, 1, DEEP, "300"), history=("r1", "not a value")),
    OddRow("history-huge-integer", "a history row written by hand",
           history(500, 1, HUGE, "300"), history=("r1", "not a value")),
    OddRow("history-not-json", "a history row written by hand",
           history(500, 1, "Both ways", "{"), history=("r1", "not a value")),
    OddRow("history-unknown-key-and-scope", "a newer outlook-tui",
           history(500, 1, "1", "2", key="oro_crm_pro_outlook.leads_enabled", scope="galaxy"),
           history=("r1", "oro_crm_pro_outlook.leads_enabled")),
    OddRow("history-of-a-deleted-organization", "history outlives organizations",
           history(500, 1, "120", "300", organization_id=99, name="Initech"),
           history=("r1", "Initech")),
    OddRow("history-revision-at-int-limit", "a DBA's test row",
           history(500, 2**31 - 1, "120", "300"), history=("r2147483647",),
           refused="revision 2147483647"),
    OddRow("names-that-differ-in-spaces", "Oro checks names case-insensitively, not spaces",
           "INSERT INTO oro_organization (id, name, enabled) VALUES (4, 'Acme ', true), "
           "(5, '', true), (6, ' ', true), (7, '²', true);",
           listed=("Acme␣", "(empty name)", "␣", "²")),
)
