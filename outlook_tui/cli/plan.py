"""``--dry-run``: what a command would save, per organization and setting (old -> new), and on
Oro's database the rows it would insert, update or delete; nothing is written. The plan is the
store's own (``store.plan``: the save's merge without the write), never a second guess here."""

from __future__ import annotations

import argparse
from typing import Any

from outlook_tui.cli.output import print_json, table
from outlook_tui.history_text import describe
from outlook_tui.store.backend import RowChange, SavePlan
from outlook_tui.store.history import entries_for
from outlook_tui.words import counted

HEADLINE = "dry run: nothing was saved"


def _row_text(row: RowChange) -> str:
    return ", ".join(f"{name} {value!r}" for name, value in row.columns.items())


def plan_json(plan: SavePlan, what: str, already: int | None = None) -> dict[str, Any]:
    entries = entries_for(plan.applied, time="", user="", ssh_client=None,
                          revision=plan.revision + 1)
    data: dict[str, Any] = {
        "dry_run": True, "what": what, "revision": plan.revision,
        "changes": [{"scope": e.scope, "organization_id": e.organization_id,
                     "organization_name": e.organization_name, "key": e.key, "old": e.old,
                     "new": e.new} for e in entries],
        "rows": [{"action": r.action, "table": r.table, "id": r.id, **r.columns}
                 for r in plan.rows]}
    if already is not None:
        data["already"] = already
    return data


def print_plan(args: argparse.Namespace, plan: SavePlan, what: str,
               already: int | None = None) -> None:
    if getattr(args, "json", False):
        print_json(plan_json(plan, what, already))
        return
    print(f"{HEADLINE} (store at revision {plan.revision})")
    if not plan.applied:
        print(f"nothing would change: {what} already")
        return
    print(f"would save revision {plan.revision + 1}: {what} "
          f"({counted(len(plan.applied), 'change')})")
    lines = [describe(e) for e in entries_for(plan.applied, time="", user="", ssh_client=None,
                                              revision=plan.revision + 1)]
    print(table(["Where", "What", "Old", "New"],
                [(line.where, line.what, line.old, line.new) for line in lines]))
    if already:
        print(f"already so: {counted(already, 'organization')} (left as they are)")
    if plan.rows:
        print("rows it would write in Oro's database:")
        print(table(["Action", "Table", "Id", "Row"],
                    [(r.action, r.table, "(new)" if r.id is None else str(r.id), _row_text(r))
                     for r in plan.rows]))
