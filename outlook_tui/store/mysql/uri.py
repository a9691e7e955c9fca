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
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from outlook_tui.store.errors import StoreError

SCHEMES = ("mysql", "mariadb")
#: Seconds to wait for the server to answer a connection, unless ``?connect_timeout=``.
CONNECT_TIMEOUT = 10
OPTION_FILES = ("/etc/my.cnf", "/etc/mysql/my.cnf", "~/.my.cnf")
DEFAULT_SOCKETS = ("/run/mysqld/mysqld.sock", "/var/lib/mysql/mysql.sock")
#: Query parameters outlook-tui understands.
PARAMETERS = ("unix_socket", "connect_timeout", "read_default_file")


def is_mysql_uri(location: str | None) -> bool:
    return bool(location) and str(location).partition("://")[0].lower() in SCHEMES


@dataclass(frozen=True)
class Target:
    """What to connect to, without the password."""

    user: str | None
    host: str
    port: int | None
    database: str
    parameters: tuple[tuple[str, str], ...]

    @property
    def location(self) -> str:
        """The URI without its password, still a valid URI."""
        who = "" if self.user is None else quote(self.user, safe="") + "@"
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = "" if self.port is None else f":{self.port}"
        query = urlencode(self.parameters, safe="/")
        return (f"mysql://{who}{host}{port}/{quote(self.database, safe='')}"
                + (f"?{query}" if query else ""))

    def parameter(self, name: str) -> str | None:
        return dict(self.parameters).get(name)


def parse(uri: str) -> tuple[Target, str | None]:
    """The target and the URI's own password (None when it has none); StoreError naming what
    is wrong (never the password) for a URI that is not one."""
    try:
        parts = urlsplit(uri)
        port = parts.port
        parameters = tuple(parse_qsl(parts.query, keep_blank_values=True, strict_parsing=False))
    except ValueError as error:
        raise StoreError(f"not a usable mysql:// URI ({error}): give "
                         "mysql://USER@HOST[:PORT]/DBNAME or "
                         "mysql://USER@localhost/DBNAME?unix_socket=PATH") from None
    database = unquote(parts.path.lstrip("/"))
    shown = Target(None if parts.username is None else unquote(parts.username),
                   parts.hostname or "localhost", port, database,
                   tuple((k, v) for k, v in parameters if k != "password"))
    if not database or "/" in database:
        raise StoreError(f"{shown.location}: name the database after the host: "
                         "mysql://USER@HOST/DBNAME")
    unknown = sorted({k for k, _ in parameters} - set(PARAMETERS) - {"password"})
    if unknown:
        raise StoreError(f"{shown.location}: unknown parameter {unknown[0]!r} (known: "
                         f"{', '.join(PARAMETERS)})")
    timeout = shown.parameter("connect_timeout")
    if timeout is not None and not (timeout.isdigit() and int(timeout) > 0):
        raise StoreError(f"{shown.location}: connect_timeout must be a whole number of "
                         f"seconds, got {timeout!r}")
    password = dict(parameters).get("password")
    if parts.password is not None:
        password = unquote(parts.password)
    return shown, password


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
