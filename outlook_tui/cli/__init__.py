# PYTHON_ARGCOMPLETE_OK (argcomplete's global completion looks for this marker here)
"""The command line. ``outlook-tui`` alone opens the terminal app; subcommands script the store.

Exit status: 0 success, 1 rejected input or a conflict (the message on stderr), 2 usage errors.
A save that committed exits 0 even when its report cannot be printed (a closed pipe).
ORG is an organization id or its exact name. KEY is the full Oro key or the part after the dot.
VALUE is the stored value or its label, case-insensitive; booleans as true/false/yes/no/1/0.

The package: ``parser`` (the commands and their options), one module of commands per subject
(``organizations``, ``settings``, ``transfer``, ``history``, ``backups``, ``db``, ``tui``),
``common`` (the store and lookups every command shares), ``output`` (tables and JSON, through
``outlook_tui.text``) and ``main`` (the entry point: closed standard output, completion).
"""

from outlook_tui.cli.main import main

__all__ = ["main"]
