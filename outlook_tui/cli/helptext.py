"""What ``--help`` says beyond the options: examples for each command, the keys and values
``set`` takes (from the catalog, the one source), what ``import`` reads. The global options are
described once, in ``outlook-tui --help``; each command's help points there in one line."""

from __future__ import annotations

import argparse
import textwrap

from outlook_tui.catalog import CATALOG, SECTION

#: Help is written for an 80-column terminal.
WIDTH = 79

#: Said at the end of every command's help instead of the global options themselves.
GLOBAL_OPTIONS = ("global options (see outlook-tui --help): --store PATH|URI, --read-only, "
                  "--config PATH; before or after the command")

EXAMPLES: dict[str, tuple[str, ...]] = {
    "orgs list": ("outlook-tui orgs list", "outlook-tui orgs list --json | jq -r '.[].name'"),
    "orgs add": ("outlook-tui orgs add Initech",
                 "outlook-tui orgs add \"Acme Europe\" --description \"EU office\" --inactive"),
    "orgs rename": ("outlook-tui orgs rename Initech Initrode",
                    "outlook-tui orgs rename 17 Globex"),
    "orgs enable": ("outlook-tui orgs enable Globex",),
    "orgs disable": ("outlook-tui orgs disable \"Acme Europe\"",),
    "orgs": ("outlook-tui orgs list", "outlook-tui orgs add Initech"),
    "show": ("outlook-tui show Acme", "outlook-tui show --system",
             "outlook-tui show Acme --json | jq '.settings[] | select(.stale_override)'"),
    "set": ("outlook-tui set Acme contacts_sync_interval_orocrm 300",
            "outlook-tui set Acme Globex contacts_sync_direction \"Outlook to OroCRM\"",
            "outlook-tui set --system tasks_enabled false",
            "outlook-tui set --where tasks_enabled=false tasks_enabled true",
            "outlook-tui set --all-orgs calendar_events_enabled yes --json"),
    "reset": ("outlook-tui reset Acme contacts_sync_interval_orocrm",
              "outlook-tui reset Acme --all",
              "outlook-tui reset --all-orgs contacts_sync_interval_outlook",
              "outlook-tui reset --system tasks_enabled"),
    "export": ("outlook-tui export settings.json", "outlook-tui export > before.json"),
    "import": ("outlook-tui import settings.json",
               "outlook-tui export | jq '.system = {}' | outlook-tui import -"),
    "history": ("outlook-tui history", "outlook-tui history Acme --limit 20",
                "outlook-tui history --system --json"),
    "schema": ("outlook-tui schema > store.schema.json",),
    "diff": ("outlook-tui diff", "outlook-tui diff --only-overrides --json"),
    "backups": ("outlook-tui backups", "outlook-tui backups --json"),
    "restore": ("outlook-tui backups", "outlook-tui restore 2"),
    "db": ("outlook-tui --store postgresql://oro_admin@db/oro db init",),
    "db init": ("outlook-tui --store postgresql://oro_admin@db/oro db init",
                "outlook-tui db init --print-sql > outlook-tui.sql"),
}

IMPORT_FILE = """\
FILE is JSON as `outlook-tui export` writes it, Oro's full key names inside:

  {"format": "outlook-tui-export", "version": 1,
   "system": {"oro_crm_pro_outlook.tasks_enabled": false},
   "organizations": [{"name": "Acme", "enabled": true, "description": "",
     "settings": {"oro_crm_pro_outlook.contacts_sync_interval_orocrm": 300}}]}

Organizations are matched by exact name; one not found is created (on Oro's database the
import is refused instead, each such name listed, and only settings are applied). A listed
organization's overrides become exactly its "settings" (a key left out goes back to Use
System); "enabled" and "description" are applied when present; organizations not listed
are left alone; "system", when present, replaces the system level. The whole file is checked
first (every problem named with its place); nothing is saved unless all of it can be.

FILE - reads standard input (a pipe from export and jq)."""


def _wrapped(name: str, text: str, width: int) -> str:
    return textwrap.fill(text, WIDTH, initial_indent="  " + name.ljust(width) + "  ",
                         subsequent_indent=" " * (width + 4), break_on_hyphens=False,
                         break_long_words=False)


def keys_and_values() -> str:
    """Every key ``set`` takes, with the values it accepts and its default."""
    width = max(len(s.name) for s in CATALOG)
    lines = [f"KEY (the part after {SECTION}., or the full key) and its VALUEs (the value "
             "or its label, any case):", ""]
    for setting in CATALOG:
        default = setting.default
        word = str(default).lower() if isinstance(default, bool) else str(default)
        lines.append(_wrapped(setting.name, f"{setting.label}: {setting.allowed}; default "
                              f"{word}", width))
    return "\n".join(lines)


def keys_only() -> str:
    width = max(len(s.name) for s in CATALOG)
    lines = [f"KEY (the part after {SECTION}., or the full key):", ""]
    lines.extend(_wrapped(s.name, s.label, width) for s in CATALOG)
    return "\n".join(lines)


def epilog(command: str, *sections: str) -> str:
    """The end of a command's help: its own sections, examples, the global options line."""
    parts = list(sections)
    parts.append("examples:\n" + "\n".join(f"  {line}" for line in EXAMPLES[command]))
    parts.append(GLOBAL_OPTIONS)
    return "\n\n".join(parts)


class HelpFormatter(argparse.HelpFormatter):
    """argparse's, except that description and epilog keep their paragraphs and indented lines
    (examples, the keys' table) as written; other lines are wrapped."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=WIDTH)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out: list[str] = []
        for paragraph in text.split("\n\n"):
            lines = paragraph.splitlines()
            if any(line.startswith(" ") for line in lines):
                out.append("\n".join(indent + line for line in lines))
            else:
                out.append(textwrap.fill(" ".join(lines), width, initial_indent=indent,
                                         subsequent_indent=indent, break_on_hyphens=False,
                                         break_long_words=False))
        return "\n\n".join(out)


__all__ = [
    "EXAMPLES",
    "GLOBAL_OPTIONS",
    "IMPORT_FILE",
    "HelpFormatter",
    "epilog",
    "keys_and_values",
    "keys_only",
]
