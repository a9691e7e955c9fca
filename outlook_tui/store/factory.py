"""Which store to open: ``--store`` (or ``$OUTLOOK_TUI_STORE``) names a JSON file by its path,
or Oro's database by a libpq URI (``postgresql://user@host/dbname``). The JSON file is the
default."""

from __future__ import annotations

import os

from outlook_tui.paths import ENVIRONMENT_VARIABLE, resolve_store_path
from outlook_tui.store.backend import StoreBackend


def store_location(cli_value: str | None = None) -> str | None:
    """``--store`` if given, else ``$OUTLOOK_TUI_STORE``, else None (the default JSON file)."""
    return cli_value or os.environ.get(ENVIRONMENT_VARIABLE) or None


def open_store(cli_value: str | None = None, *, read_only: bool = False,
               after_save_command: str | None = None) -> StoreBackend:
    from outlook_tui.store.postgres.store import is_database_uri

    location = store_location(cli_value)
    if location is not None and is_database_uri(location):
        from outlook_tui.store.postgres import PostgresStore

        return PostgresStore(location, read_only=read_only,
                             after_save_command=after_save_command)
    from outlook_tui.store.json import JsonStore

    return JsonStore(resolve_store_path(location), read_only=read_only)
