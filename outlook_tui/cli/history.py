"""``history``: who changed what, newest first."""

from __future__ import annotations

import argparse

from outlook_tui.cli.common import open_for
from outlook_tui.cli.errors import Usage
from outlook_tui.cli.output import print_json, table
from outlook_tui.store.history import HistoryEntry


def _history_row(entry: HistoryEntry) -> tuple[str, ...]:
    from outlook_tui.history_text import describe

    line = describe(entry)
    return (line.when, f"r{entry.revision}", line.who, line.where, line.what, line.change)


def cmd_history(args: argparse.Namespace) -> None:
    if args.system and args.org:
        raise Usage("name an organization (ORG) or --system, not both")
    store = open_for(args)
    org_id = None
    if args.org:
        org_id = store.load_named([args.org]).find(args.org).id
    entries = store.history(org_id, system=args.system, limit=args.limit)
    if args.json:
        print_json([e.to_json() for e in entries])
        return
    if not entries:
        print("no history yet")
        return
    print(table(["Time (UTC)", "Rev", "Who", "Where", "What", "Change"],
                [_history_row(e) for e in entries]))
