"""Changes made outside outlook-tui in Oro's database (Oro's screens, ``oro:config:update``, a
DBA's SQL): the section's rows, with their ``created_at`` and ``updated_at``, compared with the
newest history row of each scope and setting (:mod:`outlook_tui.store.outside`). Reads only, in
one read-only transaction: a ``--read-only`` session sees them too."""

from __future__ import annotations

from typing import Any

from outlook_tui.catalog import BY_NAME
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.oro import history
from outlook_tui.store.oro.encoding import Damaged, decode
from outlook_tui.store.oro.reading import record
from outlook_tui.store.oro.sql import Dialect, Session
from outlook_tui.store.outside import Key, Stored, newest_recorded, outside_changes


def changes_outside(session: Session, sql: Dialect, organization_id: int | None,
                    system: bool) -> list[HistoryEntry]:
    """For one organization, the system (``system``), or every scope; newest first."""
    stored: dict[Key, Stored] = {}
    for _, entity, record_id, name, text_value, type_, created, updated in session.rows(
            sql.dated_values(organization_id, system)):
        value: Any
        try:
            value = decode(BY_NAME[name], text_value, type_)
        except Damaged:
            value = {"damaged": text_value}
        stored[(None if entity == "app" else record_id, name)] = Stored(value, created, updated)
    recorded = newest_recorded(history.entries(session.rows(
        sql.newest_history(organization_id, system))))
    first = session.rows(sql.history_began())
    began = first[0][0] if first else None  # no history yet
    found = outside_changes(stored, recorded, organization_names={}, history_began=began)
    ids = sorted({e.organization_id for e in found if e.organization_id is not None})
    if not ids:
        return found
    names = {row[0]: record(row)["name"] for row in session.rows(sql.organizations_by_id(ids))}
    recorded_names = {k[0]: e.organization_name for k, e in recorded.items()}
    return [e if e.organization_id is None else HistoryEntry(
        e.time, e.user, e.ssh_client, e.revision, e.scope, e.organization_id,
        names.get(e.organization_id, recorded_names.get(e.organization_id)), e.key, e.old,
        e.new) for e in found]
