"""The command line's grammar: every command, its options and its help."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from outlook_tui.cli.backups import cmd_backups, cmd_restore
from outlook_tui.cli.db import cmd_db_init
from outlook_tui.cli.errors import Usage
from outlook_tui.cli.helptext import (
    IMPORT_FILE,
    HelpFormatter,
    epilog,
    keys_and_values,
    keys_only,
)
from outlook_tui.cli.history import cmd_history
from outlook_tui.cli.organizations import (
    cmd_orgs_add,
    cmd_orgs_list,
    cmd_orgs_rename,
    cmd_orgs_status,
)
from outlook_tui.cli.settings import cmd_reset, cmd_set, cmd_show
from outlook_tui.cli.transfer import cmd_diff, cmd_export, cmd_import, cmd_schema
from outlook_tui.cli.tui import cmd_tui
from outlook_tui.completion import (
    attach,
    complete_organization,
    complete_targets,
    complete_where,
)
from outlook_tui.config import CONFIG_VARIABLE
from outlook_tui.paths import ENVIRONMENT_VARIABLE, resolve_store_path
from outlook_tui.store.factory import store_location
from outlook_tui.text import quoted


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


#: The largest --limit: the range of a database's INT (the history's revision column), the
#: same on every store. Beyond it PostgreSQL says "bigint out of range", or worse.
LIMIT_MAX = 2**31 - 1


def _positive(text: str) -> int:
    digits = text.strip().lstrip("+-")
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(f"must be a whole number, got {quoted(text)}")
    # Measured before int(): a number longer than Python's 4,300-digit limit is not read.
    shown = text.strip() if len(digits) <= 20 else f"a number of {len(digits):,} digits"
    if text.strip().startswith("-") or not digits.strip("0"):
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {shown}")
    if len(digits.lstrip("0")) > len(str(LIMIT_MAX)) or int(digits) > LIMIT_MAX:
        raise argparse.ArgumentTypeError(f"must be at most {LIMIT_MAX:,}, got {shown}")
    return int(digits)


def _store_path(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty: give the store file's path")
    return text


def _store_in_use(argv: Sequence[str]) -> str:
    """For --help: which store the command would open (never connects to a database)."""
    from outlook_tui.store.uri import MalformedURI, family, redact

    given = None
    for index, word in enumerate(argv):
        if word == "--store" and index + 1 < len(argv):
            given = argv[index + 1]
        elif word.startswith("--store="):
            given = word.partition("=")[2]
    location = store_location(given)
    database = family(location)
    if location is None or database is None:
        return f"the JSON file {resolve_store_path(location)}"
    kind = "Oro's MySQL database" if database == "mysql" else "Oro's database"
    try:
        return f"{kind} {redact(location)}"
    except MalformedURI as error:  # said without the URI: it may hold a password
        setting = "--store" if given else f"${ENVIRONMENT_VARIABLE}"
        return f"{kind}, but {setting} is not a usable URI ({error})"


def dry_run(p: argparse.ArgumentParser) -> None:
    """``--dry-run`` (and ``--json`` for its plan) on a command that writes."""
    p.add_argument("--dry-run", action="store_true",
                   help="print what would change (old -> new, and Oro's rows) and save nothing")
    if not any(a.dest == "json" for a in p._actions):
        p.add_argument("--json", action="store_true", help="print JSON, for scripts")


def _global_options(shown: bool) -> _Parser:
    """--store, --read-only and --config: described in ``outlook-tui --help`` only (``shown``),
    taken after any command too."""
    def said(text: str) -> str:
        return text if shown else argparse.SUPPRESS

    common = _Parser(add_help=False)
    common.add_argument("--store", metavar="PATH|URI", default=argparse.SUPPRESS, type=_store_path,
                        help=said("the store: a JSON file's PATH, or Oro's own database as a "
                                  "libpq URI postgresql://USER@HOST/DBNAME (password via "
                                  "PGPASSWORD, ~/.pgpass or a service file) or "
                                  "mysql://USER@HOST[:PORT]/DBNAME (password via ~/.my.cnf or "
                                  f"MYSQL_PWD). Default: ${ENVIRONMENT_VARIABLE}, else the JSON "
                                  "file in the user data directory"))
    common.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS,
                        help=said("open without the lock; refuse every write"))
    common.add_argument("--config", metavar="PATH", dest="config_file",
                        default=argparse.SUPPRESS,
                        help=said(f"the configuration file (keymap, theme, [database]). "
                                  f"Default: ${CONFIG_VARIABLE}, else config.toml in the user "
                                  "config directory"))
    return common


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    common = _global_options(shown=False)

    parser = _Parser(
        prog="outlook-tui", parents=[_global_options(shown=True)], formatter_class=HelpFormatter,
        description="OroCRM MS Outlook settings per organization. Without a command, opens "
                    "the terminal app.",
        epilog="ORG: an organization id or exact name. KEY: the Oro key "
               "(oro_crm_pro_outlook.tasks_enabled) or the part after the dot. VALUE: the "
               "stored value or its label (Both, bidirectional, \"Outlook to OroCRM\"); "
               "booleans true/false/yes/no/1/0. Store in use: "
               + _store_in_use(argv).replace("%", "%%") + ".\n\nEach command's examples, and "
               "the keys and values set takes: outlook-tui COMMAND --help.",
    )
    parser.set_defaults(func=cmd_tui, parser=parser)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, func: Callable[[argparse.Namespace], None], help: str,
                json_output: bool = False, sections: Sequence[str] = (),
                **kwargs: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help, description=help,
                           epilog=epilog(name, *sections), formatter_class=HelpFormatter,
                           **kwargs)
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
        p = orgs_sub.add_parser(name, parents=[common], help=help, description=help,
                                epilog=epilog(f"orgs {name}"), formatter_class=HelpFormatter)
        p.set_defaults(func=func, parser=p)
        if json_output:
            p.add_argument("--json", action="store_true", help="print JSON, for scripts")
        return p

    org_command("list", cmd_orgs_list, "list organizations (name order)", json_output=True)
    p = org_command("add", cmd_orgs_add, "create an organization")
    dry_run(p)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--description", default="", metavar="TEXT")
    p.add_argument("--inactive", action="store_true", help="create it with status Inactive")
    p = org_command("rename", cmd_orgs_rename, "rename an organization")
    dry_run(p)
    attach(p.add_argument("org", metavar="ORG"), complete_organization)
    p.add_argument("new_name", metavar="NEW_NAME")
    for action in ("enable", "disable"):
        status = "Active" if action == "enable" else "Inactive"
        p = org_command(action, cmd_orgs_status, f"set an organization's status to {status}")
        dry_run(p)
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
                usage="outlook-tui set [ORG ...] KEY VALUE\n"
                      "           [--system | --all-orgs | --where K=V] [--dry-run] [--json]",
                sections=[keys_and_values()], json_output=True)
    attach(p.add_argument("words", nargs="+", metavar="ORG... KEY VALUE"), complete_targets)
    targets(p)
    dry_run(p)
    p = command("reset", cmd_reset, "back to Use System (organizations) or Use default "
                "(system): removes the stored value",
                usage="outlook-tui reset [ORG ...] (KEY | --all)\n"
                      "           [--system | --all-orgs | --where K=V] [--dry-run] [--json]",
                sections=[keys_only()], json_output=True)
    attach(p.add_argument("words", nargs="*", metavar="ORG... KEY"), complete_targets)
    p.add_argument("--all", action="store_true", help="every setting")
    targets(p)
    dry_run(p)

    p = command("export", cmd_export, "write every stored value, in Oro key names, as JSON")
    p.add_argument("file", nargs="?", metavar="FILE", help="default: standard output")
    p = command("import", cmd_import, "apply an export file: checked whole first, then "
                "applied all or nothing as one revision", sections=[IMPORT_FILE])
    p.add_argument("file", metavar="FILE", help="an export file, or - for standard input")
    dry_run(p)
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
    dry_run(p)

    def db_without_action(args: argparse.Namespace) -> None:
        raise Usage("an action is required: init")

    db = command("db", db_without_action, "set up Oro's database for outlook-tui")
    db_sub = db.add_subparsers(title="db commands", metavar="ACTION", parser_class=_Parser)
    p = db_sub.add_parser("init", parents=[common], help="create outlook-tui's history table "
                          "(Oro keeps no history); saves are refused until it exists",
                          description="Create outlook_tui_history in Oro's database (idempotent)."
                          " Needs CREATE on the schema; --print-sql gives the SQL to a DBA.",
                          epilog=epilog("db init"), formatter_class=HelpFormatter)
    p.set_defaults(func=cmd_db_init, parser=p)
    p.add_argument("--print-sql", action="store_true",
                   help="print the SQL (and suggested GRANTs) instead of running it")
    dry_run(p)
    return parser
