"""What every command shares: opening the store, finding settings, values and organizations
by what was typed, and saving with a one-line report."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from outlook_tui.after_save import AfterSaveRun, command_environment
from outlook_tui.catalog import InvalidValue, Setting, Value, lookup
from outlook_tui.cli.errors import Rejected, Usage
from outlook_tui.cli.output import print_json
from outlook_tui.store import (
    BackupStore,
    Capability,
    Change,
    Organization,
    Snapshot,
    StoreBackend,
    factory,
)
from outlook_tui.words import counted

if TYPE_CHECKING:
    from outlook_tui.store.oro.connection import FirstLook


def open_for(args: argparse.Namespace, *, writes: bool = False,
             first_look: FirstLook | None = None) -> StoreBackend:
    """The store. A command that only reads never creates anything; one that writes (and the
    app) may create the JSON file (``open_store`` says where and when). ``first_look``: see
    ``open_store``."""
    # A dry run opens the store read-only: it writes nothing, not even the data directory or
    # the store a first save would make, and Oro's database refuses any write of its session.
    dry_run = getattr(args, "dry_run", False)
    return factory.open_store(args.store, read_only=args.read_only or dry_run,
                              oro_version=args.config.oro_version,
                              must_exist=not writes, may_create=writes and not dry_run,
                              first_look=first_look)


def organizations_store(args: argparse.Namespace) -> StoreBackend:
    """The store, when it lets organizations be created and changed (Oro's database: no)."""
    store = open_for(args, writes=True)
    if not store.supports(Capability.ORGANIZATION_EDITING):
        raise Rejected(f"{store.unsupported_reason(Capability.ORGANIZATION_EDITING)}: create, "
                       "rename and (de)activate them in Oro")
    return store


def backup_store(args: argparse.Namespace, *, writes: bool = False) -> BackupStore:
    store = open_for(args, writes=writes)
    if not isinstance(store, BackupStore) or not store.supports(Capability.BACKUPS):
        raise Rejected(store.unsupported_reason(Capability.BACKUPS))
    return store


def setting_of(key: str) -> Setting:
    try:
        return lookup(key)
    except KeyError as error:
        raise Rejected(error.args[0]) from None


def value_of(setting: Setting, text: str) -> Value:
    try:
        return setting.parse(text)
    except InvalidValue as error:
        raise Rejected(f"{setting.label} ({setting.key}): {error}") from None


def chosen_organizations(snapshot: Snapshot, refs: Sequence[str], all_orgs: bool,
                         where: str | None) -> list[Organization]:
    """The organizations a command acts on: named ones, all, or those matching KEY=VALUE."""
    if all_orgs:
        chosen = list(snapshot.organizations())
    elif where is not None:
        key, sep, text = where.partition("=")
        if not sep:
            raise Usage(f"--where takes KEY=VALUE, got {where!r}")
        setting = setting_of(key)
        wanted = value_of(setting, text)
        chosen = [o for o in snapshot.organizations()
                  if snapshot.effective(o.id)[setting.name].value == wanted]
        if not chosen:
            raise Rejected(f"no organization has {setting.label} = {setting.label_of(wanted)}")
    else:
        chosen = [snapshot.find(ref) for ref in refs]
    seen: set[int] = set()
    return [o for o in chosen if not (o.id in seen or seen.add(o.id))]  # type: ignore[func-returns-value]


def commit(args: argparse.Namespace, store: StoreBackend, snapshot: Snapshot,
           changes: list[Change], what: str, already: int | None = None, *,
           warnings: Sequence[str] = (), report: dict[str, Any] | None = None) -> None:
    """Save ``changes`` and say so: one line (``--json``: one object, ``report``'s keys added),
    notes after it, ``warnings`` and the store's on stderr; then the after_save_command. With
    ``--dry-run``, print the store's plan instead (``already``: how many organizations asked
    about have the value already)."""
    if getattr(args, "dry_run", False):
        from outlook_tui.cli.plan import print_plan

        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        print_plan(args, store.plan(snapshot, changes), what, already)
        return None
    as_json = bool(getattr(args, "json", False))
    said: dict[str, Any] = {"saved": False, "revision": snapshot.revision, "what": what,
                            "changes": 0, **(report or {}), "notes": [],
                            "warnings": list(warnings)}
    if not changes:
        _say(as_json, f"nothing to change: {what} already")
        return _end(as_json, said, warnings)
    result = store.commit(snapshot, changes)
    said["revision"] = result.snapshot.revision
    if not result.applied:
        _say(as_json, f"nothing to change: {what} already (revision {result.snapshot.revision})")
        return _end(as_json, said, warnings)
    # From here on the save is done: main() must not report a failure to print as a failure.
    args.saved_revision = result.snapshot.revision
    said.update(saved=True, changes=len(result.applied))
    _say(as_json, f"saved revision {result.snapshot.revision}: {what} "
                  f"({counted(len(result.applied), 'change')})")
    _tell(as_json, said, result.notices, result.warnings)
    stopped = after_save(args, store, result.snapshot.revision, said)
    _end(as_json, said, warnings)
    if stopped:
        raise SystemExit(130)
    return None


def _end(as_json: bool, said: dict[str, Any], warnings: Sequence[str]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if as_json:
        print_json(said)


def _say(as_json: bool, line: str) -> None:
    if not as_json:
        print(line)


def _tell(as_json: bool, said: dict[str, Any], notes: Sequence[str],
          warnings: Sequence[str]) -> None:
    """Notes on stdout (``--json``: in the object), warnings on stderr (and in the object)."""
    said["notes"].extend(notes)
    said["warnings"].extend(warnings)
    for note in notes:
        _say(as_json, f"note: {note}")
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)


def after_save(args: argparse.Namespace, store: StoreBackend, revision: int,
               said: dict[str, Any]) -> bool:
    """The config's after_save_command, once the save is committed: waited for (bounded by
    after_save_timeout); True when ctrl+c stopped it (the command then exits 130). The save
    stays committed whatever it does."""
    command = args.config.after_save_command
    if command is None or not store.supports(Capability.AFTER_SAVE_COMMAND):
        return False
    environment = command_environment(os.environ, revision=revision,
                                      store_location=store.location,
                                      store_uri=factory.store_location(args.store))
    run = AfterSaveRun(command, revision=revision, environment=environment,
                       timeout=args.config.after_save_timeout)
    outcome = run.run(started=lambda: print(f"{run.running_text} (ctrl+c stops it)",
                                            file=sys.stderr, flush=True))
    _tell(bool(getattr(args, "json", False)), said, outcome.notices, outcome.warnings)
    return outcome.stopped
