"""outlook-tui's configuration file: ``config.toml``.

Found at ``--config PATH``, else ``$OUTLOOK_TUI_CONFIG``, else ``config.toml`` in the user config
directory (``~/.config/outlook-tui/`` on Linux, ``$XDG_CONFIG_HOME`` honoured). A missing file
is an empty configuration; a file that exists but is wrong is refused with a message naming the
file, the line and the key, so nothing starts half-configured::

    theme = "textual-light"

    [keymap]                               # binding id = keys, comma-separated (Textual names)
    "organizations.configuration" = "enter,f4"

    [database]
    after_save_command = "php bin/console cache:clear --env=prod"
    oro_version = "4.0"                    # when Oro's tables do not record it
    after_save_timeout = 120               # seconds (default 300)

A file holding ``after_save_command`` must be one nobody else can have written
(:mod:`outlook_tui.strict_modes`); otherwise the whole file is refused, naming why.

Textual-free (the command line reads it too): whether a binding id or a theme exists is asked
of the app by :func:`outlook_tui.app.keymap.check_config`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outlook_tui.after_save import DEFAULT_TIMEOUT, MAX_TIMEOUT
from outlook_tui.oro_version import family_of
from outlook_tui.strict_modes import why_untrusted

CONFIG_VARIABLE = "OUTLOOK_TUI_CONFIG"

#: What each table may hold (the top level is ``""``).
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "": ("theme", "keymap", "database"),
    "database": ("after_save_command", "after_save_timeout", "oro_version"),
}

#: One key in Textual's names: ``f1``, ``ctrl+s``, ``question_mark``, or a single character.
_KEY = re.compile(r"^(?:[a-z0-9_]+\+)*(?:[a-z0-9_]+|[^\s,])$", re.IGNORECASE)


class ConfigError(ValueError):
    """The configuration file cannot be used; the message names file, line and key."""


@dataclass(frozen=True)
class Config:
    #: The file read, or None when there was none.
    path: Path | None = None
    #: Binding id -> keys (comma-separated, Textual's names), as written.
    keymap: Mapping[str, str] = field(default_factory=dict)
    theme: str | None = None
    #: ``[database] after_save_command``: run after every save to Oro's database.
    after_save_command: str | None = None
    #: ``[database] after_save_timeout``: seconds the command may take before it is stopped.
    after_save_timeout: float = DEFAULT_TIMEOUT
    #: ``[database] oro_version``: which Oro, when its database does not record it.
    oro_version: str | None = None
    #: Where each key was written (``"keymap.organizations.new"`` -> line), for messages.
    lines: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)

    def where(self, dotted: str) -> str:
        """``config.toml, line 4, keymap.organizations.new`` (the line when known)."""
        return _where(self.path, self.lines, dotted)

    def check(self, binding_ids: Collection[str] | None = None,
              themes: Collection[str] | None = None) -> None:
        """Refuse binding ids and a theme the app does not have (asked by the app side)."""
        if binding_ids is not None:
            for binding_id in self.keymap:
                if binding_id not in binding_ids:
                    raise ConfigError(f"{self.where('keymap.' + binding_id)}: no binding has "
                                      "this id (the README lists them)")
        if themes is not None and self.theme is not None and self.theme not in themes:
            raise ConfigError(f"{self.where('theme')}: unknown theme {self.theme!r}; one of: "
                              f"{', '.join(sorted(themes))}")


def config_path(explicit: str | os.PathLike[str] | None = None,
                environ: Mapping[str, str] | None = None) -> tuple[Path, bool]:
    """The file to read, and whether it was asked for (``--config`` or the variable): a file
    asked for must exist, the default one need not."""
    environ = os.environ if environ is None else environ
    if explicit:
        return Path(explicit).expanduser(), True
    given = environ.get(CONFIG_VARIABLE)
    if given:
        return Path(given).expanduser(), True
    import platformdirs  # only when no path was given: one less import before the first paint

    return Path(platformdirs.user_config_dir("outlook-tui", appauthor=False)) / "config.toml", \
        False


def load_config(explicit: str | os.PathLike[str] | None = None,
                environ: Mapping[str, str] | None = None) -> Config:
    path, asked = config_path(explicit, environ)
    try:
        with open(path, "rb") as file:
            opened = os.fstat(file.fileno())
            data = file.read()
    except FileNotFoundError:
        if asked:
            raise ConfigError(f"{path}: no such file (given by --config or "
                              f"${CONFIG_VARIABLE})") from None
        return Config()
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
        document = tomllib.loads(text)
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line N, column M)".
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    return _parse(path, document, _key_lines(text), opened)


def _parse(path: Path, document: dict[str, Any], lines: dict[str, int],
           opened: os.stat_result) -> Config:
    def where(dotted: str) -> str:
        return _where(path, lines, dotted)

    def refuse_unknown(table: str, values: Mapping[str, Any]) -> None:
        for key in values:
            if key not in KNOWN_KEYS[table]:
                dotted = f"{table}.{key}" if table else key
                raise ConfigError(f"{where(dotted)}: unknown key; known here: "
                                  f"{', '.join(KNOWN_KEYS[table])}")

    refuse_unknown("", document)
    theme = document.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise ConfigError(f"{where('theme')}: must be a string (a theme's name), "
                          f"not {_kind(theme)}")

    keymap_table = document.get("keymap", {})
    if not isinstance(keymap_table, dict):
        raise ConfigError(f"{where('keymap')}: must be a table ([keymap]), not "
                          f"{_kind(keymap_table)}")
    keymap: dict[str, str] = {}
    for binding_id, keys in keymap_table.items():
        dotted = f"keymap.{binding_id}"
        if not isinstance(keys, str):
            raise ConfigError(f"{where(dotted)}: must be a string of keys such as \"f4\" or "
                              f"\"ctrl+o,f4\", not {_kind(keys)}")
        names = [key.strip() for key in keys.split(",")]
        bad = next((key for key in names if not _KEY.match(key)), None)
        if bad is not None:
            shown = repr(bad) if bad else "an empty key"
            raise ConfigError(f"{where(dotted)}: {shown} is not a key; write Textual's names "
                              "separated by commas, such as \"ctrl+o,f4\"")
        keymap[binding_id] = ",".join(names)

    database = document.get("database", {})
    if not isinstance(database, dict):
        raise ConfigError(f"{where('database')}: must be a table ([database]), not "
                          f"{_kind(database)}")
    refuse_unknown("database", database)
    command = database.get("after_save_command")
    if command is not None and not isinstance(command, str):
        raise ConfigError(f"{where('database.after_save_command')}: must be a string (a shell "
                          f"command), not {_kind(command)}")
    oro_version = database.get("oro_version")
    if oro_version is not None:
        if not isinstance(oro_version, str):
            raise ConfigError(f"{where('database.oro_version')}: must be a string such as "
                              f"\"4.0\" (quoted: 4.10 is not 4.1), not {_kind(oro_version)}")
        try:
            family_of(oro_version)
        except ValueError as error:
            raise ConfigError(f"{where('database.oro_version')}: {error}") from None
    timeout = database.get("after_save_timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) \
            or not 1 <= timeout <= MAX_TIMEOUT:
        shown = _kind(timeout) if isinstance(timeout, bool | str | list | dict) else timeout
        raise ConfigError(f"{where('database.after_save_timeout')}: must be a number of seconds "
                          f"from 1 to {MAX_TIMEOUT:g}, not {shown}")
    command = command if command and command.strip() else None
    if command is not None:
        # Like OpenSSH's StrictModes: a command chosen by a file someone else can write would
        # run as whoever starts outlook-tui (root, too). Refused whole, as a broken file is.
        reason = why_untrusted(path, opened, what="after_save_command")
        if reason is not None:
            raise ConfigError(f"{path}: {reason}")
    return Config(path=path, keymap=keymap, theme=theme, after_save_command=command,
                  after_save_timeout=float(timeout),
                  oro_version=oro_version.strip() if oro_version else None, lines=lines)


def _where(path: Path | None, lines: Mapping[str, int], dotted: str) -> str:
    line = lines.get(dotted)
    return f"{path}{f', line {line}' if line is not None else ''}, {dotted}"


def _kind(value: object) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list",
             dict: "a table", str: "a string"}
    return names.get(type(value), type(value).__name__)


_TABLE = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(?:#.*)?$")
_ASSIGN = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")


def _key_lines(text: str) -> dict[str, int]:
    """Line numbers of ``table.key`` assignments, for messages (tomllib gives none). Plain
    tables and quoted or bare keys; anything fancier just goes without a line."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = header.group(1).strip().strip("\"'")
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            key = assign.group(1)
            if key[:1] in "\"'":
                key = key[1:-1]
            lines.setdefault(f"{table}.{key}" if table else key, number)
    return lines


__all__ = ["CONFIG_VARIABLE", "Config", "ConfigError", "config_path", "load_config"]
