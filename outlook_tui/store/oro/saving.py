"""One save into Oro's database, inside one transaction, in its steps:

1. :func:`check_organizations`: every organization changed is still in Oro;
2. :func:`lock_scopes`: create the scope rows a value will be stored in (race-safe), lock them;
3. :func:`read_stored`: the scopes' value rows as stored now, locked;
4. :func:`merge`: those values merged with the changes by the JSON store's own rules
   (:func:`outlook_tui.store.changes.apply`), damaged values only replaced when seen;
5. :func:`plan_rows`: which rows to delete, update, insert, and what the history says;
6. :func:`write_rows` and :func:`write_history`;
7. :func:`saved_snapshot`: the snapshot after the save, its token from the saved scopes' rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from outlook_tui.catalog import BY_NAME, Scope, Value
from outlook_tui.store.backend import CommitResult, RowChange, SavePlan
from outlook_tui.store.changes import AppliedChange, Outcome, SettingChange, apply
from outlook_tui.store.damaged import DamagedValue
from outlook_tui.store.errors import Conflict, ConflictError, InputError
from outlook_tui.store.identity import current_user, ssh_client
from outlook_tui.store.oro import history
from outlook_tui.store.oro.encoding import Damaged, decode, encode
from outlook_tui.store.oro.reading import damaged_value, ordered, record
from outlook_tui.store.oro.sql import ChangeToken, Dialect, SavedRows, Session
from outlook_tui.store.snapshot import Snapshot

Scoped = tuple[int | None, str]  # (organization id or None for the system, setting name)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


@dataclass
class Stored:
    """The value rows of the save's scopes, as stored now, locked."""

    #: scope (None: system) -> its oro_config id
    config_ids: dict[int | None, int]
    #: (scope, name) -> (row id, text_value, type)
    rows: dict[Scoped, tuple[int, str | None, str]]
    #: row id -> the row's version (see ChangeToken)
    versions: dict[int, int]


@dataclass
class Merged:
    outcome: Outcome
    #: Values stored now that outlook-tui cannot accept, by (scope, name).
    damaged_now: dict[Scoped, DamagedValue]
    #: Use System on a value shown as damaged: its row is deleted.
    cleared: list[SettingChange]
    #: Someone wrote the saved scopes' values since the base was read (Oro, a DBA, a save).
    written_meanwhile: bool = False


@dataclass
class Plan:
    deletes: list[int] = field(default_factory=list)
    updates: list[tuple[int, str]] = field(default_factory=list)
    #: (config_id, name, text_value); config_id None only in a dry run's plan (the scope's
    #: row is neither created nor locked there)
    inserts: list[tuple[int | None, str, str]] = field(default_factory=list)
    applied: list[AppliedChange] = field(default_factory=list)
    #: The scope and setting of each row, by row id and for each insert, for a dry run's words.
    deleted: dict[int, Scoped] = field(default_factory=dict)
    inserted_scopes: list[int | None] = field(default_factory=list)


@dataclass
class Save:
    """What one save works on, through its steps."""

    session: Session
    sql: Dialect
    base: Snapshot
    changes: list[SettingChange]
    revision_now: int
    org_ids: list[int] = field(init=False)
    system_touched: bool = field(init=False)

    def __post_init__(self) -> None:
        self.org_ids = sorted({c.organization_id for c in self.changes
                               if c.organization_id is not None})
        self.system_touched = any(c.organization_id is None for c in self.changes)


def check_organizations(save: Save) -> dict[int, dict[str, Any]]:
    """The changed organizations' rows now; InputError when one is unknown or gone."""
    orgs_now = {row[0]: record(row) for row in save.session.rows(
        save.sql.organizations_by_id(save.org_ids))} if save.org_ids else {}
    unknown = [i for i in save.org_ids if save.base.get(i) is None]
    if unknown:
        raise InputError(f"no organization with id {unknown[0]}; nothing was saved")
    gone = [i for i in save.org_ids if i not in orgs_now]
    if gone:
        names = [repr(o.name) for i in gone if (o := save.base.get(i)) is not None]
        raise InputError(f"no longer in Oro's database (deleted in Oro meanwhile?): "
                         f"{', '.join(names)}; nothing was saved: reload")
    return orgs_now


def lock_scopes(save: Save) -> dict[int | None, int]:
    """Create the scope rows a value will be stored in, then lock every scope's row."""
    setting_scopes = {c.organization_id for c in save.changes if c.new is not None}
    creating = sorted(("app", 0) if o is None else ("organization", o) for o in setting_scopes)
    if creating:
        save.session.run(save.sql.create_scopes(creating))
    config_ids: dict[int | None, int] = {}
    if not save.system_touched and not save.org_ids:
        return config_ids
    for config_id, entity, record_id in save.session.rows(
            save.sql.lock_scopes(save.system_touched, save.org_ids)):
        scope = None if entity == "app" else record_id
        if scope in config_ids:  # the unique index (entity, record_id) was lost
            where = "the system" if scope is None else f"organization id {scope}"
            raise InputError(
                f"{where} has two scope rows in oro_config (ids {config_ids[scope]} and "
                f"{config_id}): Oro reads only one of them, so nothing was saved; a DBA "
                "removes the one Oro does not use (and restores the unique index on "
                "entity, record_id)")
        config_ids[scope] = config_id
    return config_ids


def read_stored(save: Save, config_ids: dict[int | None, int]) -> Stored:
    scope_of = {v: k for k, v in config_ids.items()}
    stored = Stored(config_ids, {}, {})
    if not config_ids:
        return stored
    for row_id, config_id, name, text_value, type_, version in save.session.rows(
            save.sql.lock_values(list(config_ids.values()))):
        stored.rows[(scope_of[config_id], name)] = (row_id, text_value, type_)
        stored.versions[row_id] = int(version)
    return stored


def merge(save: Save, stored: Stored, orgs_now: dict[int, dict[str, Any]],
          now: dt.datetime) -> Merged:
    """Merge the changes with what is stored now, in the snapshot's form, by the rules of
    changes.apply; ConflictError when they collide."""
    base = save.base
    document = dict(base.document)
    records = list(base.records)
    document["organizations"] = records
    positions = base.id_positions()
    now_values: dict[int | None, dict[str, Value]] = {None: {}}
    now_values.update({i: {} for i in save.org_ids})
    damaged_now: dict[Scoped, DamagedValue] = {}
    for (scope, name), (row_id, text_value, type_) in stored.rows.items():
        try:
            now_values[scope][name] = decode(BY_NAME[name], text_value, type_)
        except Damaged as reason:
            org = orgs_now.get(scope) if scope is not None else None
            damaged_now[(scope, name)] = damaged_value(row_id, org, name, text_value, type_,
                                                       str(reason))
    if save.system_touched:
        document["system"] = ordered(now_values[None])
    for org_id in save.org_ids:
        at = positions.get(org_id)
        if at is None:
            raise InputError(f"organization {orgs_now[org_id]['name']!r} was added in Oro "
                             "after this view was loaded; nothing was saved: reload")
        records[at] = {**records[at], "overrides": ordered(now_values[org_id])}

    conflicts = damaged_conflicts(save, damaged_now, orgs_now)
    outcome = apply(document, save.changes, now.strftime("%Y-%m-%dT%H:%M:%SZ"), positions)
    conflicts.extend(outcome.conflicts)
    if conflicts:
        raise ConflictError(conflicts, save.revision_now)
    # Use System (or Use default) on a value shown as damaged deletes its row: apply() sees
    # nothing stored there, since a damaged value reads as inherited. damaged_conflicts made
    # sure the row is still the one the person saw.
    cleared = [c for c in save.changes if c.new is None
               and (c.organization_id, c.name) in damaged_now]
    return Merged(outcome, damaged_now, cleared,
                  written_meanwhile(save, now_values, damaged_now))


def written_meanwhile(save: Save, now_values: dict[int | None, dict[str, Value]],
                      damaged_now: dict[Scoped, DamagedValue]) -> bool:
    """Whether the saved scopes' values as stored now differ from the base's."""
    base = save.base
    positions = base.id_positions()
    scopes: list[int | None] = [*([None] if save.system_touched else []), *save.org_ids]
    for scope in scopes:
        seen = base.document["system"] if scope is None else \
            base.records[positions[scope]]["overrides"]
        if dict(seen) != now_values[scope]:
            return True

    def rows(damaged: Iterable[DamagedValue]) -> set[tuple[Scoped, int, str | None]]:
        return {(d.scope, d.row_id, d.text_value) for d in damaged
                if d.organization_id in scopes}

    return rows(base.damaged) != rows(damaged_now.values())


def damaged_conflicts(save: Save, damaged_now: dict[Scoped, DamagedValue],
                      orgs_now: dict[int, dict[str, Any]]) -> list[Conflict]:
    """A damaged value is replaced only by a change made while it was shown as damaged."""
    seen_damaged = {d.scope: d for d in save.base.damaged}
    conflicts: list[Conflict] = []
    for change in save.changes:
        found = damaged_now.get((change.organization_id, change.name))
        if found is None:
            continue
        seen = seen_damaged.get((change.organization_id, change.name))
        if seen is None or not seen.same_row(found):
            setting = BY_NAME[change.name]
            where = "System" if change.organization_id is None else \
                orgs_now[change.organization_id]["name"]
            conflicts.append(Conflict(where, setting.label, setting.name,
                                      change.organization_id, change.old, change.new,
                                      f"damaged: {found.text_value!r}"))
    return conflicts


def plan_rows(save: Save, stored: Stored, merged: Merged,
              orgs_now: dict[int, dict[str, Any]]) -> Plan:
    """The rows to delete, update and insert, and the changes as the history records them."""
    plan = Plan()
    for done in merged.outcome.applied:
        scope = done.organization_id
        name = done.key.partition(".")[2]
        row = stored.rows.get((scope, name))
        old = done.old
        if (scope, name) in merged.damaged_now:
            old = merged.damaged_now[(scope, name)].text_value
        org_name = None if scope is None else orgs_now[scope]["name"]
        plan.applied.append(AppliedChange(done.scope, scope, org_name, done.key, old, done.new))
        if done.new is None:
            if row is not None:
                plan.deletes.append(row[0])
                plan.deleted[row[0]] = (scope, name)
            continue
        text = encode(BY_NAME[name], done.new).text_value
        assert text is not None
        if row is not None:
            plan.updates.append((row[0], text))
        else:
            plan.inserts.append((stored.config_ids.get(scope), name, text))
            plan.inserted_scopes.append(scope)
    for change in merged.cleared:
        found = merged.damaged_now[(change.organization_id, change.name)]
        plan.deletes.append(found.row_id)
        plan.deleted[found.row_id] = (change.organization_id, change.name)
        scope_name = Scope.SYSTEM if change.organization_id is None else Scope.ORGANIZATION
        org_name = None if change.organization_id is None else \
            orgs_now[change.organization_id]["name"]
        plan.applied.append(AppliedChange(scope_name, change.organization_id, org_name,
                                          BY_NAME[change.name].key, found.text_value, None))
    return plan


def write_rows(save: Save, plan: Plan, now: dt.datetime) -> None:
    if plan.deletes:
        save.session.run(save.sql.delete_values(plan.deletes))
    if plan.updates:
        save.session.run(save.sql.update_values(plan.updates, now))
    if plan.inserts:
        rows = [(config_id, name, text) for config_id, name, text in plan.inserts
                if config_id is not None]
        assert len(rows) == len(plan.inserts), "a save creates and locks its scopes' rows"
        save.session.run(save.sql.insert_values(rows, now))


def write_history(save: Save, plan: Plan, revision: int, now: dt.datetime,
                  db_user: str) -> None:
    rows = history.rows_of(plan.applied, revision=revision, time=now, user=current_user(),
                           client=ssh_client(), db_user=db_user)
    save.session.run(save.sql.insert_history(rows))


def saved_snapshot(save: Save, stored: Stored, merged: Merged, plan: Plan, revision: int,
                   token: ChangeToken) -> tuple[Snapshot, int]:
    """The new snapshot: the base with what is stored now in the scopes touched, and how many
    revisions it merged over. Its token is the one the database has if nobody else wrote since
    the base was read, from the saved scopes' rows alone (no scan of the whole section per
    save): when somebody did, the watch's next check differs from it and reloads the whole
    view. A base without a token (one organization read on its own, ``load_named``) gets
    none either."""
    base = save.base
    merged_over = save.revision_now - base.revision
    if merged.written_meanwhile:
        merged_over = max(merged_over, 1)
    fingerprint = token.after_save(save.session, base.fingerprint, SavedRows(
        inserted=len(plan.inserts), updated=len(plan.updates), deleted=len(plan.deletes),
        replaced={i: stored.versions[i] for i in [*plan.deletes, *(u[0] for u in plan.updates)]
                  if i in stored.versions},
        scopes=tuple(stored.config_ids.values()), locked=dict(stored.versions)))
    positions = base.id_positions()
    document = merged.outcome.document
    document["revision"] = revision
    for org_id in save.org_ids:
        at = positions[org_id]
        document["organizations"][at]["updated_at"] = base.records[at]["updated_at"]
    touched = {(a.organization_id, a.key.partition(".")[2]) for a in plan.applied}

    def scope_touched(organization_id: int | None) -> bool:
        return organization_id in save.org_ids or (organization_id is None
                                                   and save.system_touched)

    document["damaged"] = [
        *(d for d in base.damaged if not scope_touched(d.organization_id)),
        *(d for key, d in merged.damaged_now.items() if key not in touched)]
    return Snapshot(document, fingerprint=fingerprint, validated=True,
                    id_positions=positions), merged_over


def save_once(session: Session, sql: Dialect, token: ChangeToken, base: Snapshot,
              changes: Sequence[SettingChange], revision_now: int, db_user: str,
              ) -> CommitResult:
    """Every step of one save, in the save's transaction (the caller's)."""
    if revision_now >= history.LAST_REVISION:
        raise InputError(
            f"{history.HISTORY_TABLE} holds revision {revision_now}, the largest its revision "
            "column holds: no save can follow it, so nothing was saved. If outlook-tui did not "
            f"write that row, a DBA removes it (DELETE FROM {history.HISTORY_TABLE} WHERE "
            f"revision = {revision_now}); otherwise renumbers the history from 1")
    save = Save(session, sql, base, list(changes), revision_now)
    orgs_now = check_organizations(save)
    stored = read_stored(save, lock_scopes(save))
    now = utc_now()
    merged = merge(save, stored, orgs_now, now)
    if not merged.outcome.applied and not merged.cleared:
        return CommitResult(base, [], revision_now - base.revision)
    plan = plan_rows(save, stored, merged, orgs_now)
    write_rows(save, plan, now)
    revision = revision_now + 1
    write_history(save, plan, revision, now, db_user)
    snapshot, merged_over = saved_snapshot(save, stored, merged, plan, revision, token)
    # The store adds how to clear Oro's configuration cache, for the Oro at hand.
    return CommitResult(snapshot, plan.applied, merged_over)


# -- a dry run: the same steps, on what is stored now, without a lock or a write ------------------


def stored_now(save: Save) -> Stored:
    """The scopes' value rows as stored now, neither created nor locked (a dry run): the
    save's :func:`read_stored` without :func:`lock_scopes`."""
    stored = Stored({}, {}, {})
    wanted = set(save.org_ids)
    for row_id, entity, record_id, name, text_value, type_ in save.session.rows(
            save.sql.values_of_scopes(save.org_ids)):
        scope = None if entity == "app" else record_id
        if scope is None or scope in wanted:
            stored.rows[(scope, name)] = (row_id, text_value, type_)
    return stored


def _scope_words(scope: int | None) -> str:
    return "system (app/0)" if scope is None else f"organization/{scope}"


def row_changes(save: Save, stored: Stored, plan: Plan) -> list[RowChange]:
    """The plan's rows in Oro's words, ids included (an inserted row has none yet)."""
    text_of = {row_id: text for (row_id, text, _) in stored.rows.values()}
    scoped = {row[0]: key for key, row in stored.rows.items()}
    rows = [RowChange("delete", "oro_config_value", row_id, {
        "scope": _scope_words(plan.deleted[row_id][0]), "name": plan.deleted[row_id][1],
        "text_value": text_of.get(row_id)}) for row_id in plan.deletes]
    rows += [RowChange("update", "oro_config_value", row_id, {
        "scope": _scope_words(scoped[row_id][0]), "name": scoped[row_id][1],
        "text_value": text, "was": text_of.get(row_id)}) for row_id, text in plan.updates]
    rows += [RowChange("insert", "oro_config_value", None, {
        "scope": _scope_words(scope), "name": name, "text_value": text})
        for scope, (_, name, text) in zip(plan.inserted_scopes, plan.inserts, strict=True)]
    if plan.applied:
        rows.append(RowChange("insert", save.sql.history_table, None, {
            "rows": len(plan.applied), "revision": save.revision_now + 1}))
    return rows


def plan_once(session: Session, sql: Dialect, base: Snapshot,
              changes: Sequence[SettingChange], revision_now: int) -> SavePlan:
    """What :func:`save_once` would do now, by its own steps, writing nothing."""
    save = Save(session, sql, base, list(changes), revision_now)
    orgs_now = check_organizations(save)
    stored = stored_now(save)
    merged = merge(save, stored, orgs_now, utc_now())
    if not merged.outcome.applied and not merged.cleared:
        return SavePlan(revision_now, [], [])
    plan = plan_rows(save, stored, merged, orgs_now)
    return SavePlan(revision_now, plan.applied, row_changes(save, stored, plan))
