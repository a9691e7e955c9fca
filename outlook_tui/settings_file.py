"""The few config-file values the command line needs before the app starts.

Reads ``after_save_command`` from the ``[database]`` table of the config file
(``$OUTLOOK_TUI_CONFIG``, else ``config.toml`` in the user config directory). A missing or
unreadable file means no command.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

CONFIG_VARIABLE = "OUTLOOK_TUI_CONFIG"


def config_path() -> Path:
    given = os.environ.get(CONFIG_VARIABLE)
    if given:
        return Path(given).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("outlook-tui", appauthor=False)) / "config.toml"


def after_save_command() -> str | None:
    """The command to run after each save to Oro's database, or None."""
    try:
        with open(config_path(), "rb") as file:
            data = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    database = data.get("database")
    command = database.get("after_save_command") if isinstance(database, dict) else None
    return command if isinstance(command, str) and command.strip() else None
