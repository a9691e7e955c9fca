"""Which store to open: ``--store`` (or ``$OUTLOOK_TUI_STORE``) names a JSON file by its path,
or Oro's database by a URI: libpq's (``postgresql://user@host/dbname``) or MySQL's
(``mysql://user@host/dbname``). The JSON file is the default."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from outlook_tui.paths import ENVIRONMENT_VARIABLE, resolve_store_path
from outlook_tui.store import uri
from outlook_tui.store.backend import StoreBackend
from outlook_tui.store.errors import StoreError

if TYPE_CHECKING:
    from outlook_tui.store.oro.connection import FirstLook


def store_location(cli_value: str | None = None) -> str | None:
    """``--store`` if given, else ``$OUTLOOK_TUI_STORE``, else None (the default JSON file)."""
    return cli_value or os.environ.get(ENVIRONMENT_VARIABLE) or None


def database_shown(cli_value: str | None = None) -> str | None:
    """The database ``cli_value`` names, without its password (for "connecting to ..."), or
    None for a JSON file (or a URI that does not parse: opening it says why)."""
    location = store_location(cli_value)
    if location is None or uri.family(location) is None:
        return None
    try:
        return uri.redact(location)
    except uri.MalformedURI:
        return None


def open_store(cli_value: str | None = None, *, read_only: bool = False,
               must_exist: bool = False, may_create: bool = False,
               oro_version: str | None = None,
               first_look: FirstLook | None = None) -> StoreBackend:
    """The store at ``cli_value`` (see ``store_location``).

    For a JSON file, ``must_exist`` (a command that only reads never creates anything) makes a
    path with no store an error naming it; ``may_create`` (the app, a command that saves) makes
    the default data directory, the one folder made for the store, and refuses a missing
    directory now rather than at the first save. Nothing is created in a database.

    ``first_look``: what another process found on opening the same database a moment ago; the
    database store then connects when first used (see ``store/ahead.py``)."""
    location = store_location(cli_value)
    database = uri.family(location)
    if location is not None and database is not None:
        try:
            uri.parse(location)
        except uri.MalformedURI as error:  # named by the setting: the URI may hold a password
            setting = "--store" if cli_value else f"${ENVIRONMENT_VARIABLE}"
            raise StoreError(f"{setting}: {error}; nothing was opened") from None
    if location is not None and database == "mysql":
        from outlook_tui.store.mysql import MySQLStore

        return MySQLStore(location, read_only=read_only, oro_version=oro_version,
                          first_look=first_look)
    if location is not None and database == "postgresql":
        from outlook_tui.store.postgres import PostgresStore

        return PostgresStore(location, read_only=read_only, oro_version=oro_version,
                             first_look=first_look)
    from outlook_tui.store.json import JsonStore

    path = resolve_store_path(location)
    if must_exist and not os.path.lexists(path):
        raise StoreError(f"no store at {path} (nothing was created; check --store or "
                         f"${ENVIRONMENT_VARIABLE}: the app or a command that saves creates it)")
    if may_create:
        if not read_only and location is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"{path.parent}: cannot create the data directory: "
                                 f"{error.strerror}") from None
        if not os.path.lexists(path) and not path.parent.is_dir():
            # Said when the store is opened, before the app starts, not on its first screen.
            raise StoreError(f"{path.parent}: no such directory; the store is only created in "
                             "an existing directory (nothing was saved)")
    return JsonStore(path, read_only=read_only)
