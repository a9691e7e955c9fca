"""Reading Oro's settings into a :class:`~outlook_tui.store.snapshot.Snapshot`: every
organization and the section's values from one consistent view, streamed in chunks (load), or
the first organizations by name through indexed queries only (peek)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from outlook_tui.catalog import BY_NAME, CATALOG, Value
from outlook_tui.store.damaged import DamagedValue
from outlook_tui.store.oro.encoding import Damaged, decode
from outlook_tui.store.oro.sql import ChangeToken, Dialect, Row, Session
from outlook_tui.store.snapshot import Snapshot, Token, sort_key

#: Rows fetched at a time from a server-side cursor (and turned into records): a few ms of
#: Python each, so that the pause between two (a background read's) comes often enough for
#: the UI thread's keys.
CHUNK = 500
SCHEMA_VERSION = 1


def record(row: Row) -> dict[str, Any]:
    """An organization's row as the snapshot holds it (without overrides); ``enabled`` is a
    bool whether the database has one (PostgreSQL) or a TINYINT(1) (MySQL)."""
    return {"id": row[0], "name": row[1], "description": row[2], "enabled": bool(row[3]),
            "created_at": row[4], "updated_at": row[5], "overrides": {}}


def damaged_value(row_id: int, org: dict[str, Any] | None, name: str, text_value: str | None,
                  type_: str, reason: str) -> DamagedValue:
    return DamagedValue(row_id, None if org is None else org["id"],
                        None if org is None else org["name"], name, BY_NAME[name].key,
                        text_value, type_, reason)


Values = tuple[dict[str, Value], dict[int, dict[str, Value]], list[DamagedValue], bool]


def _values(rows: Sequence[Row], records: list[dict[str, Any]], positions: dict[int, int],
            seconds: dict[int, int], pause: Callable[[], None] | None = None) -> Values:
    """The system's values, each organization's, the damaged ones, and whether a setting of a
    scope was found twice (then ``seconds``, see :func:`_second_values`, says which rows are
    the second ones). ``pause`` every :data:`CHUNK` rows."""
    system: dict[str, Value] = {}
    overrides: dict[int, dict[str, Value]] = {}
    damaged: list[DamagedValue] = []
    damaged_at: set[tuple[int | None, str]] = set()
    twice = False
    for number, (row_id, entity, record_id, name, text_value, type_) in enumerate(rows, 1):
        if pause is not None and number % CHUNK == 0:
            pause()
        at = positions.get(record_id) if entity == "organization" else None
        if entity == "organization" and at is None:
            continue  # a scope left behind by a deleted organization: Oro ignores it too
        org = None if at is None else records[at]
        if row_id in seconds:
            damaged.append(damaged_value(row_id, org, name, text_value, type_, (
                f"a second value of this setting here (the other: oro_config_value row "
                f"{seconds[row_id]}): the scope is stored twice in oro_config and Oro reads "
                "only one of them; remove the row Oro does not use")))
            continue
        target = system if org is None else overrides.setdefault(org["id"], {})
        where = (None if org is None else org["id"], name)
        twice = twice or name in target or where in damaged_at
        try:
            target[name] = decode(BY_NAME[name], text_value, type_)
        except Damaged as reason:
            damaged.append(damaged_value(row_id, org, name, text_value, type_, str(reason)))
            damaged_at.add(where)
    return system, overrides, damaged, twice


def _second_values(rows: Sequence[Row]) -> dict[int, int]:
    """Row id -> the row kept instead, for each row holding a setting of a scope that another
    row holds too (a scope stored twice in oro_config, its unique index lost): the lowest row
    id is the value, the others are reported."""
    kept: dict[tuple[object, object, str], int] = {}
    for row_id, entity, record_id, name, *_ in rows:
        key = (entity, record_id, name)
        kept[key] = min(kept.get(key, row_id), row_id)
    return {row[0]: kept[(row[1], row[2], row[3])] for row in rows
            if kept[(row[1], row[2], row[3])] != row[0]}


def in_name_order(records: list[dict[str, Any]], pause: Callable[[], None] | None,
                  ) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """``records`` sorted by name (as :func:`sort_key` orders them), and id -> position; the
    Python part (a key per record, the positions) a :data:`CHUNK` at a time, ``pause``
    between: at 100k organizations it is a tenth of a second."""
    keys: list[tuple[str, str]] = []
    for start in range(0, len(records), CHUNK):
        keys += [sort_key(r["name"]) for r in records[start:start + CHUNK]]
        if pause is not None:
            pause()
    # The database sent them nearly in this order: the sort itself is one pass, in C.
    order = sorted(range(len(records)), key=keys.__getitem__)
    in_order: list[dict[str, Any]] = []
    positions: dict[int, int] = {}
    for start in range(0, len(order), CHUNK):
        part = [records[at] for at in order[start:start + CHUNK]]
        positions.update({r["id"]: start + i for i, r in enumerate(part)})
        in_order += part
        if pause is not None:
            pause()
    return in_order, positions


def ordered(values: dict[str, Value]) -> dict[str, Value]:
    """Values in the catalog's order."""
    return {s.name: values[s.name] for s in CATALOG if s.name in values}


class Reader:
    """Loads snapshots; keeps the organizations' rows of the last load, with the token part
    they belong to, so that a setting saved in Oro reloads in a fraction of the time at 100k
    organizations."""

    def __init__(self, dialect: Dialect, token: ChangeToken,
                 history_exists: Callable[[Session], bool],
                 store_id: Callable[[], str]) -> None:
        self.sql = dialect
        self.token = token
        self._history_exists = history_exists
        self._store_id = store_id
        self._organizations: tuple[Token, list[dict[str, Any]], dict[int, int]] | None = None

    def revision(self, session: Session) -> int:
        if not self._history_exists(session):
            return 0
        return int(session.rows(self.sql.history_revision())[0][0])

    def load(self, session: Session, pause: Callable[[], None] | None) -> Snapshot:
        with session.transaction(self.sql.read_transaction()):
            token = self.token.now(session)
            revision = self.revision(session)
            records, positions = self._organization_records(session, token, pause)
            rows = session.stream(self.sql.values(), CHUNK, pause)
            return self.snapshot(records, rows, revision, token, validated=True,
                                 positions=positions, pause=pause)

    def _organization_records(self, session: Session, token: Token,
                              pause: Callable[[], None] | None,
                              ) -> tuple[list[dict[str, Any]], dict[int, int]]:
        """Every organization (without overrides) in name order, and id -> position."""
        if self._organizations is not None and self._organizations[0] == token[2:]:
            return self._organizations[1], self._organizations[2]
        rows = session.stream(self.sql.organizations(), CHUNK, pause)
        records: list[dict[str, Any]] = []
        for start in range(0, len(rows), CHUNK):
            records += [record(row) for row in rows[start:start + CHUNK]]
            if pause is not None:
                pause()
        records, positions = in_name_order(records, pause)
        self._organizations = (token[2:], records, positions)
        return records, positions

    def adopt(self, snapshot: Snapshot, pause: Callable[[], None] | None) -> None:
        """``snapshot``, a whole store another process loaded (``store/ahead.py``), kept as
        this reader's last load: its organizations' rows serve the next reload."""
        assert snapshot.fingerprint is not None
        records: list[dict[str, Any]] = []
        loaded = snapshot.records
        for start in range(0, len(loaded), CHUNK):
            records += [r if not r["overrides"] else {**r, "overrides": {}}
                        for r in loaded[start:start + CHUNK]]
            if pause is not None:
                pause()
        self._organizations = (snapshot.fingerprint[2:], records, snapshot.id_positions())

    def named(self, session: Session, refs: Sequence[str | int]) -> Snapshot:
        """The organizations ``refs`` may name (by id or by exact name) and the system, with
        their values: indexed queries only, the same cost at 3 and at 100k organizations."""
        # An id is a database INT: longer digit strings can only be names.
        ids = [int(r) for r in refs if isinstance(r, int) or (
            str(r).strip().isascii() and str(r).strip().isdigit() and len(str(r).strip()) <= 10)]
        ids = [i for i in ids if 0 <= i <= 2**31 - 1]
        names = [str(r) for r in refs]
        with session.transaction(self.sql.read_transaction()):
            revision = self.revision(session)
            records = [record(row) for row in session.rows(
                self.sql.organizations_named(ids, names))]
            rows = session.rows(self.sql.values_of_scopes([r["id"] for r in records]))
            # No token: a part of the store, for one command, never watched.
            return self.snapshot(records, rows, revision, None, validated=True)

    def peek(self, session: Session, limit: int) -> Snapshot:
        with session.transaction(self.sql.read_transaction()):
            revision = self.revision(session)
            records = [record(row) for row in session.rows(self.sql.first_organizations(limit))]
            rows = session.rows(self.sql.values_of_scopes([r["id"] for r in records]))
            # No token: a preview is only shown until load() replaces it.
            return self.snapshot(records, rows, revision, None, validated=False)

    def snapshot(self, records: list[dict[str, Any]], rows: Sequence[Row], revision: int,
                 token: Token | None, validated: bool,
                 positions: dict[int, int] | None = None,
                 pause: Callable[[], None] | None = None) -> Snapshot:
        """``records`` (organizations without overrides, in name order when ``positions``
        is given, shared with other snapshots and never modified) with the values of
        ``rows``: only the organizations that override something get a record of their own.
        ``pause`` every :data:`CHUNK` rows or organizations (a background read's)."""
        if positions is None:
            records.sort(key=lambda r: sort_key(r["name"]))
            positions = {r["id"]: i for i, r in enumerate(records)}
        system, overrides, damaged, twice = _values(rows, records, positions, {}, pause)
        if twice:  # a scope stored twice: read again, each setting once, the rest reported
            system, overrides, damaged, _ = _values(rows, records, positions,
                                                    _second_values(rows), pause)
        organizations = list(records)
        for number, (organization_id, values) in enumerate(overrides.items(), 1):
            if pause is not None and number % CHUNK == 0:
                pause()
            at = positions[organization_id]
            organizations[at] = {**records[at], "overrides": ordered(values)}
        document = {
            "schema_version": SCHEMA_VERSION,
            "store_id": self._store_id(),
            "revision": revision,
            "system": ordered(system),
            "organizations": organizations,
            "damaged": damaged,
        }
        return Snapshot(document, fingerprint=token, validated=validated,
                        id_positions=positions)
