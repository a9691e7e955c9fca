"""``export``, ``import``, ``diff`` and ``schema``: the store as files and tables."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from outlook_tui.cli.common import commit, open_for
from outlook_tui.cli.errors import Rejected
from outlook_tui.cli.output import print_json
from outlook_tui.store import Capability
from outlook_tui.text import json_text
from outlook_tui.words import counted


def cmd_export(args: argparse.Namespace) -> None:
    from outlook_tui.transfer import export_document

    store = open_for(args)
    snapshot = store.load()
    data = json_text(export_document(snapshot)) + "\n"
    for damaged in snapshot.damaged:  # not a value: left out of the file, said so
        print(f"warning: not exported: {damaged.organization_name or 'System'}: "
              f"{damaged.key} = {damaged.stored}", file=sys.stderr)
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
    store = open_for(args, writes=True)
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
    commit(args, store, snapshot, plan.changes,
           f"imported {name}" + (f": {', '.join(parts)}" if parts else ""))


def cmd_schema(args: argparse.Namespace) -> None:
    from outlook_tui.store.models import json_schema

    print_json(json_schema())


def cmd_diff(args: argparse.Namespace) -> None:
    from outlook_tui import compare

    snapshot = open_for(args).load()
    rows = compare.compare_rows(snapshot, only_overrides=args.only_overrides)
    if args.json:
        print_json([row.to_json() for row in rows])
    else:
        print(compare.format_table(rows))
