"""outlook-tui's history table in Oro's database (Oro keeps no history of configuration
changes): the rows a save writes, and entries read back newest first."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from outlook_tui.store.changes import AppliedChange
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.oro.sql import Row
from outlook_tui.text import quoted

#: outlook-tui's own table: Oro keeps no history of configuration changes.
HISTORY_TABLE = "outlook_tui_history"

#: Its columns, for every database: name, type (ID, TIME, TEXT and USER are named by the
#: database's dialect, see :func:`create_table`), comment.
COLUMNS = (
    ("id", "ID", ""),
    ("revision", "INT NOT NULL", "one per save; max(revision) is the store's revision"),
    ("time", "TIME", "UTC, like Oro's own columns"),
    ("os_user", "VARCHAR(255) NOT NULL", "the OS account that ran outlook-tui"),
    ("ssh_client", "VARCHAR(255) DEFAULT NULL", "its SSH client's address, if any"),
    ("db_user", "USER", "the database account"),
    ("scope", "VARCHAR(20) DEFAULT NULL", "'system' or 'organization'; NULL for an event"),
    ("organization_id", "INT DEFAULT NULL",
     "oro_organization.id (no foreign key: history stays)"),
    ("organization_name", "VARCHAR(255) DEFAULT NULL", ""),
    ("setting_key", "VARCHAR(255) DEFAULT NULL", "e.g. oro_crm_pro_outlook.contacts_enabled"),
    ("old_value", "TEXT", "JSON: null means not stored (Use System)"),
    ("new_value", "TEXT", "JSON"),
    ("event", "VARCHAR(50) DEFAULT NULL", ""),
    ("detail", "TEXT", ""),
)
#: The largest revision the INT column holds: a save after it is refused (saving.py).
LAST_REVISION = 2**31 - 1
#: Its indexes: name suffix, columns.
INDEXES = (("revision", "revision, id"), ("organization", "organization_id, revision, id"))


def create_table(types: Mapping[str, str], *, inline: Sequence[str] = (), after: str = "") -> str:
    """The history table's CREATE TABLE in a database's words: ``types`` names ID, TIME, TEXT
    and USER; ``inline`` are more lines inside the parentheses (indexes, on MySQL); ``after``
    follows the closing parenthesis (table options)."""
    lines = []
    for name, kind, comment in COLUMNS:
        definition = f"  {name} {types.get(kind, kind)},"
        lines.append(f"{definition:<43} -- {comment}" if comment else definition)
    body = "\n".join([*lines, *(f"  {line}," for line in inline), "  PRIMARY KEY(id)"])
    return (f"-- outlook-tui's history of the changes it saves (Oro keeps none). Oro never reads "
            f"this table.\nCREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (\n{body}\n){after};\n")


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


#: The longest old_value/new_value text read as a value: a save writes a setting's value (a
#: few characters); anything longer was written by someone else.
LONGEST_VALUE = 1000


def _unjson(text: str | None, row_id: int) -> Any:
    """The value a history row's old_value/new_value holds (JSON: null, a boolean, a number, a
    text), or, for anything else a hand or a script may have put there (deep arrays, a
    5,000-digit number, no JSON at all), words saying so with the row: never an exception."""
    if text is None:
        return None
    if len(text) <= LONGEST_VALUE:
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            pass
        else:
            if value is None or isinstance(value, bool | int | str):
                return value
    return f"(not a value: {quoted(text)}, outlook_tui_history row {row_id})"


def rows_of(applied: Sequence[AppliedChange], *, revision: int, time: dt.datetime, user: str,
            client: str | None, db_user: str) -> list[Row]:
    """The history rows of one save, in the column order of ``Dialect.insert_history``."""
    return [(revision, time, user, client, db_user, str(a.scope), a.organization_id,
             a.organization_name, a.key, _json(a.old), _json(a.new), None, None)
            for a in applied]


def entries(rows: Sequence[Row]) -> list[HistoryEntry]:
    """Entries from the rows of ``Dialect.history``."""
    return [HistoryEntry(time=row[0], user=row[1], ssh_client=row[2], db_user=row[3],
                         revision=row[4], scope=row[5], organization_id=row[6],
                         organization_name=row[7], key=row[8], old=_unjson(row[9], row[13]),
                         new=_unjson(row[10], row[13]), event=row[11], detail=row[12])
            for row in rows]
