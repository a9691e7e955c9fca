# PYTHON_ARGCOMPLETE_OK (argcomplete's global completion looks for this marker)
"""The command line. ``outlook-tui`` alone opens the terminal app; subcommands script the store.

Exit status: 0 success, 1 rejected input or a conflict (the message on stderr), 2 usage errors.
A save that committed exits 0 even when its report cannot be printed (a closed pipe).
ORG is an organization id or its exact name. KEY is the full Oro key or the part after the dot.
VALUE is the stored value or its label, case-insensitive; booleans as true/false/yes/no/1/0.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from outlook_tui.catalog import CATALOG, InvalidValue, Setting, Value, lookup
from outlook_tui.completion import (
    attach,
    complete_organization,
    complete_targets,
    complete_where,
)
from outlook_tui.config import CONFIG_VARIABLE, ConfigError, load_config
from outlook_tui.paths import ENVIRONMENT_VARIABLE, resolve_store_path
from outlook_tui.scopes import EffectiveValue, conflict_resolution_note
from outlook_tui.store import (
    BackupStore,
    Capability,
    Change,
    NewOrganization,
    Organization,
    OrganizationChange,
    SettingChange,
    Snapshot,
    StoreBackend,
    StoreError,
)
from outlook_tui.store.factory import open_store, store_location
from outlook_tui.store.history import HistoryEntry
from outlook_tui.store.lock import timeout_from_environment
from outlook_tui.terminal import exit_on_hangup, missing_terminal, no_terminal_message
from outlook_tui.text import cells, json_text, printable, printable_output
from outlook_tui.words import counted


class Rejected(Exception):
    """Input the command rejects (exit status 1)."""


class Usage(Exception):
    """The command line itself is wrong (exit status 2, with the command's usage)."""


# -- output helpers ------------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    # Cells are data: escaped before the columns are measured (in terminal cells, for CJK).
    rows_shown = [[printable(str(c)) for c in r] for r in rows]
    widths = [max([cells(h), *(cells(r[i]) for r in rows_shown)])
              for i, h in enumerate(headers)]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - cells(c))
                         for c, w in zip(row, widths, strict=True)).rstrip()

    lines = [line(headers), "  ".join("-" * w for w in widths)]
    lines.extend(line(r) for r in rows_shown)
    return "\n".join(lines)


def _print_json(data: Any) -> None:
    print(json_text(data))


# -- store and lookups ---------------------------------------------------------------------------


def _open(args: argparse.Namespace, *, writes: bool = False) -> StoreBackend:
    """The store. A command that only reads never creates anything: a path with no JSON store
    is an error naming it. One that writes (and the app) creates the store on first use, in an
    existing directory only; the default data directory is the one folder made for it."""
    from outlook_tui.store.postgres.store import is_database_uri

    location = store_location(args.store)
    if location is None or not is_database_uri(location):
        path = resolve_store_path(location)
        if not writes and not os.path.lexists(path):
            raise Rejected(f"no store at {path} (nothing was created; check --store or "
                           f"${ENVIRONMENT_VARIABLE}: the app or a command that saves creates it)")
        if writes and not args.read_only and location is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise Rejected(f"{path.parent}: cannot create the data directory: "
                               f"{error.strerror}") from None
        if writes and not os.path.lexists(path) and not path.parent.is_dir():
            # Said here, before the app starts, rather than on its first screen.
            raise Rejected(f"{path.parent}: no such directory; the store is only created in an "
                           "existing directory (nothing was saved)")
    return open_store(args.store, read_only=args.read_only,
                      after_save_command=args.config.after_save_command)


def _open_for_organizations(args: argparse.Namespace) -> StoreBackend:
    """The store, when it lets organizations be created and changed (Oro's database: no)."""
    store = _open(args, writes=True)
    if not store.supports(Capability.ORGANIZATION_EDITING):
        raise Rejected(f"{store.unsupported_reason(Capability.ORGANIZATION_EDITING)}: create, "
                       "rename and (de)activate them in Oro")
    return store


def _backup_store(args: argparse.Namespace, *, writes: bool = False) -> BackupStore:
    store = _open(args, writes=writes)
    if not isinstance(store, BackupStore) or not store.supports(Capability.BACKUPS):
        raise Rejected(store.unsupported_reason(Capability.BACKUPS))
    return store


def _setting(key: str) -> Setting:
    try:
        return lookup(key)
    except KeyError as error:
        raise Rejected(error.args[0]) from None


def _value(setting: Setting, text: str) -> Value:
    try:
        return setting.parse(text)
    except InvalidValue as error:
        raise Rejected(f"{setting.label} ({setting.key}): {error}") from None


def _organizations(snapshot: Snapshot, refs: Sequence[str], all_orgs: bool,
                   where: str | None) -> list[Organization]:
    """The organizations a command acts on: named ones, all, or those matching KEY=VALUE."""
    if all_orgs:
        chosen = list(snapshot.organizations())
    elif where is not None:
        key, sep, text = where.partition("=")
        if not sep:
            raise Usage(f"--where takes KEY=VALUE, got {where!r}")
        setting = _setting(key)
        wanted = _value(setting, text)
        chosen = [o for o in snapshot.organizations()
                  if snapshot.effective(o.id)[setting.name].value == wanted]
        if not chosen:
            raise Rejected(f"no organization has {setting.label} = {setting.label_of(wanted)}")
    else:
        chosen = [snapshot.find(ref) for ref in refs]
    seen: set[int] = set()
    return [o for o in chosen if not (o.id in seen or seen.add(o.id))]  # type: ignore[func-returns-value]


def _commit(args: argparse.Namespace, store: StoreBackend, snapshot: Snapshot,
            changes: list[Change], what: str) -> None:
    if not changes:
        print(f"nothing to change: {what} already")
        return
    result = store.commit(snapshot, changes)
    if not result.applied:
        print(f"nothing to change: {what} already (revision {result.snapshot.revision})")
        return
    # From here on the save is done: main() must not report a failure to print as a failure.
    args.saved_revision = result.snapshot.revision
    print(f"saved revision {result.snapshot.revision}: {what} "
          f"({counted(len(result.applied), 'change')})")
    for notice in result.notices:
        print(f"note: {notice}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)


# -- commands ------------------------------------------------------------------------------------


def cmd_orgs_list(args: argparse.Namespace) -> None:
    snapshot = _open(args).load()
    orgs = list(snapshot.organizations())
    if args.json:
        _print_json([{"id": o.id, "name": o.name, "status": o.status,
                      "description": o.description, "overrides": len(o.overrides),
                      "created_at": o.created_at, "updated_at": o.updated_at} for o in orgs])
        return
    print(_table(["ID", "Name", "Status", "Overrides", "Created At", "Updated At"],
                 [(o.id, o.name, o.status, len(o.overrides), o.created_at, o.updated_at)
                  for o in orgs]))
    print(counted(len(orgs), "organization"))


def cmd_orgs_add(args: argparse.Namespace) -> None:
    store = _open_for_organizations(args)
    snapshot = store.load()
    name = args.name.strip()
    if not name:
        raise Rejected("the organization's name is required")
    _commit(args, store, snapshot, [NewOrganization(name, args.description, not args.inactive)],
            f"organization {name!r} created")


def cmd_orgs_rename(args: argparse.Namespace) -> None:
    store = _open_for_organizations(args)
    snapshot = store.load()
    org = snapshot.find(args.org)
    new_name = args.new_name.strip()
    if not new_name:
        raise Rejected("the new name is empty")
    _commit(args, store, snapshot, [OrganizationChange(org.id, "name", org.name, new_name)],
            f"{org.name!r} renamed to {new_name!r}")


def cmd_orgs_status(args: argparse.Namespace) -> None:
    store = _open_for_organizations(args)
    snapshot = store.load()
    org = snapshot.find(args.org)
    enabled = args.action == "enable"
    _commit(args, store, snapshot, [OrganizationChange(org.id, "enabled", org.enabled, enabled)],
            f"{org.name!r} is {'Active' if enabled else 'Inactive'}")


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
    snapshot = _open(args).load()
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
        _print_json(data)
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
    print(_table(["Setting", "Effective value", "Source", "Note"], rows))
    if note:
        print(f"note: {note}")
    for damaged in snapshot.damaged:
        if damaged["organization_id"] == (None if org is None else org.id):
            print(f"damaged: {damaged['key']} = {damaged['text_value']!r} (oro_config_value row "
                  f"{damaged['row_id']}): {damaged['reason']}; shown as inherited until a value "
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


def cmd_set(args: argparse.Namespace) -> None:
    refs, (key, text) = _targets(args, args.words, 2)
    setting = _setting(key)
    value = _value(setting, text)
    store = _open(args, writes=True)
    snapshot = store.load()
    if args.system:
        old = snapshot.system.get(setting.name)
        changes: list[Change] = [SettingChange(None, setting.name, old, value)]
        where = "System"
    else:
        orgs = _organizations(snapshot, refs, args.all_orgs, args.where)
        # An override equal to the inherited value is still stored (Oro does the same):
        # only organizations that already store exactly this value are left out.
        changes = [SettingChange(o.id, setting.name, o.overrides.get(setting.name), value)
                   for o in orgs
                   if not (setting.name in o.overrides and o.overrides[setting.name] == value)]
        where = orgs[0].name if len(orgs) == 1 else f"{len(orgs)} organizations"
    _commit(args, store, snapshot, changes, f"{where}: {setting.label} = {setting.label_of(value)}")


def cmd_reset(args: argparse.Namespace) -> None:
    refs, tail = _targets(args, args.words, 0 if args.all else 1)
    names = [s.name for s in CATALOG] if args.all else [_setting(tail[0]).name]
    what = "all settings" if args.all else lookup(names[0]).label
    store = _open(args, writes=True)
    snapshot = store.load()
    changes: list[Change] = []
    # A value Oro's database holds that this tool cannot read is not an override, but
    # resetting it removes its row (the store checks the row is still the one shown).
    damaged = {(d["organization_id"], d["name"]) for d in snapshot.damaged}
    if args.system:
        changes = [SettingChange(None, n, snapshot.system.get(n), None)
                   for n in names if n in snapshot.system or (None, n) in damaged]
        where, back = "System", "Use default"
    else:
        orgs = _organizations(snapshot, refs, args.all_orgs, args.where)
        changes = [SettingChange(o.id, n, o.overrides.get(n), None)
                   for o in orgs for n in names if n in o.overrides or (o.id, n) in damaged]
        where = orgs[0].name if len(orgs) == 1 else f"{len(orgs)} organizations"
        back = "Use System"
    _commit(args, store, snapshot, changes, f"{where}: {what} back to {back}")


def cmd_export(args: argparse.Namespace) -> None:
    from outlook_tui.transfer import export_document

    store = _open(args)
    snapshot = store.load()
    data = json_text(export_document(snapshot)) + "\n"
    for damaged in snapshot.damaged:  # not a value: left out of the file, said so
        print(f"warning: not exported: {damaged['organization_name'] or 'System'}: "
              f"{damaged['key']} = {damaged['text_value']!r} (oro_config_value row "
              f"{damaged['row_id']}): {damaged['reason']}", file=sys.stderr)
    if args.file in (None, "-"):
        sys.stdout.write(data)
        return
    target = Path(args.file)
    claims = getattr(store, "claims", None)  # a JSON store's own files are never written here
    why = claims(target) if claims is not None else None
    if why is not None:
        raise Rejected(f"{why}: export writes to another file; nothing was written")
    try:
        target.write_text(data, encoding="utf-8")
    except OSError as error:
        raise Rejected(f"{target}: cannot write: {error.strerror}") from None
    print(f"exported to {target}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> None:
    from outlook_tui.transfer import plan_import, read_import

    if args.file == "-":  # a pipe: `outlook-tui export | jq ... | outlook-tui import -`
        path, name = Path("<stdin>"), "standard input"
        data = read_import(path, sys.stdin.buffer.read())
    else:
        path = Path(args.file)
        name = path.name
        data = read_import(path)
    store = _open(args, writes=True)
    snapshot = store.load()
    plan = plan_import(
        snapshot, data, path,
        manage_organizations=store.supports(Capability.ORGANIZATION_EDITING),
        managed_elsewhere=store.unsupported_reason(Capability.ORGANIZATION_EDITING))
    parts = []
    if plan.created:
        parts.append(f"{counted(len(plan.created), 'organization')} created")
    if plan.updated:
        parts.append(f"{counted(len(plan.updated), 'organization')} updated")
    _commit(args, store, snapshot, plan.changes,
            f"imported {name}" + (f": {', '.join(parts)}" if parts else ""))


def _history_row(entry: HistoryEntry) -> tuple[str, ...]:
    from outlook_tui.history_text import describe

    line = describe(entry)
    return (line.when, f"r{entry.revision}", line.who, line.where, line.what, line.change)


def cmd_history(args: argparse.Namespace) -> None:
    if args.system and args.org:
        raise Usage("name an organization (ORG) or --system, not both")
    store = _open(args)
    org_id = None
    if args.org:
        org_id = store.load().find(args.org).id
    entries = store.history(org_id, system=args.system, limit=args.limit)
    if args.json:
        _print_json([e.to_json() for e in entries])
        return
    if not entries:
        print("no history yet")
        return
    print(_table(["Time (UTC)", "Rev", "Who", "Where", "What", "Change"],
                 [_history_row(e) for e in entries]))


def cmd_schema(args: argparse.Namespace) -> None:
    from outlook_tui.store.models import json_schema

    _print_json(json_schema())


def cmd_diff(args: argparse.Namespace) -> None:
    from outlook_tui import compare

    snapshot = _open(args).load()
    rows = compare.compare_rows(snapshot, only_overrides=args.only_overrides)
    if args.json:
        _print_json([row.to_json() for row in rows])
    else:
        print(compare.format_table(rows))


def cmd_backups(args: argparse.Namespace) -> None:
    store = _backup_store(args)
    backups = store.backups()
    if args.json:
        _print_json([{"number": b.number, "file": str(b.path), "revision": b.revision,
                      "saved_at": b.saved_at, "size": b.size} for b in backups])
        return
    if not backups:
        print(f"no backups yet (they appear beside {store.location} after the first save)")
        return
    rows = []
    for backup in backups:
        try:
            snapshot = store.load_backup(backup)
            count = len(snapshot)
            state = f"valid, {counted(count, 'organization')}"
        except StoreError as error:
            state = "damaged: " + str(error).splitlines()[-1].strip()
        rows.append((str(backup.number), f"r{backup.revision}", backup.saved_at,
                     f"{backup.size:,} B", state))
    print(_table(["N", "Revision", "Replaced at (UTC)", "Size", "State"], rows))
    print("restore one with: outlook-tui restore N")


def cmd_restore(args: argparse.Namespace) -> None:
    store = _backup_store(args, writes=True)
    snapshot = store.restore(args.number)
    args.saved_revision = snapshot.revision
    print(f"restored backup {args.number} as revision {snapshot.revision} "
          f"({counted(len(snapshot), 'organization')})")


def cmd_db_init(args: argparse.Namespace) -> None:
    from outlook_tui.store.postgres.dialect import PostgresDialect

    if args.print_sql:
        dialect = PostgresDialect()
        sys.stdout.write(dialect.history_ddl + dialect.history_grants)
        return
    store = _open(args)
    init = getattr(store, "init_history", None)
    if init is None:
        raise Rejected("`db init` is for Oro's database: give --store postgresql://... (or "
                       f"${ENVIRONMENT_VARIABLE}); the JSON file needs no setup")
    created = init()
    table = "outlook_tui_history"
    print(f"{'created' if created else 'already there:'} {table} in {store.location}")
    if store.read_only_reason is not None:
        print(f"note: this database user still cannot save: {store.read_only_reason}")


def cmd_tui(args: argparse.Namespace) -> None:
    if args.config.keymap or args.config.theme is not None:
        from outlook_tui.app.app import keyed_classes
        from outlook_tui.app.keymap import check_config

        check_config(args.config, keyed_classes())  # binding ids and themes: the app's
    # Checked before the store is opened or Textual imported: without a terminal the app would
    # spin on end of file for ever (``ssh host outlook-tui`` without -t, cron).
    missing = missing_terminal()
    if missing is not None:
        print(no_terminal_message(missing, _command_names()), file=sys.stderr)
        raise SystemExit(2)
    from outlook_tui.app.app import OutlookApp

    app = OutlookApp(_open(args, writes=True), config=args.config)
    exit_on_hangup(saving=lambda: app.saving)
    app.run()


def _command_names() -> list[str]:
    parser = build_parser()
    return [name for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for name in action.choices]


# -- parser --------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {number}")
    return number


def _store_path(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give the store file's path")
    return text


def _store_in_use(argv: Sequence[str]) -> str:
    """For --help: which store the command would open (never connects to a database)."""
    from outlook_tui.store.postgres.store import is_database_uri, redact

    given = None
    for index, word in enumerate(argv):
        if word == "--store" and index + 1 < len(argv):
            given = argv[index + 1]
        elif word.startswith("--store="):
            given = word.partition("=")[2]
    location = store_location(given)
    if location is not None and is_database_uri(location):
        return f"Oro's database {redact(location)}"
    return f"the JSON file {resolve_store_path(location)}"


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--store", metavar="PATH|URI", default=argparse.SUPPRESS, type=_store_path,
                        help="the store: a JSON file's PATH, or Oro's own database as a libpq "
                             "URI postgresql://USER@HOST/DBNAME (password via PGPASSWORD, "
                             f"~/.pgpass or a service file). Default: ${ENVIRONMENT_VARIABLE}, "
                             "else the JSON file in the user data directory")
    common.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                        help="open without the lock; refuse every write")
    common.add_argument("--config", metavar="PATH", dest="config_file",
                        default=argparse.SUPPRESS,
                        help=f"the configuration file (keymap, theme, [database]). Default: "
                             f"${CONFIG_VARIABLE}, else config.toml in the user config "
                             "directory")

    parser = _Parser(
        prog="outlook-tui", parents=[common],
        description="OroCRM MS Outlook settings per organization. Without a command, opens "
                    "the terminal app.",
        epilog="ORG: an organization id or exact name. KEY: the Oro key "
               "(oro_crm_pro_outlook.tasks_enabled) or the part after the dot. VALUE: the "
               "stored value or its label (Both, bidirectional, \"Outlook to OroCRM\"); "
               "booleans true/false/yes/no/1/0. Store in use: "
               + _store_in_use(argv).replace("%", "%%") + ".",
    )
    parser.set_defaults(func=cmd_tui, parser=parser)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, func: Callable[[argparse.Namespace], None], help: str,
                json_output: bool = False, **kwargs: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help, **kwargs)
        p.set_defaults(func=func, parser=p)
        if json_output:
            p.add_argument("--json", action="store_true", help="print JSON, for scripts")
        return p

    def orgs_without_action(args: argparse.Namespace) -> None:
        raise Usage("an action is required: list, add, rename, enable or disable")

    orgs = command("orgs", orgs_without_action, "list and manage organizations")
    orgs_sub = orgs.add_subparsers(title="orgs commands", metavar="ACTION", parser_class=_Parser)

    def org_command(name: str, func: Callable[[argparse.Namespace], None], help: str,
                    json_output: bool = False) -> argparse.ArgumentParser:
        p = orgs_sub.add_parser(name, parents=[common], help=help, description=help)
        p.set_defaults(func=func, parser=p)
        if json_output:
            p.add_argument("--json", action="store_true", help="print JSON, for scripts")
        return p

    org_command("list", cmd_orgs_list, "list organizations (name order)", json_output=True)
    p = org_command("add", cmd_orgs_add, "create an organization")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--description", default="", metavar="TEXT")
    p.add_argument("--inactive", action="store_true", help="create it with status Inactive")
    p = org_command("rename", cmd_orgs_rename, "rename an organization")
    attach(p.add_argument("org", metavar="ORG"), complete_organization)
    p.add_argument("new_name", metavar="NEW_NAME")
    for action in ("enable", "disable"):
        status = "Active" if action == "enable" else "Inactive"
        p = org_command(action, cmd_orgs_status, f"set an organization's status to {status}")
        attach(p.add_argument("org", metavar="ORG"), complete_organization)
        p.set_defaults(action=action)

    p = command("show", cmd_show, "every setting's effective value and where it comes from",
                json_output=True)
    attach(p.add_argument("org", nargs="?", metavar="ORG"), complete_organization)
    p.add_argument("--system", action="store_true", help="the system level")

    def targets(p: argparse.ArgumentParser) -> None:
        p.add_argument("--system", action="store_true", help="the system level")
        p.add_argument("--all-orgs", action="store_true", help="every organization")
        attach(p.add_argument("--where", metavar="KEY=VALUE",
                              help="the organizations whose effective KEY is VALUE"),
               complete_where)

    p = command("set", cmd_set, "give organizations (or the system) their own value: clears "
                "Use System; several organizations are one revision",
                usage="outlook-tui set [ORG ...] KEY VALUE [--system | --all-orgs | --where K=V]")
    attach(p.add_argument("words", nargs="+", metavar="ORG... KEY VALUE"), complete_targets)
    targets(p)
    p = command("reset", cmd_reset, "back to Use System (organizations) or Use default "
                "(system): removes the stored value",
                usage="outlook-tui reset [ORG ...] (KEY | --all) [--system | --all-orgs | "
                      "--where K=V]")
    attach(p.add_argument("words", nargs="*", metavar="ORG... KEY"), complete_targets)
    p.add_argument("--all", action="store_true", help="every setting")
    targets(p)

    p = command("export", cmd_export, "write every stored value, in Oro key names, as JSON")
    p.add_argument("file", nargs="?", metavar="FILE", help="default: standard output")
    p = command("import", cmd_import, "apply an export file: checked whole first, then "
                "applied all or nothing as one revision")
    p.add_argument("file", metavar="FILE")
    p = command("history", cmd_history, "who changed what, newest first", json_output=True)
    attach(p.add_argument("org", nargs="?", metavar="ORG"), complete_organization)
    p.add_argument("--system", action="store_true", help="only the system level")
    p.add_argument("--limit", type=_positive, metavar="N", help="at most N entries (N >= 1)")
    command("schema", cmd_schema, "print the store's JSON Schema (for editors)")
    p = command("diff", cmd_diff, "compare organizations: effective values, overrides marked *",
                json_output=True)
    p.add_argument("--only-overrides", action="store_true",
                   help="only organizations that override something")
    command("backups", cmd_backups, "list the kept previous versions of the store",
            json_output=True)
    p = command("restore", cmd_restore, "make backup N the store again (as a new revision)")
    p.add_argument("number", type=int, metavar="N")

    def db_without_action(args: argparse.Namespace) -> None:
        raise Usage("an action is required: init")

    db = command("db", db_without_action, "set up Oro's database for outlook-tui")
    db_sub = db.add_subparsers(title="db commands", metavar="ACTION", parser_class=_Parser)
    p = db_sub.add_parser("init", parents=[common], help="create outlook-tui's history table "
                          "(Oro keeps no history); saves are refused until it exists",
                          description="Create outlook_tui_history in Oro's database (idempotent)."
                          " Needs CREATE on the schema; --print-sql gives the SQL to a DBA.")
    p.set_defaults(func=cmd_db_init, parser=p)
    p.add_argument("--print-sql", action="store_true",
                   help="print the SQL (and suggested GRANTs) instead of running it")
    return parser


def _stdout_is_closed() -> bool:
    """True when the command was started with standard output closed (``>&-``)."""
    if sys.stdout is None:
        return True
    try:
        os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):
        return True
    return False


class _LostOutput(io.TextIOBase):
    """Standard output once it is gone: takes the text and remembers that some was lost."""

    lost = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        _LostOutput.lost = _LostOutput.lost or bool(text)
        return len(text)


def _silence_stdout() -> None:
    """Keep fd 1 taken (by /dev/null: a file the store opens must never become fd 1) and send
    what is still printed nowhere, so that nothing more fails, not even the flush at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)  # is fd 1 itself when fd 1 was closed
    if devnull != 1:
        os.dup2(devnull, 1)
        os.close(devnull)
    sys.stdout = _LostOutput()


def _complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request (argcomplete's protocol) and exit. Imported only
    then: the app's start-up does not pay for it."""
    import argcomplete

    class Finder(argcomplete.CompletionFinder):
        def filter_completions(self, completions: list[str]) -> list[str]:
            # argcomplete's own de-duplication is quadratic: 100k organization names hang it.
            return list(dict.fromkeys(completions))

    # Organization names match ignoring case ("acm" -> "Acme"), as they are unique that way.
    # Options only once a "-" is typed: after `set Acme <Tab>` the keys are what is wanted.
    Finder()(parser, always_complete_options=False, validator=lambda completion, prefix:
             completion.casefold().startswith(prefix.casefold()))


def main(argv: Sequence[str] | None = None) -> int:
    # Everything printed (tables, messages, usage errors quoting arguments) goes through the
    # one display rule: no control character from data reaches the terminal.
    with printable_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    if "_ARGCOMPLETE" in os.environ:  # the shell asks for completions: answer and exit
        _complete(parser)
    args = parser.parse_args(argv)
    args.store = getattr(args, "store", None)
    args.read_only = getattr(args, "read_only", False)
    args.saved_revision = None
    command_parser: argparse.ArgumentParser = args.parser
    try:
        args.config = load_config(getattr(args, "config_file", None))
    except ConfigError as error:  # a broken file is refused before anything starts
        print(f"outlook-tui: {error}", file=sys.stderr)
        return 2
    try:
        timeout_from_environment()
    except ValueError as error:
        command_parser.error(str(error))
    closed = _stdout_is_closed()
    if closed:
        _silence_stdout()
    try:
        args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, while we can still say what happened
    except Usage as error:
        command_parser.error(str(error))
    except ConfigError as error:
        print(f"outlook-tui: {error}", file=sys.stderr)
        return 2
    except (Rejected, StoreError, InvalidValue) as error:
        print(f"outlook-tui: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        if error.errno not in (errno.EPIPE, errno.EBADF, errno.EINVAL):
            raise
        _silence_stdout()
        _LostOutput.lost = _LostOutput.lost or error.errno != errno.EPIPE
    if _LostOutput.lost and args.saved_revision is None:
        # Nothing was saved and what was asked for could not be shown: that is a failure. (A
        # reader that stopped reading, `| head`, got what it wanted: EPIPE is not.)
        print("outlook-tui: standard output is closed: nothing could be printed",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
