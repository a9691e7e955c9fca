"""``backups`` and ``restore``: the kept previous versions of a JSON store."""

from __future__ import annotations

import argparse

from outlook_tui.cli.common import backup_store
from outlook_tui.cli.output import print_json, table
from outlook_tui.store import StoreError
from outlook_tui.words import counted


def cmd_backups(args: argparse.Namespace) -> None:
    store = backup_store(args)
    backups = store.backups()
    if args.json:
        print_json([{"number": b.number, "file": str(b.path), "revision": b.revision,
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
    print(table(["N", "Revision", "Replaced at (UTC)", "Size", "State"], rows))
    print("restore one with: outlook-tui restore N")


def cmd_restore(args: argparse.Namespace) -> None:
    store = backup_store(args, writes=True)
    plan_restore = getattr(store, "plan_restore", None)
    if args.dry_run and plan_restore is not None:
        from outlook_tui.cli.plan import print_plan

        print_plan(args, plan_restore(args.number), f"restore backup {args.number}")
        return
    snapshot = store.restore(args.number)
    args.saved_revision = snapshot.revision
    print(f"restored backup {args.number} as revision {snapshot.revision} "
          f"({counted(len(snapshot), 'organization')})")
