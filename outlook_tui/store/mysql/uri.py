"""``--store mysql://USER@HOST[:PORT]/DBNAME`` (or ``?unix_socket=PATH``), and where its password
comes from: MySQL's own means, as the ``mysql`` client finds them.

The password, in this order: in the URI (discouraged: it shows in ``ps`` and shell history; never
printed by outlook-tui); the ``password`` of the ``[client]`` group of MySQL's option files
(``/etc/my.cnf``, ``/etc/mysql/my.cnf``, ``~/.my.cnf``, then ``?read_default_file=PATH``, the
later file winning); ``$MYSQL_PWD``. The user likewise: URI, option files, the OS login name.
``localhost`` without a port means the server's Unix socket, as for the ``mysql`` client
(the option files' ``socket``, else Debian's or Red Hat's default path).
"""

from __future__ import annotations

import configparser
import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from outlook_tui.store import uri as database_uri
from outlook_tui.store.errors import StoreError

#: Seconds to wait for the server to answer a connection, unless ``?connect_timeout=``.
CONNECT_TIMEOUT = 10
OPTION_FILES = ("/etc/my.cnf", "/etc/mysql/my.cnf", "~/.my.cnf")
DEFAULT_SOCKETS = ("/run/mysqld/mysqld.sock", "/var/lib/mysql/mysql.sock")
#: Query parameters outlook-tui understands.
PARAMETERS = ("unix_socket", "connect_timeout", "read_default_file")


@dataclass(frozen=True)
class Target:
    """What to connect to, without the password."""

    #: The URI as shown (:func:`outlook_tui.store.uri.redact`).
    location: str
    user: str | None
    host: str
    port: int | None
    database: str
    parameters: tuple[tuple[str, str], ...]

    def parameter(self, name: str) -> str | None:
        return dict(self.parameters).get(name)


def parse(uri: str) -> tuple[Target, str | None]:
    """The target and the URI's own password (None when it has none); StoreError naming what
    is wrong (never the password) for a URI that is not one of MySQL's."""
    parts = database_uri.parse(uri)
    location = parts.redacted
    if "," in parts.hosts:
        raise StoreError(f"{location}: MySQL takes one host, not a list")
    host, port = parts.hosts, None
    if host.startswith("["):
        address, _, after = host[1:].partition("]")
        host, port = address, int(after[1:]) if after else None
    elif ":" in host:
        host, _, port_text = host.partition(":")
        port = int(port_text)
    database = unquote((parts.path or "").lstrip("/"))
    parameters = tuple(parts.parameters)
    target = Target(location, parts.user or None, unquote(host) or "localhost", port, database,
                    tuple((k, v) for k, v in parameters if k != "password"))
    if not database or "/" in database:
        raise StoreError(f"{location}: name the database after the host: "
                         "mysql://USER@HOST/DBNAME")
    unknown = sorted({k for k, _ in parameters} - set(PARAMETERS) - {"password"})
    if unknown:
        raise StoreError(f"{location}: unknown parameter {unknown[0]!r} (known: "
                         f"{', '.join(PARAMETERS)})")
    timeout = target.parameter("connect_timeout")
    if timeout is not None and not (timeout.isdigit() and int(timeout) > 0):
        raise StoreError(f"{location}: connect_timeout must be a whole number of seconds, "
                         f"got {timeout!r}")
    password = parts.password if parts.password is not None else dict(parameters).get("password")
    return target, password


def _client_options(target: Target) -> dict[str, str]:
    """The ``[client]`` options of MySQL's option files, the later file winning."""
    files = [Path(f).expanduser() for f in OPTION_FILES]
    explicit = target.parameter("read_default_file")
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise StoreError(f"{target.location}: read_default_file {explicit!r} is no "
                             "readable file")
        files.append(path)
    options: dict[str, str] = {}
    for path in files:
        parser = configparser.RawConfigParser(allow_no_value=True, strict=False,
                                              comment_prefixes=("#", ";", "!"))
        try:
            parser.read(path)
        except (OSError, configparser.Error):
            continue  # as the mysql client reads what it can
        if parser.has_section("client"):
            for key, value in parser.items("client"):
                if value is not None:
                    options[key.replace("_", "-")] = _unquoted(value)
    return options


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def connect_arguments(uri: str, environment: Mapping[str, str] | None = None,
                      ) -> tuple[Target, dict[str, object]]:
    """The target, and PyMySQL's connect() keywords (holding the password)."""
    environment = os.environ if environment is None else environment
    target, password = parse(uri)
    options = _client_options(target)
    if password is None:
        password = options.get("password", environment.get("MYSQL_PWD"))
    socket = target.parameter("unix_socket")
    if socket is None and target.host == "localhost" and target.port is None:
        socket = options.get("socket") or next(
            (s for s in DEFAULT_SOCKETS if Path(s).exists()), None)
    arguments: dict[str, object] = {
        "user": target.user or options.get("user") or getpass.getuser(),
        "password": password or "",
        "database": target.database,
        "connect_timeout": int(target.parameter("connect_timeout") or CONNECT_TIMEOUT),
    }
    if socket is not None:
        arguments["unix_socket"] = socket
    else:
        arguments["host"] = target.host
        arguments["port"] = target.port or int(options.get("port", "3306"))
    return target, arguments
