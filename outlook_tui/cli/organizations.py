"""``orgs list|add|rename|enable|disable``: the organizations themselves."""

from __future__ import annotations

import argparse

from outlook_tui.cli.common import commit, open_for, organizations_store
from outlook_tui.cli.errors import Rejected
from outlook_tui.cli.output import print_json, table
from outlook_tui.store import NewOrganization, OrganizationChange
from outlook_tui.text import shown_name
from outlook_tui.words import counted


def cmd_orgs_list(args: argparse.Namespace) -> None:
    snapshot = open_for(args).load()
    orgs = list(snapshot.organizations())
    if args.json:
        print_json([{"id": o.id, "name": o.name, "status": o.status,
                     "description": o.description, "overrides": len(o.overrides),
                     "created_at": o.created_at, "updated_at": o.updated_at} for o in orgs])
        return
    print(table(["ID", "Name", "Status", "Overrides", "Created At", "Updated At"],
                [(o.id, shown_name(o.name), o.status, len(o.overrides), o.created_at, o.updated_at)
                 for o in orgs]))
    print(counted(len(orgs), "organization"))


def cmd_orgs_add(args: argparse.Namespace) -> None:
    store = organizations_store(args)
    snapshot = store.load()
    name = args.name.strip()
    if not name:
        raise Rejected("the organization's name is required")
    commit(args, store, snapshot, [NewOrganization(name, args.description, not args.inactive)],
           f"organization {name!r} created")


def cmd_orgs_rename(args: argparse.Namespace) -> None:
    store = organizations_store(args)
    snapshot = store.load()
    org = snapshot.find(args.org)
    new_name = args.new_name.strip()
    if not new_name:
        raise Rejected("the new name is empty")
    commit(args, store, snapshot, [OrganizationChange(org.id, "name", org.name, new_name)],
           f"{org.name!r} renamed to {new_name!r}")


def cmd_orgs_status(args: argparse.Namespace) -> None:
    store = organizations_store(args)
    snapshot = store.load()
    org = snapshot.find(args.org)
    enabled = args.action == "enable"
    commit(args, store, snapshot, [OrganizationChange(org.id, "enabled", org.enabled, enabled)],
           f"{org.name!r} is {'Active' if enabled else 'Inactive'}")
