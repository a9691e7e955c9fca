"""Where the store lives: ``--store PATH``, else ``$OUTLOOK_TUI_STORE``, else the user data
directory (``~/.local/share/outlook-tui/store.json`` on Linux)."""

from __future__ import annotations

import os
from pathlib import Path

ENVIRONMENT_VARIABLE = "OUTLOOK_TUI_STORE"


def default_store_path() -> Path:
    import platformdirs  # only when no path was given: one less import before the first paint

    return Path(platformdirs.user_data_dir("outlook-tui", appauthor=False)) / "store.json"


def resolve_store_path(cli_value: str | None = None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    from_env = os.environ.get(ENVIRONMENT_VARIABLE)
    if from_env:
        return Path(from_env).expanduser()
    return default_store_path()
