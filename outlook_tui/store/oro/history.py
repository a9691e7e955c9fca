"""outlook-tui's history table in Oro's database (Oro keeps no history of configuration
changes): the rows a save writes, and entries read back newest first."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from outlook_tui.store.changes import AppliedChange
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.oro.sql import Row


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _unjson(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


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
                         organization_name=row[7], key=row[8], old=_unjson(row[9]),
                         new=_unjson(row[10]), event=row[11], detail=row[12])
            for row in rows]
