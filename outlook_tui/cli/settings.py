"""``show``, ``set`` and ``reset``: the MS Outlook settings of organizations and the system."""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass
from typing import Any

from outlook_tui.catalog import CATALOG, Setting, Value, lookup, same_value
from outlook_tui.cli.common import chosen_organizations, commit, open_for, setting_of, value_of
from outlook_tui.cli.errors import Usage
from outlook_tui.cli.output import print_json, table
from outlook_tui.scopes import EffectiveValue, conflict_resolution_note
from outlook_tui.store import Change, SettingChange, Snapshot, StoreBackend


def _effective_json(values: dict[str, EffectiveValue]) -> dict[str, Any]:
    return {
        ev.setting.key: {
            "label": ev.setting.label, "value": ev.value, "value_label": ev.label,
            "source": str(ev.source), "inherited": ev.inherited,
            "inherited_source": str(ev.inherited_source), "overridden": ev.overridden,
            "stale_override": ev.stale_override,
        }
        for ev in values.values()
    }


def cmd_show(args: argparse.Namespace) -> None:
    if args.system == bool(args.org):
        raise Usage("name an organization (ORG) or --system" + (", not both" if args.org else ""))
    store = open_for(args)
    snapshot = store.load_named([] if args.system else [args.org])
    if args.system:
        title, values, org = "System", snapshot.effective(None), None
    else:
        org = snapshot.find(args.org)
        title, values = f"{org.name} (id {org.id}, {org.status})", snapshot.effective(org.id)
    note = conflict_resolution_note(values)
    if args.json:
        data: dict[str, Any] = {"scope": "system" if org is None else "organization",
                                "revision": snapshot.revision, "settings": _effective_json(values),
                                "notes": [note] if note else []}
        if org is not None:
            data["organization"] = {"id": org.id, "name": org.name, "status": org.status}
        print_json(data)
        return
    upstream = "default" if org is None else "system"
    rows = []
    for ev in values.values():
        remark = ""
        if ev.overridden:
            remark = f"{upstream}: {ev.setting.label_of(ev.inherited)}"
            if ev.stale_override:
                remark += f" (same value: no longer follows {upstream} changes)"
        rows.append((ev.setting.label, ev.label, str(ev.source), remark))
    print(f"{title} · MS Outlook Settings · revision {snapshot.revision}")
    print(table(["Setting", "Effective value", "Source", "Note"], rows))
    if note:
        print(f"note: {note}")
    for damaged in snapshot.damaged:
        if damaged.organization_id == (None if org is None else org.id):
            print(f"damaged: {damaged.key} = {damaged.stored}; shown as inherited until a value "
                  "is set")


def _targets(args: argparse.Namespace, words: list[str], fixed: int) -> tuple[list[str], list[str]]:
    """Split positional words into ORGs and the command's ``fixed`` trailing words."""
    if len(words) < fixed:
        missing = ["KEY", "VALUE"][len(words):fixed] if fixed == 2 else ["KEY"]
        raise Usage(f"{' and '.join(missing)} missing: expected "
                    f"{'KEY VALUE' if fixed == 2 else 'KEY'} after the organizations")
    refs, tail = words[: len(words) - fixed], words[len(words) - fixed :]
    scoped = args.system or args.all_orgs or args.where is not None
    if sum([args.system, args.all_orgs, args.where is not None]) > 1:
        raise Usage("use only one of --system, --all-orgs and --where")
    if scoped and refs:
        raise Usage("name organizations, or use --system, --all-orgs or --where, not both")
    if not scoped and not refs:
        raise Usage("name at least one organization (ORG) before KEY, or use --system, "
                    "--all-orgs or --where KEY=VALUE")
    return refs, tail


def _snapshot_for(args: argparse.Namespace, store: StoreBackend, refs: list[str]) -> Snapshot:
    """What the command needs: only the organizations named (and the system) when it names
    them, so one organization costs the same at 3 and at 100k on Oro's database."""
    if args.all_orgs or args.where is not None:
        return store.load()
    return store.load_named(refs)


def cmd_set(args: argparse.Namespace) -> None:
    refs, (key, text) = _targets(args, args.words, 2)
    setting = setting_of(key)
    value = value_of(setting, text)
    store = open_for(args, writes=True)
    snapshot = _snapshot_for(args, store, refs)
    if args.system:
        old = snapshot.system.get(setting.name)
        changes: list[Change] = [SettingChange(None, setting.name, old, value)]
        where = "System"
    else:
        orgs = chosen_organizations(snapshot, refs, args.all_orgs, args.where)
        # An override equal to the inherited value is still stored (Oro does the same):
        # only organizations that already store exactly this value are left out.
        changes = [SettingChange(o.id, setting.name, o.overrides.get(setting.name), value)
                   for o in orgs
                   if not (setting.name in o.overrides and o.overrides[setting.name] == value)]
        where = orgs[0].name if len(orgs) == 1 else f"{len(orgs)} organizations"
    already = None if args.system else len(orgs) - len(changes)
    stale = _stale_overrides(snapshot, setting, value, changes)
    commit(args, store, snapshot, changes, f"{where}: {setting.label} = {setting.label_of(value)}",
           already, warnings=_stale_warning(setting, value, stale), report={"stale_overrides": [
               {"organization_id": s.organization_id, "organization": s.organization,
                "key": setting.key, "value": value, "inherited_from": s.upstream}
               for s in stale]})


@dataclass(frozen=True)
class _Stale:
    organization_id: int | None
    organization: str | None
    upstream: str  # "System" or "Default"


def _stale_overrides(snapshot: Snapshot, setting: Setting, value: Value,
                     changes: list[Change]) -> list[_Stale]:
    """The scopes whose new value is what they would inherit anyway: stored, it stops them
    following later changes upstream (the stale override ``show`` flags)."""
    stale = []
    for change in changes:
        assert isinstance(change, SettingChange)
        scope = change.organization_id
        inherited = snapshot.effective(scope)[setting.name].inherited
        if same_value(inherited, value):
            org = None if scope is None else snapshot.get(scope)
            stale.append(_Stale(scope, None if org is None else org.name,
                                "Default" if scope is None else "System"))
    return stale


def _stale_warning(setting: Setting, value: Value, stale: list[_Stale]) -> list[str]:
    if not stale:
        return []
    shown = f"{setting.label} = {setting.label_of(value)}"
    if stale[0].organization_id is None:
        return [f"System: {shown} is the default anyway; stored, it no longer follows the "
                f"default (outlook-tui reset --system {setting.name} to follow it)"]
    names = [repr(s.organization) for s in stale[:3]]
    if len(stale) > 3:
        names.append(f"{len(stale) - 3} more")
    who = names[0] if len(stale) == 1 else f"{len(stale)} organizations ({', '.join(names)})"
    org = shlex.quote(stale[0].organization or "") if len(stale) == 1 else "ORG..."
    again = f"outlook-tui reset {org} {setting.name}"
    return [f"{who}: {shown} is what System gives anyway; stored as an override, it no longer "
            f"follows changes to System ({again} to follow them)"]


def cmd_reset(args: argparse.Namespace) -> None:
    refs, tail = _targets(args, args.words, 0 if args.all else 1)
    names = [s.name for s in CATALOG] if args.all else [setting_of(tail[0]).name]
    what = "all settings" if args.all else lookup(names[0]).label
    store = open_for(args, writes=True)
    snapshot = _snapshot_for(args, store, refs)
    changes: list[Change] = []
    # A value Oro's database holds that this tool cannot read is not an override, but
    # resetting it removes its row (the store checks the row is still the one shown).
    damaged = {d.scope for d in snapshot.damaged}
    if args.system:
        changes = [SettingChange(None, n, snapshot.system.get(n), None)
                   for n in names if n in snapshot.system or (None, n) in damaged]
        where, back = "System", "Use default"
    else:
        orgs = chosen_organizations(snapshot, refs, args.all_orgs, args.where)
        changes = [SettingChange(o.id, n, o.overrides.get(n), None)
                   for o in orgs for n in names if n in o.overrides or (o.id, n) in damaged]
        where = orgs[0].name if len(orgs) == 1 else f"{len(orgs)} organizations"
        back = "Use System"
    commit(args, store, snapshot, changes, f"{where}: {what} back to {back}")
